import React, { useEffect, useState } from 'react';
import type { GlobalAttribution, RunDetail, TrackPrediction } from '../../../../shared/types';
import type { RendererClient } from '../../client';
import { formatElapsed } from '../../lib/format';
import { pct } from '../../lib/runs';
import { AttributionModel, topFeatures } from '../../state/attributions';
import { useStore } from '../../state/store';

const TOP = 12;
const POS = '#f2706a';
const NEG = '#7c9cff';

const fmt = (x: number): string => (Math.abs(x) >= 0.1 ? x.toFixed(3) : x.toPrecision(2));

/** Signed horizontal bars: the features that moved one class's probability most for one prediction. */
function Bars(props: { features: string[]; phi: number[][]; c: number; label: string }): React.JSX.Element {
  const top = topFeatures(props.phi, props.c, TOP);
  const max = Math.max(1e-12, ...top.map((t) => Math.abs(t.phi)));
  const rowH = 20;
  const W = 520;
  const nameW = 190;
  const mid = nameW + (W - nameW - 70) / 2;
  const half = (W - nameW - 70) / 2;
  const H = top.length * rowH + 24;
  return (
    <svg className="why-svg" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Top features for ${props.label}`} data-testid="why-bars" data-bars={top.length}>
      <line x1={mid} y1={4} x2={mid} y2={H - 18} stroke="#5b6473" />
      {top.map((t, r) => {
        const w = (Math.abs(t.phi) / max) * half;
        const y = 6 + r * rowH;
        return (
          <g key={t.i} data-feature={props.features[t.i]} data-phi={t.phi}>
            <text x={nameW - 8} y={y + 12} textAnchor="end" className="why-name">
              {props.features[t.i]}
            </text>
            <rect x={t.phi >= 0 ? mid : mid - w} y={y + 2} width={Math.max(1, w)} height={rowH - 6} fill={t.phi >= 0 ? POS : NEG} rx={2} />
            <text x={t.phi >= 0 ? mid + w + 4 : mid - w - 4} y={y + 12} textAnchor={t.phi >= 0 ? 'start' : 'end'} className="why-value">
              {t.phi >= 0 ? '+' : '−'}
              {fmt(Math.abs(t.phi))}
            </text>
          </g>
        );
      })}
      <text x={mid} y={H - 4} textAnchor="middle" className="why-axis">
        φ: change in P({props.label})
      </text>
    </svg>
  );
}

/** Deterministic jitter in [−0.5, 0.5) for point r of feature i. */
function jitter(r: number, i: number): number {
  const x = Math.sin((r + 1) * 12.9898 + (i + 1) * 78.233) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}

/** Blue (low feature value) to red (high). */
function valueColour(v: number): string {
  const t = Math.max(0, Math.min(1, v));
  const a = [124, 156, 255];
  const b = [242, 112, 106];
  return `rgb(${a.map((x, k) => Math.round(x + (b[k]! - x) * t)).join(', ')})`;
}

/** Beeswarm-style summary of one class: one row per top feature, one dot per explained row at its φ, coloured by the feature's value. */
function Beeswarm(props: { g: GlobalAttribution; features: string[]; c: number; label: string }): React.JSX.Element {
  const { g, c } = props;
  const order = (g.order[c] ?? []).slice(0, 10);
  const bee = g.beeswarm[c]!;
  let max = 1e-12;
  for (const i of order) for (const row of bee.phi) max = Math.max(max, Math.abs(row[i] ?? 0));
  const rowH = 26;
  const W = 560;
  const nameW = 190;
  const plotW = W - nameW - 24;
  const mid = nameW + plotW / 2;
  const H = order.length * rowH + 40;
  let points = 0;
  return (
    <svg className="why-svg" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Attributions of every explained row for ${props.label}`} data-testid="why-beeswarm">
      <line x1={mid} y1={4} x2={mid} y2={H - 30} stroke="#5b6473" />
      {order.map((i, r) => {
        const y = 6 + r * rowH + rowH / 2;
        return (
          <g key={i} data-feature={props.features[i]} data-mean-abs={g.meanAbs[c]?.[i]}>
            <text x={nameW - 8} y={y + 4} textAnchor="end" className="why-name">
              {props.features[i]}
            </text>
            {bee.phi.map((row, k) => {
              points++;
              return <circle key={k} cx={mid + ((row[i] ?? 0) / max) * (plotW / 2)} cy={y + jitter(k, i) * (rowH - 8)} r={2.6} fill={valueColour(bee.value01[k]?.[i] ?? 0.5)} fillOpacity={0.85} />;
            })}
          </g>
        );
      })}
      <text x={mid} y={H - 16} textAnchor="middle" className="why-axis">
        φ on P({props.label}) · {g.rows} rows
      </text>
      <text x={nameW} y={H - 2} className="why-axis">
        <tspan fill={NEG}>●</tspan> low feature value <tspan fill={POS}>●</tspan> high
      </text>
      <desc data-testid="why-points">{points}</desc>
    </svg>
  );
}

function ClassPick(props: { labels: string[]; value: string; onChange: (l: string) => void; testId: string }): React.JSX.Element {
  return (
    <select className="select select-small" value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} aria-label="Class">
      {props.labels.map((l) => (
        <option key={l} value={l}>
          {l}
        </option>
      ))}
    </select>
  );
}

/**
 * "Why?": Kernel SHAP attributions of the run's saved model — the selected track's top features for a
 * class, and a per-class beeswarm over a stratified sample of rows. Both are jobs (cancelable) whose
 * results are cached with the run.
 */
export function WhyPanel(props: { run: RunDetail; selected: TrackPrediction | null; client: RendererClient }): React.JSX.Element {
  const { run, selected, client } = props;
  const [model] = useState(() => new AttributionModel(client));
  useEffect(() => () => model.dispose(), [model]);
  useEffect(() => {
    void model.open(run.id, selected);
  }, [model, run.id, selected]);
  const s = useStore(model);
  const labels = run.metrics.labels;
  const busy = s.jobId !== null;
  const t = s.data?.track && selected && s.data.track.name === selected.name ? s.data.track : null;
  const g = s.data?.global ?? null;
  const trackClass = s.trackClass ?? t?.predicted ?? selected?.predicted ?? labels[0]!;
  const globalClass = s.globalClass ?? labels[0]!;
  return (
    <section className="card why" aria-label="Why? Feature attributions" data-testid="why" data-why-state={s.state}>
      <div className="card-head">
        <h3>Why?</h3>
        <span className="muted small">Shapley values (Kernel SHAP) of the run’s final model; background: rows of its own data</span>
      </div>
      {!run.hasModel && <p className="muted small">This run kept no model to explain.</p>}
      {busy && (
        <div className="why-progress" role="status" data-testid="why-progress">
          <span className="spinner spinner-small" aria-hidden="true" />
          <span>
            {s.scope === 'track' ? 'Explaining the track' : 'Explaining rows'}
            {s.total > 0 ? ` · ${s.done} of ${s.total}` : '…'}
          </span>
          <button type="button" className="btn btn-small btn-danger" onClick={() => void model.cancel()} disabled={s.cancelling} data-testid="why-cancel">
            {s.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {s.message && (
        <p className={s.state === 'error' ? 'field-error' : 'muted small'} role={s.state === 'error' ? 'alert' : undefined} data-testid="why-message">
          {s.message}
        </p>
      )}
      <div className="why-grid">
        <div className="why-block">
          <div className="why-head">
            <b>This track</b>
            {selected ? <span className="muted small">{selected.name}</span> : <span className="muted small">open a track (in the lists above) to explain its prediction</span>}
            <span className="grow" />
            {t && <ClassPick labels={labels} value={trackClass} onChange={(l) => model.setTrackClass(l)} testId="why-track-class" />}
            <button type="button" className="btn btn-small" disabled={!selected || busy || !run.hasModel} onClick={() => void model.explain('track')} data-testid="why-explain-track">
              {t ? 'Again' : 'Explain'}
            </button>
          </div>
          {t && (
            <>
              <p className="muted small" data-testid="why-track-facts">
                true <b>{t.label}</b>, predicted <b>{t.predicted}</b>; P({trackClass}) = {pct(t.proba[labels.indexOf(trackClass)] ?? NaN)} from a base of{' '}
                {pct(t.base[labels.indexOf(trackClass)] ?? NaN)}
                {t.segments > 1 ? ` · mean over ${t.segments} segments` : ''} · {t.samples} coalitions × {t.background} background rows · {formatElapsed(t.seconds)}
              </p>
              <Bars features={t.features} phi={t.phi} c={Math.max(0, labels.indexOf(trackClass))} label={trackClass} />
            </>
          )}
        </div>
        <div className="why-block">
          <div className="why-head">
            <b>Per class</b>
            <span className="grow" />
            {g && <ClassPick labels={labels} value={globalClass} onChange={(l) => model.setGlobalClass(l)} testId="why-global-class" />}
            <label className="muted small" htmlFor="why-rows">
              rows
            </label>
            <input id="why-rows" className="input input-plain input-tiny" inputMode="numeric" value={s.rows} onChange={(e) => model.setRows(Number(e.target.value))} data-testid="why-rows" />
            <button type="button" className="btn btn-small" disabled={busy || !run.hasModel} onClick={() => void model.explain('global')} data-testid="why-explain-global">
              {g ? 'Recompute' : 'Compute'}
            </button>
          </div>
          {g ? (
            <>
              <p className="muted small" data-testid="why-global-facts">
                {g.rows} rows stratified by label · {g.samples} coalitions × {g.background} background rows · {formatElapsed(g.seconds)}
              </p>
              <Beeswarm g={g} features={g.features} c={Math.max(0, labels.indexOf(globalClass))} label={globalClass} />
            </>
          ) : (
            <p className="muted small">Which features convince each class: mean |φ| and every explained row’s φ, coloured by the feature’s value.</p>
          )}
        </div>
      </div>
    </section>
  );
}
