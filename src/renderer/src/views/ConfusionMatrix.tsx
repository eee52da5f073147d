import React, { useRef, useState } from 'react';
import type { MatrixInfo } from '../state/runs';

function cellSize(k: number): number {
  if (k <= 5) return 60;
  if (k <= 8) return 56;
  if (k <= 12) return 44;
  if (k <= 20) return 32;
  return 24;
}

interface Hover {
  t: number;
  p: number;
  x: number;
  y: number;
  /** Shown under the cell (near the top edge, where above would be cut off). */
  below: boolean;
}

/**
 * The confusion matrix as an interactive heat map: rows are true labels, columns predictions;
 * colour by count or by share of the row; hovering a cell says what it holds, clicking selects it
 * (arrow keys move between cells).
 */
export function ConfusionMatrix(props: {
  info: MatrixInfo;
  normalise: boolean;
  selected: { t: number; p: number } | null;
  onSelect: (t: number, p: number) => void;
}): React.JSX.Element {
  const { info, normalise, selected, onSelect } = props;
  const { labels, view, unit, texts } = info;
  const k = labels.length;
  const size = cellSize(k);
  // About 6.3 px per character at 11.5 px: turn the column labels when one would not fit its cell.
  const rotate = k > 6 || labels.some((l) => l.length * 6.3 > size);
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);

  // The tip is positioned in the viewport (fixed), so the matrix's scrolling box never cuts it off.
  const showHover = (t: number, p: number, el: HTMLElement): void => {
    const r = el.getBoundingClientRect();
    const below = r.top < 90;
    setHover({ t, p, x: r.left + r.width / 2, y: below ? r.bottom : r.top, below });
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const el = e.target as HTMLElement;
    const t = Number(el.dataset.row);
    const p = Number(el.dataset.col);
    if (!Number.isInteger(t) || !Number.isInteger(p)) return;
    const move: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const d = move[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    const nt = Math.min(k - 1, Math.max(0, t + d[0]));
    const np = Math.min(k - 1, Math.max(0, p + d[1]));
    box.current?.querySelector<HTMLElement>(`[data-row="${nt}"][data-col="${np}"]`)?.focus();
  };

  const scaleTicks = normalise
    ? ['0 %', '50 %', '100 %']
    : [0, view.scaleMax / 2, view.scaleMax].map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)));

  return (
    <div
      className="cm"
      ref={box}
      data-confusion-ready="true"
      data-unit={unit}
      data-normalised={normalise}
      data-testid="confusion"
      onMouseLeave={() => setHover(null)}
      onWheel={() => setHover(null)}
    >
      <div className="cm-body">
        <div className="cm-ytitle">True label</div>
        <div>
          <div
            className="cm-grid"
            role="grid"
            aria-label={`Confusion matrix, ${unit}: rows true label, columns predicted label`}
            style={{ gridTemplateColumns: `auto repeat(${k}, ${size}px)` }}
            onKeyDown={onKeyDown}
          >
            <div className="cm-corner" />
            {labels.map((l, p) => (
              <div
                key={`c${l}`}
                className={`cm-colhead${rotate ? ' rotated' : ''}${selected?.p === p ? ' active' : ''}`}
                title={l}
                role="columnheader"
              >
                <span>{l}</span>
              </div>
            ))}
            {view.cells.map((row, t) => (
              <React.Fragment key={`r${labels[t]}`}>
                <div className={`cm-rowhead${selected?.t === t ? ' active' : ''}`} title={`${labels[t]}: ${view.rowTotals[t]} ${unit}`} role="rowheader">
                  {labels[t]}
                </div>
                {row.map((c) => {
                  const isSel = selected?.t === c.t && selected?.p === c.p;
                  const empty = c.count === 0;
                  return (
                    <button
                      key={c.p}
                      role="gridcell"
                      className={`cm-cell${c.t === c.p ? ' diag' : ''}${isSel ? ' selected' : ''}${empty ? ' empty' : ''}`}
                      style={{ width: size, height: size, background: empty ? undefined : c.fill, color: empty ? undefined : c.ink }}
                      data-true={labels[c.t]}
                      data-pred={labels[c.p]}
                      data-count={c.count}
                      data-row={c.t}
                      data-col={c.p}
                      aria-label={texts[c.t]![c.p]}
                      aria-selected={isSel}
                      onClick={() => onSelect(c.t, c.p)}
                      onMouseEnter={(e) => showHover(c.t, c.p, e.currentTarget)}
                      onFocus={(e) => showHover(c.t, c.p, e.currentTarget)}
                      onBlur={() => setHover(null)}
                    >
                      {normalise ? (
                        <>
                          <span className="cm-main">{empty ? '·' : `${Math.round(c.share * 100)}%`}</span>
                          {size >= 44 && !empty && <span className="cm-sub">{c.count}</span>}
                        </>
                      ) : (
                        <span className="cm-main">{empty ? '·' : c.count}</span>
                      )}
                    </button>
                  );
                })}
              </React.Fragment>
            ))}
          </div>
          <div className="cm-xtitle">Predicted label</div>
        </div>
        <div className="cm-scale" aria-hidden="true">
          <div className="cm-scale-bar" style={{ background: `linear-gradient(to top, ${view.ramp.join(', ')})` }} />
          <div className="cm-scale-ticks">
            {scaleTicks
              .slice()
              .reverse()
              .map((t, i) => (
                <span key={i}>{t}</span>
              ))}
          </div>
        </div>
      </div>
      <div className="cm-caption muted small">
        {normalise ? 'Colour: share of the true row' : `Colour: count of ${unit}`} · click a cell to list its tracks
      </div>
      {hover && (
        <div className={`cm-tip${hover.below ? ' below' : ''}`} role="tooltip" style={{ left: hover.x, top: hover.y }}>
          {texts[hover.t]![hover.p]}
        </div>
      )}
    </div>
  );
}
