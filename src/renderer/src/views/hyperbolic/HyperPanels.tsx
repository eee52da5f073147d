import React, { useMemo } from 'react';
import type { EmbeddingEvaluation, GenreHit } from '../../../../shared/hyperbolic';
import type { EpochPoint } from '../../../../shared/types';
import { foldColour } from '../../lib/chart';
import { formatInt } from '../../lib/format';
import { Segmented } from '../RunsControls';
import { TrainingChart } from '../TrainingChart';
import { dendrogramLayout } from './dendrogram';
import { DISK_COLOURS } from './disk';
import type { HyperModel, HyperState } from './model';

function HitList(props: { hits: GenreHit[] | null; testId: string; onPick: (i: number) => void; library: Uint8Array; empty: string; colour: string }): React.JSX.Element {
  if (!props.hits) return <p className="muted small">…</p>;
  if (props.hits.length === 0)
    return (
      <p className="muted small" data-testid={props.testId} data-count={0}>
        {props.empty}
      </p>
    );
  return (
    <ol className="hyper-hits" data-testid={props.testId} data-count={props.hits.length}>
      {props.hits.map((h) => (
        <li key={h.index}>
          <button type="button" className="hyper-hit" onClick={() => props.onPick(h.index)} data-genre={h.name} title={`distance ${h.distance.toFixed(4)} · norm ${h.norm.toFixed(4)} · angle ${((Math.acos(Math.max(-1, Math.min(1, h.cos))) * 180) / Math.PI).toFixed(1)}°`}>
            <span className="hyper-hit-dot" style={{ background: props.colour }} />
            <span className={`hyper-hit-name${props.library[h.index] ? ' lib' : ''}`}>{h.name}</span>
            <span className="muted small mono">{h.distance.toFixed(3)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The selected genre: its nearest neighbours and likely parents, with the parent thresholds as sliders. */
export function GenrePanel({ model, state, library }: { model: HyperModel; state: HyperState; library: Uint8Array }): React.JSX.Element {
  const open = state.open!;
  const sel = state.selection;
  const pick = (i: number): void => {
    void model.select(i);
    model.centreOn(i);
  };
  let norm = 0;
  if (sel) for (let k = 0; k < open.dim; k++) norm += open.X[sel.index * open.dim + k]! ** 2;
  return (
    <section className="card map-card" data-testid="hyper-genre" data-genre={sel ? open.detail.names[sel.index] : ''} data-loading={sel?.loading ? 'true' : 'false'}>
      <div className="card-head">
        <h3>{sel ? open.detail.names[sel.index] : 'Genre'}</h3>
        {sel && library[sel.index] ? <span className="chip chip-muted">library label</span> : null}
        <span className="grow" />
        {sel && (
          <button type="button" className="link-btn" onClick={() => model.centreOn(sel.index)} data-testid="hyper-centre">
            centre
          </button>
        )}
      </div>
      {!sel ? (
        <p className="muted small">Click a genre on the disk, or search one (press /), to list its nearest genres and its likely parents.</p>
      ) : (
        <>
          <p className="muted small">
            norm {Math.sqrt(norm).toFixed(4)} — nearer 0 is more general
          </p>
          {sel.error && (
            <p className="text-err small" role="alert">
              {sel.error}
            </p>
          )}
          <h4 className="hyper-subtitle">Likely parents</h4>
          <HitList hits={sel.parents} testId="hyper-parents" onPick={pick} library={library} colour={DISK_COLOURS.parent} empty="No genre nearer the centre within the angle: widen the angle or raise the norm ratio." />
          <div className="hyper-sliders">
            <label className="mini-field">
              <span>
                angle ≤ <b>{state.maxAngle}°</b>
              </span>
              <input type="range" min={5} max={180} step={5} value={state.maxAngle} onChange={(e) => model.setThresholds({ maxAngle: Number(e.target.value) })} data-testid="hyper-angle" />
            </label>
            <label className="mini-field">
              <span>
                norm &lt; <b>{state.normRatio.toFixed(2)}</b> × the genre's
              </span>
              <input type="range" min={0.5} max={1.5} step={0.05} value={state.normRatio} onChange={(e) => model.setThresholds({ normRatio: Number(e.target.value) })} data-testid="hyper-norm-ratio" />
            </label>
          </div>
          <h4 className="hyper-subtitle">Nearest genres</h4>
          <HitList hits={sel.neighbours} testId="hyper-neighbours" onPick={pick} library={library} colour={DISK_COLOURS.neighbour} empty="No other genre." />
        </>
      )}
    </section>
  );
}

function fmt(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** Reconstruction of the graph: mean rank and MAP of the open embedding and the one trained beside it. */
export function EvalCard({ state }: { state: HyperState }): React.JSX.Element | null {
  const open = state.open;
  if (!open) return null;
  const d = open.detail;
  const cols: Array<{ label: string; ev: EmbeddingEvaluation | null; seconds: number; testId: string }> = [];
  const mine = { label: d.model === 'poincare' ? 'Poincaré' : 'Euclidean', ev: d.evaluation, seconds: d.seconds, testId: d.model };
  const pair = open.pair ? { label: open.pair.model === 'poincare' ? 'Poincaré' : 'Euclidean', ev: open.pair.evaluation, seconds: open.pair.seconds, testId: open.pair.model } : null;
  if (d.model === 'poincare') cols.push(mine, ...(pair ? [pair] : []));
  else cols.push(...(pair ? [pair] : []), mine);
  return (
    <section className="card map-card" data-testid="hyper-eval">
      <div className="card-head">
        <h3>Reconstruction</h3>
        <span className="muted small">
          {d.dim}-D · {formatInt(d.nodes)} genres · {formatInt(d.edges)} edges
        </span>
      </div>
      <table className="data-table hyper-eval-table">
        <thead>
          <tr>
            <th />
            {cols.map((c) => (
              <th key={c.testId}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>MAP</td>
            {cols.map((c) => (
              <td key={c.testId} className="mono" data-testid={`hyper-map-${c.testId}`}>
                {fmt(c.ev?.map, 3)}
              </td>
            ))}
          </tr>
          <tr>
            <td>mean rank</td>
            {cols.map((c) => (
              <td key={c.testId} className="mono" data-testid={`hyper-rank-${c.testId}`}>
                {fmt(c.ev?.meanRank, 1)}
              </td>
            ))}
          </tr>
          <tr>
            <td>training</td>
            {cols.map((c) => (
              <td key={c.testId} className="mono">
                {c.seconds.toFixed(1)} s
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <p className="muted small">For each genre all others are ranked by distance; its co-occurring genres are the relevant ones (higher MAP, lower mean rank are better).{!pair ? ' Train with the Euclidean baseline to compare.' : ''}</p>
    </section>
  );
}

/** The loss per epoch: live while training (both models), else the open embedding's history. */
export function LossCard({ state }: { state: HyperState }): React.JSX.Element | null {
  const training = state.jobId !== null;
  const points = useMemo(() => {
    const pts: EpochPoint[] = [];
    const add = (fold: number, list: ReadonlyArray<{ epoch: number; loss: number }>) => {
      for (const p of list) pts.push({ fold, epoch: p.epoch - 1, loss: p.loss, acc: NaN, valLoss: NaN, valAcc: NaN });
    };
    if (training || !state.open) {
      add(0, state.losses.poincare);
      add(1, state.losses.euclidean);
    } else add(state.open.detail.model === 'poincare' ? 0 : 1, state.open.detail.losses);
    return pts;
  }, [training, state.losses, state.open]);
  if (!training && !state.open && points.length === 0) return null;
  const models = training ? ['Poincaré', ...(state.losses.euclidean.length || state.form.euclidean ? ['Euclidean'] : [])] : state.open ? [state.open.detail.model === 'poincare' ? 'Poincaré' : 'Euclidean'] : [];
  return (
    <section className="card map-card" data-testid="hyper-loss" data-epochs={points.length}>
      <div className="card-head">
        <h3>Loss</h3>
        <span className="grow" />
        {models.map((m) => (
          <span key={m} className="legend-key">
            <span className="fold-swatch" style={{ background: foldColour(m === 'Poincaré' ? 0 : 1) }} />
            {m}
          </span>
        ))}
      </div>
      <TrainingChart title={training ? `Training: ${state.totalEpochs} epochs (burn-in included)` : 'Mean loss per relation'} metric="loss" points={points} highlight={null} />
    </section>
  );
}

const ROW = 15;

/** Ward dendrogram of the top-N genres or of the selected genre's neighbourhood (SVG); a click selects a genre. */
export function DendrogramCard({ model, state, library }: { model: HyperModel; state: HyperState; library: Uint8Array }): React.JSX.Element | null {
  const d = state.dendrogram;
  const layout = useMemo(() => (d ? dendrogramLayout(d.Z, d.order) : null), [d]);
  if (!state.open) return null;
  const width = 560;
  const labelW = 190;
  const treeW = width - labelW - 16;
  const m = d?.leaves.length ?? 0;
  const height = m * ROW + 20;
  const sx = (h: number) => 8 + treeW * (1 - (layout && layout.maxHeight > 0 ? h / layout.maxHeight : 0));
  const sy = (r: number) => 10 + r * ROW + ROW / 2;
  const selGenre = state.selection?.index ?? -1;
  return (
    <section className="card hyper-dendro" data-testid="hyper-dendrogram" data-leaves={m}>
      <div className="card-head">
        <h3>Ward dendrogram</h3>
        <Segmented
          label="Genres clustered"
          value={state.dendroMode}
          options={[
            { value: 'top', label: 'Top genres' },
            { value: 'around', label: 'Around the selected genre' },
          ]}
          onChange={(v) => model.setDendrogram({ mode: v })}
          testId="hyper-dendro-mode"
        />
        <select className="select hyper-dendro-n" value={state.dendroTop} onChange={(e) => model.setDendrogram({ top: Number(e.target.value) })} aria-label="Number of genres" data-testid="hyper-dendro-n">
          {[30, 60, 100, 200, 400].map((k) => (
            <option key={k} value={k}>
              {k} genres
            </option>
          ))}
        </select>
        {state.dendroBusy && <span className="spinner spinner-small" aria-hidden="true" />}
      </div>
      {state.dendroError && <p className="muted small">{state.dendroError}</p>}
      {d && layout && (
        <>
          <p className="muted small">{d.description}.</p>
          <div className="hyper-dendro-scroll">
            <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Dendrogram of ${m} genres`}>
              <g stroke="#5b6473" strokeWidth={1} fill="none">
                {layout.segments.map((s, i) => (
                  <line key={i} x1={sx(s.x1)} y1={sy(s.y1)} x2={sx(s.x2)} y2={sy(s.y2)} />
                ))}
              </g>
              {d.leaves.map((g, k) => (
                <text
                  key={g}
                  x={sx(0) + 6}
                  y={sy(layout.leafRow[k]!)}
                  dominantBaseline="middle"
                  className={`hyper-dendro-leaf${g === selGenre ? ' selected' : ''}${library[g] ? ' lib' : ''}`}
                  onClick={() => {
                    void model.select(g);
                    model.centreOn(g);
                  }}
                  data-genre={d.names[k]}
                >
                  {d.names[k]}
                </text>
              ))}
            </svg>
          </div>
        </>
      )}
    </section>
  );
}
