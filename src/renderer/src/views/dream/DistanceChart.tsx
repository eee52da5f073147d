import React, { useMemo } from 'react';
import { chartGeometry } from '../../lib/chart';

const WIDTH = 520;
const HEIGHT = 170;
const MARGIN = { top: 12, right: 14, bottom: 30, left: 46 };
const COLOURS = { dream: '#7c9cff', refine: '#f2a65a' };

/**
 * The distance ‖e − μ_genre‖ step by step: the dream's steps, then the waveform refinement's (drawn
 * after them, in another colour). Scales with its box (a fixed viewBox).
 */
export function DistanceChart(props: { curve: ReadonlyArray<readonly [number, number]>; refine: ReadonlyArray<readonly [number, number]>; steps: number; live: boolean }): React.JSX.Element {
  const { curve, refine, steps } = props;
  const series = useMemo(
    () => [
      { key: 'dream', points: curve },
      { key: 'refine', points: refine.map(([x, y]) => [steps + x, y] as const) },
    ],
    [curve, refine, steps],
  );
  const geo = useMemo(() => chartGeometry(series, { width: WIDTH, height: HEIGHT, margin: MARGIN }, { xMinSpan: Math.max(1, steps) }), [series, steps]);
  const { plot } = geo;
  const last = refine.length ? refine[refine.length - 1]! : curve[curve.length - 1];
  const points = curve.length + refine.length;
  return (
    <figure className="chart dream-chart" data-testid="dream-chart" data-points={points} data-last={last ? last[1].toFixed(4) : ''}>
      <figcaption className="chart-title">
        Distance to the genre’s mean embedding
        {last && <span className="muted"> · now {last[1].toFixed(3)}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Distance per step: ${points} points`}>
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
        <text className="chart-axis" x={plot.x + plot.width} y={HEIGHT - 2} textAnchor="end">
          step
        </text>
        {series.map((s, i) => (
          <path
            key={s.key}
            d={geo.paths[i]!.d}
            fill="none"
            stroke={COLOURS[s.key as keyof typeof COLOURS]}
            strokeWidth={2}
            strokeLinejoin="round"
            data-series={s.key}
            data-points={geo.paths[i]!.points}
          />
        ))}
        {points === 0 && (
          <text className="chart-empty" x={plot.x + plot.width / 2} y={plot.y + plot.height / 2} textAnchor="middle">
            {props.live ? 'Waiting for the first step…' : 'No steps'}
          </text>
        )}
      </svg>
      {refine.length > 0 && (
        <div className="dream-chart-legend small muted">
          <span className="fold-swatch" style={{ background: COLOURS.dream }} /> spectrogram steps
          <span className="fold-swatch" style={{ background: COLOURS.refine }} /> waveform refinement (the sound as written)
        </div>
      )}
    </figure>
  );
}
