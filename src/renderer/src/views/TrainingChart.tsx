import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { EpochPoint } from '../../../shared/types';
import { chartGeometry, type CurveMetric, curveFolds, curveSeries, foldColour, lastValues } from '../lib/chart';

const FRAME_MARGIN = { top: 12, right: 14, bottom: 30, left: 46 };
const HEIGHT = 190;

/** Width of an element, followed as it resizes. */
function useWidth(fallback: number): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => setWidth(Math.max(160, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/**
 * One SVG line chart of a training metric: a line per fold (and ensemble member), training solid,
 * validation dashed; the highlighted fold drawn on top at full strength, the others faded.
 */
export function TrainingChart(props: {
  title: string;
  metric: CurveMetric;
  points: readonly EpochPoint[];
  highlight: number | null;
}): React.JSX.Element {
  const { title, metric, points, highlight } = props;
  const [ref, width] = useWidth(420);
  const series = useMemo(() => curveSeries(points, metric), [points, metric]);
  const geo = useMemo(
    () => chartGeometry(series, { width, height: HEIGHT, margin: FRAME_MARGIN }, metric === 'acc' ? { yRange: [0, 1] } : {}),
    [series, width, metric],
  );
  // Faded lines first, the highlighted fold last (on top).
  const order = series
    .map((s, i) => ({ s, path: geo.paths[i]! }))
    .sort((a, b) => Number(a.s.fold === highlight) - Number(b.s.fold === highlight));
  const total = geo.paths.reduce((n, p) => n + p.points, 0);
  const { plot } = geo;
  return (
    <figure className="chart" ref={ref}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.length} lines, ${total} points`}
        data-chart={metric}
        data-points={total}
      >
        <rect className="chart-plot" x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
        {geo.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line className="chart-grid" x1={plot.x} x2={plot.x + plot.width} y1={t.px} y2={t.px} />
            <text className="chart-tick" x={plot.x - 6} y={t.px} textAnchor="end" dominantBaseline="middle">
              {metric === 'acc' ? `${Math.round(t.value * 100)}%` : t.label}
            </text>
          </g>
        ))}
        {geo.xTicks.map((t) => (
          <text key={`x${t.value}`} className="chart-tick" x={t.px} y={plot.y + plot.height + 14} textAnchor="middle">
            {t.label}
          </text>
        ))}
        <text className="chart-axis" x={plot.x + plot.width} y={HEIGHT - 2} textAnchor="end">
          epoch
        </text>
        {order.map(({ s, path }) => {
          const strong = highlight === null || s.fold === highlight;
          return (
            <path
              key={s.key}
              d={path.d}
              fill="none"
              stroke={foldColour(s.fold)}
              strokeWidth={strong ? 2 : 1.25}
              strokeOpacity={strong ? 1 : 0.3}
              strokeDasharray={s.kind === 'val' ? '5 4' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
              data-series={s.key}
              data-points={path.points}
            />
          );
        })}
        {total === 0 && (
          <text className="chart-empty" x={plot.x + plot.width / 2} y={plot.y + plot.height / 2} textAnchor="middle">
            Waiting for the first epoch…
          </text>
        )}
      </svg>
    </figure>
  );
}

/** Loss and accuracy side by side, with a legend of folds that picks the highlighted one. */
export function TrainingCurves(props: { points: readonly EpochPoint[]; live: boolean }): React.JSX.Element {
  const { points, live } = props;
  const folds = useMemo(() => curveFolds(points), [points]);
  const [picked, setPicked] = useState<number | null>(null);
  const current = folds.length ? folds[folds.length - 1]! : null;
  const highlight = picked !== null && folds.includes(picked) ? picked : live ? current : null;
  const loss = useMemo(() => curveSeries(points, 'loss'), [points]);
  const epochs = points.length ? Math.max(...points.map((p) => p.epoch)) + 1 : 0;
  return (
    <div className="curves" data-testid="curves" data-epoch-points={points.length}>
      <div className="curves-legend">
        {folds.map((f) => {
          const last = lastValues(loss, f);
          return (
            <button
              key={f}
              className={`chip fold-chip${highlight === f ? ' active' : ''}`}
              onClick={() => setPicked(picked === f ? null : f)}
              title={`Fold ${f + 1}: last training loss ${last.train?.toFixed(3) ?? '–'}, validation loss ${last.val?.toFixed(3) ?? '–'}${picked === f ? ' (click to follow the current fold)' : ' (click to highlight)'}`}
            >
              <span className="fold-swatch" style={{ background: foldColour(f) }} />
              Fold {f + 1}
            </button>
          );
        })}
        <span className="grow" />
        <span className="legend-key">
          <svg width="22" height="8" aria-hidden="true">
            <line x1="1" x2="21" y1="4" y2="4" stroke="currentColor" strokeWidth="2" />
          </svg>
          training
        </span>
        <span className="legend-key">
          <svg width="22" height="8" aria-hidden="true">
            <line x1="1" x2="21" y1="4" y2="4" stroke="currentColor" strokeWidth="2" strokeDasharray="5 4" />
          </svg>
          validation
        </span>
        <span className="muted small">{epochs > 0 ? `${epochs} epochs` : ''}</span>
      </div>
      <div className="curves-charts">
        <TrainingChart title="Loss" metric="loss" points={points} highlight={highlight} />
        <TrainingChart title="Accuracy" metric="acc" points={points} highlight={highlight} />
      </div>
    </div>
  );
}
