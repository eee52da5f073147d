import React from 'react';
import type { DeltaF1Point, LossReport } from '../../../../shared/loss';
import type { RunDetail } from '../../../../shared/types';
import { labelColour } from '../../lib/confusion';
import { pct, score } from '../../lib/runs';
import { LOSS_LABELS } from '../../state/trainLoss';

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

/** "Nice" ticks covering [lo, hi]. */
function ticks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

/** ΔF1 of each class (y) against its mean distance to the other classes (x), with the zero line and r. */
export function DeltaF1Scatter(props: { points: DeltaF1Point[]; labels: readonly string[]; r: number | null }): React.JSX.Element {
  const { points, labels, r } = props;
  const W = 420;
  const H = 260;
  const m = { l: 60, r: 14, t: 14, b: 42 };
  const xs = points.map((p) => p.meanDistance);
  const ys = points.map((p) => p.deltaF1);
  const xPad = (Math.max(...xs) - Math.min(...xs)) * 0.08 || 0.5;
  const x0 = Math.min(...xs) - xPad;
  const x1 = Math.max(...xs) + xPad;
  const yAbs = Math.max(0.02, ...ys.map(Math.abs)) * 1.15;
  const X = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number) => m.t + ((yAbs - v) / (2 * yAbs)) * (H - m.t - m.b);
  const xt = ticks(x0, x1);
  const yt = ticks(-yAbs, yAbs, 4);
  return (
    <figure className="deltaf1" data-testid="deltaf1-scatter">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Change in F1 against mean hyperbolic distance to the other genres">
        <rect x={m.l} y={m.t} width={W - m.l - m.r} height={H - m.t - m.b} className="deltaf1-frame" />
        {yt.map((t) => (
          <g key={`y${t}`}>
            <line x1={m.l} x2={W - m.r} y1={Y(t)} y2={Y(t)} className={t === 0 ? 'deltaf1-zero' : 'deltaf1-grid'} />
            <text x={m.l - 6} y={Y(t) + 4} textAnchor="end" className="deltaf1-tick">
              {t > 0 ? '+' : ''}
              {t.toFixed(Math.abs(t) < 0.1 ? 2 : 1)}
            </text>
          </g>
        ))}
        {xt.map((t) => (
          <g key={`x${t}`}>
            <line x1={X(t)} x2={X(t)} y1={H - m.b} y2={H - m.b + 4} className="deltaf1-axis" />
            <text x={X(t)} y={H - m.b + 16} textAnchor="middle" className="deltaf1-tick">
              {Number(t.toFixed(2))}
            </text>
          </g>
        ))}
        <text x={(m.l + W - m.r) / 2} y={H - 6} textAnchor="middle" className="deltaf1-axis-label">
          mean Poincaré distance to the other genres
        </text>
        <text x={14} y={(m.t + H - m.b) / 2} textAnchor="middle" transform={`rotate(-90 14 ${(m.t + H - m.b) / 2})`} className="deltaf1-axis-label">
          ΔF1 vs cross-entropy
        </text>
        {points.map((p) => (
          <g key={p.label} data-label={p.label} data-delta={p.deltaF1} data-distance={p.meanDistance}>
            <circle cx={X(p.meanDistance)} cy={Y(p.deltaF1)} r={5} fill={labelColour(labels, p.label)} className="deltaf1-dot">
              <title>{`${p.label}: ΔF1 ${p.deltaF1 >= 0 ? '+' : ''}${p.deltaF1.toFixed(3)}, mean distance ${p.meanDistance.toFixed(2)}`}</title>
            </circle>
            <text x={X(p.meanDistance) + (X(p.meanDistance) > W * 0.8 ? -7 : 7)} y={Y(p.deltaF1) + 4} textAnchor={X(p.meanDistance) > W * 0.8 ? 'end' : 'start'} className="deltaf1-name">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="small muted" data-testid="deltaf1-r">
        Pearson r = {r === null ? 'undefined' : r.toFixed(3)} over {points.length} genres
      </figcaption>
    </figure>
  );
}

function Comparison({ h, m }: { h: LossReport; m: RunDetail['metrics'] }): React.JSX.Element | null {
  const b = h.baseline;
  if (!b) return null;
  const delta = (a: number | null, c: number | null, lowerBetter = false) => {
    if (a === null || c === null) return '';
    const d = a - c;
    const good = lowerBetter ? d < 0 : d > 0;
    return <span className={d === 0 ? 'muted' : good ? 'tone-ok' : 'tone-error'}>{` (${d >= 0 ? '+' : ''}${d.toFixed(3)})`}</span>;
  };
  return (
    <table className="data-table loss-compare-table" data-testid="loss-comparison">
      <thead>
        <tr>
          <th />
          <th className="num">Accuracy</th>
          <th className="num">Macro-F1</th>
          <th className="num">Mistake severity</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>This run ({LOSS_LABELS[h.loss].toLowerCase()})</td>
          <td className="num">{pct(m.accuracy)}</td>
          <td className="num">
            {score(m.macroF1)}
            {delta(m.macroF1, b.macroF1)}
          </td>
          <td className="num">
            {f3(h.mistakeSeverity)}
            {delta(h.mistakeSeverity, b.mistakeSeverity, true)}
          </td>
        </tr>
        <tr data-testid="loss-baseline">
          <td>Cross-entropy {b.source === 'run' ? `(run #${b.runId})` : '(same folds)'}</td>
          <td className="num">{pct(b.accuracy)}</td>
          <td className="num">{score(b.macroF1)}</td>
          <td className="num">{f3(b.mistakeSeverity)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** The run panel's hyperbolic card: mistake severity, the comparison with cross-entropy, the ΔF1 scatter. */
export function LossResults({ run }: { run: RunDetail }): React.JSX.Element | null {
  const m = run.metrics;
  const h = m.hyperbolic;
  if (!h) return null;
  return (
    <section className="card loss-results" aria-label="Hyperbolic loss" data-testid="loss-results" data-loss={h.loss}>
      <div className="card-head">
        <h3>Hyperbolic genre distances</h3>
        <span className="muted small">
          {LOSS_LABELS[h.loss]}
          {h.loss !== 'ce' ? `, λ ${h.lambda}${h.normalise === 'range' ? ', range-normalised costs' : ''}` : ''} · {h.embedding.name} ({h.embedding.model === 'poincare' ? 'Poincaré' : 'Euclidean'}, {h.embedding.dim}-D)
        </span>
      </div>
      <div className="loss-body">
        <div className="loss-figures">
          <div className="figure strong">
            <div className="figure-label">Mistake severity</div>
            <div className="figure-values">
              <div className="figure-pair" data-testid="run-severity">
                <span className="figure-value">{f3(h.mistakeSeverity)}</span>
                {h.trackMistakeSeverity !== null && <span className="figure-unit">segments</span>}
              </div>
              {h.trackMistakeSeverity !== null && (
                <div className="figure-pair">
                  <span className="figure-value">{f3(h.trackMistakeSeverity)}</span>
                  <span className="figure-unit">tracks</span>
                </div>
              )}
            </div>
            <div className="figure-sub">mean distance between true and predicted genre over {h.mistakes} mistakes</div>
          </div>
          <Comparison h={h} m={m} />
          <details className="loss-map-details">
            <summary>Labels → genres</summary>
            <ul className="small">
              {h.mapping.map((x) => (
                <li key={x.label}>
                  {x.label} → {x.genre ?? <i>unmapped</i>} <span className="muted">({x.how})</span>
                </li>
              ))}
            </ul>
          </details>
        </div>
        {h.deltaF1 && <DeltaF1Scatter points={h.deltaF1} labels={m.labels} r={h.deltaF1Correlation} />}
      </div>
    </section>
  );
}
