import React, { useMemo } from 'react';
import type { ClusterSweep, JobProgress } from '../../../../shared/types';
import { chartGeometry, linearScale } from '../../lib/chart';
import { progressFraction } from '../../lib/jobs';
import { accuracyTable, type ClusterMethod, type IndexInfo, INDICES, indexSeries, meanSd, methodName, sweepKs, sweepMethods } from '../../lib/scatterClusters';
import type { MapModel, MapState } from '../../state/map';
import { Segmented } from '../RunsControls';

const METHOD_COLOURS: Record<ClusterMethod, string> = { kmeans: '#7c9cff', 'gmm-full': '#e0b252', 'gmm-diag': '#4cc38a' };
const WIDTH = 300;
const WHY_TITLE = 'study: k = 7 and 10, as in the latent-space study’s Table 1; classes: the number of labels; best: the highest mean silhouette';
const HEIGHT = 118;
const MARGIN = { top: 8, right: 10, bottom: 22, left: 44 };

/** One index against k: a line per method, each method's best k ringed, the sweep's best k dashed. */
function IndexChart({ sweep, index }: { sweep: ClusterSweep; index: IndexInfo }): React.JSX.Element {
  const series = useMemo(() => indexSeries(sweep, index.key), [sweep, index.key]);
  const geo = useMemo(() => chartGeometry(series, { width: WIDTH, height: HEIGHT, margin: MARGIN }), [series]);
  const { plot } = geo;
  const x = linearScale(geo.xDomain[0], geo.xDomain[1], plot.x, plot.x + plot.width);
  const y = linearScale(geo.yDomain[0], geo.yDomain[1], plot.y + plot.height, plot.y);
  const bestX = x(sweep.bestK);
  return (
    <figure className="chart map-index-chart">
      <figcaption className="chart-title">
        {index.title} <span className="muted small">{index.help}</span>
      </figcaption>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${index.title} against k`} data-index-chart={index.key}>
        <rect className="chart-plot" x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
        {geo.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line className="chart-grid" x1={plot.x} x2={plot.x + plot.width} y1={t.px} y2={t.px} />
            <text className="chart-tick" x={plot.x - 6} y={t.px} textAnchor="end" dominantBaseline="middle">
              {t.label}
            </text>
          </g>
        ))}
        {geo.xTicks.map((t) => (
          <text key={`x${t.value}`} className="chart-tick" x={t.px} y={plot.y + plot.height + 14} textAnchor="middle">
            {t.label}
          </text>
        ))}
        <line className="map-best-k" x1={bestX} x2={bestX} y1={plot.y} y2={plot.y + plot.height} data-best-k={sweep.bestK}>
          <title>best k = {sweep.bestK} ({methodName(sweep.bestMethod)}, highest silhouette)</title>
        </line>
        {series.map((s, i) => (
          <g key={s.key} data-series={s.key} data-points={s.points.length}>
            <path d={geo.paths[i]!.d} fill="none" stroke={METHOD_COLOURS[s.key]} strokeWidth={1.8} strokeLinejoin="round" />
            {s.points.map(([k, v]) => (
              <circle key={k} cx={x(k)} cy={y(v)} r={k === s.bestK ? 4.5 : 2.2} fill={k === s.bestK ? 'none' : METHOD_COLOURS[s.key]} stroke={METHOD_COLOURS[s.key]} strokeWidth={1.6}>
                <title>
                  {methodName(s.key)}, k = {k}: {v.toFixed(4)}
                  {k === s.bestK ? ' (best)' : ''}
                </title>
              </circle>
            ))}
          </g>
        ))}
        <text className="chart-axis" x={plot.x + plot.width} y={HEIGHT - 2} textAnchor="end">
          k
        </text>
      </svg>
    </figure>
  );
}

function ClusterResults({ model, state, sweep }: { model: MapModel; state: MapState; sweep: ClusterSweep }): React.JSX.Element {
  const methods = sweepMethods(sweep);
  const ks = sweepKs(sweep);
  const classes = state.map?.labels.length ?? 0;
  const rows = accuracyTable(sweep, classes);
  const choice = state.cluster ?? { method: sweep.bestMethod, k: sweep.bestK };
  return (
    <>
      <div className="map-cluster-legend">
        {methods.map((m) => (
          <span key={m} className="legend-key">
            <span className="legend-swatch" style={{ background: METHOD_COLOURS[m] }} />
            {methodName(m)}
          </span>
        ))}
        <span className="legend-key">
          <svg width="16" height="10" aria-hidden="true">
            <line x1="8" x2="8" y1="0" y2="10" className="map-best-k" />
          </svg>
          best k = {sweep.bestK}
        </span>
        <span className="muted small">
          {sweep.seeds} seeds · {sweep.space === 'map' ? 'map coordinates' : 'features'}
        </span>
      </div>
      {INDICES.map((ix) => (
        <IndexChart key={ix.key} sweep={sweep} index={ix} />
      ))}
      <h4 className="map-subtitle">Hungarian-matched accuracy</h4>
      {rows.length === 0 || rows.every((r) => r.cells.every((c) => !c.accuracy)) ? (
        <p className="field-help">No accuracy: sweep k = 7 and 10 (or the number of classes) with labelled points.</p>
      ) : (
        <table className="data-table map-acc-table" data-testid="cluster-accuracy">
          <thead>
            <tr>
              <th>k</th>
              {methods.map((m) => (
                <th key={m} className="num">
                  {methodName(m)} %
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.k} data-k={r.k}>
                <td className="nowrap" title={WHY_TITLE}>
                  <b>{r.k}</b> <span className="muted small">{r.why}</span>
                </td>
                {r.cells.map((c) => (
                  <td key={c.method} className="num nowrap">
                    {meanSd(c.accuracy, 1, 100)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="field-help">Mean ± sd over seeds; clusters matched to labels one-to-one (Hungarian algorithm).</p>
      <div className="map-cluster-choose">
        <select className="select" value={choice.method} onChange={(e) => model.chooseCluster({ method: e.target.value as ClusterMethod, k: choice.k })} aria-label="Clustering method" data-testid="cluster-method">
          {methods.map((m) => (
            <option key={m} value={m}>
              {methodName(m)}
            </option>
          ))}
        </select>
        <select className="select" value={choice.k} onChange={(e) => model.chooseCluster({ method: choice.method, k: Number(e.target.value) })} aria-label="Number of clusters" data-testid="cluster-k">
          {ks.map((k) => (
            <option key={k} value={k}>
              k = {k}
              {k === sweep.bestK ? ' (best)' : ''}
            </option>
          ))}
        </select>
        <button type="button" className={`btn btn-small${state.colourBy === 'cluster' ? ' active' : ''}`} onClick={() => model.chooseCluster(choice)} title="Colour the map by this clustering" data-testid="colour-by-cluster">
          Colour map
        </button>
      </div>
    </>
  );
}

function SweepProgress({ model, progress, starting }: { model: MapModel; progress: JobProgress | undefined; starting: boolean }): React.JSX.Element {
  const frac = progress ? progressFraction(progress) : null;
  return (
    <div className="job-panel" role="status">
      <div className="job-head">
        <span className="job-line">{progress && progress.total > 0 ? `${progress.done} / ${progress.total} fits` : 'Starting…'}</span>
        <button type="button" className="btn btn-small btn-danger" onClick={() => void model.cancelClusters()} disabled={starting} data-testid="cluster-cancel">
          Cancel
        </button>
      </div>
      <div className={`progress${frac === null ? ' progress-indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={progress?.total ?? 0} aria-valuenow={progress?.done ?? 0}>
        <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(2)}%` }} />
      </div>
    </div>
  );
}

/** K-means and GMM over a range of k: the sweep's form, progress, index charts and accuracy table. */
export function ClusterPanel({ model, state }: { model: MapModel; state: MapState }): React.JSX.Element {
  const f = state.clusterForm;
  const e = state.clusterErrors;
  const running = state.clusterState === 'running';
  const sweep = state.map?.clusters ?? null;
  const errs = Object.values(e);
  return (
    <section className="card map-card" data-cluster-state={state.clusterState} data-testid="cluster-panel">
      <div className="card-head">
        <h3>Clusters</h3>
        <span className="muted small">K-means and GMM</span>
      </div>
      <form
        className="map-cluster-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          void model.runClusters();
        }}
      >
        <fieldset disabled={running || !state.map}>
          <label className="mini-field">
            <span>k from</span>
            <input className="input input-plain" inputMode="numeric" value={f.kMin} onChange={(ev) => model.setClusterForm({ kMin: ev.target.value })} data-testid="cluster-kmin" />
          </label>
          <label className="mini-field">
            <span>to</span>
            <input className="input input-plain" inputMode="numeric" value={f.kMax} onChange={(ev) => model.setClusterForm({ kMax: ev.target.value })} data-testid="cluster-kmax" />
          </label>
          <label className="mini-field">
            <span>seeds</span>
            <input className="input input-plain" inputMode="numeric" value={f.seeds} onChange={(ev) => model.setClusterForm({ seeds: ev.target.value })} data-testid="cluster-seeds" />
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-testid="cluster-run">
            Run
          </button>
        </fieldset>
        <Segmented
          label="Cluster in"
          value={f.space}
          options={[
            { value: 'map', label: 'Map coordinates' },
            { value: 'features', label: 'Features', title: 'The standardised features the map was made of' },
          ]}
          onChange={(v) => model.setClusterForm({ space: v })}
          testId="cluster-space"
        />
      </form>
      {errs.length > 0 && (
        <div className="form-errors" role="alert">
          {errs.map((x) => (
            <div key={x}>{x}</div>
          ))}
        </div>
      )}
      {running && <SweepProgress model={model} progress={model.clusterProgress()} starting={!state.clusterJobId} />}
      {state.clusterMessage && <div className={`job-summary ${state.clusterState === 'error' ? 'tone-error' : 'tone-warn'}`}>{state.clusterMessage}</div>}
      {sweep ? <ClusterResults model={model} state={state} sweep={sweep} /> : !running && <p className="muted small">Sweep k to see the silhouette, Calinski–Harabasz and Davies–Bouldin indices and the accuracy of clusters matched to labels.</p>}
    </section>
  );
}
