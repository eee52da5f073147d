import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TrackRow } from '../../../../shared/types';
import { formatDuration, formatInt, formatRate } from '../../lib/format';
import { type SortKey, type SortSpec, visibleRange } from '../../lib/tracks';

export const ROW_HEIGHT = 32;

const COLUMNS: Array<{ key: SortKey; title: string; className: string }> = [
  { key: 'relPath', title: 'Path', className: 'col-path' },
  { key: 'label', title: 'Label', className: 'col-label' },
  { key: 'duration', title: 'Duration', className: 'col-num' },
  { key: 'sampleRate', title: 'Rate', className: 'col-num' },
  { key: 'channels', title: 'Ch', className: 'col-num col-ch' },
  { key: 'status', title: 'Status', className: 'col-status' },
  { key: 'reason', title: 'Reason', className: 'col-reason' },
];

const STATUS_TEXT: Record<TrackRow['status'], string> = { ok: 'ok', failed: 'failed', 'no-audio': 'no audio' };

const Row = React.memo(function Row(props: {
  t: TrackRow;
  index: number;
  selected: boolean;
  onSelect: (id: number) => void;
}): React.JSX.Element {
  const { t, index, selected, onSelect } = props;
  return (
    <div
      className={`tr status-${t.status}${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-selected={selected}
      aria-rowindex={index + 2}
      data-track-id={t.id}
      data-status={t.status}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onSelect(t.id)}
    >
      <div className="td col-path mono" role="cell" title={t.path}>
        {t.relPath}
      </div>
      <div className="td col-label" role="cell">
        {t.label ?? <span className="muted">–</span>}
      </div>
      <div className="td col-num" role="cell">
        {formatDuration(t.duration)}
      </div>
      <div className="td col-num" role="cell">
        {formatRate(t.sampleRate)}
      </div>
      <div className="td col-num col-ch" role="cell">
        {t.channels ?? '–'}
      </div>
      <div className="td col-status" role="cell">
        <span className={`badge badge-${t.status}`}>{STATUS_TEXT[t.status]}</span>
      </div>
      <div className="td col-reason" role="cell" title={t.reason ?? undefined}>
        {t.reason ?? ''}
      </div>
    </div>
  );
});

/**
 * The track table. Only the rows in view (plus a margin) are in the DOM, so it stays fast with
 * tens of thousands of tracks.
 */
export function TrackTable(props: {
  rows: TrackRow[];
  total: number;
  selectedId: number | null;
  sort: SortSpec;
  onSort: (key: SortKey) => void;
  onSelect: (id: number) => void;
}): React.JSX.Element {
  const { rows, total, selectedId, sort, onSort, onSelect } = props;
  const body = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });

  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the selected row in view when the selection moves by keyboard.
  useEffect(() => {
    const el = body.current;
    if (!el || selectedId === null) return;
    const i = rows.findIndex((t) => t.id === selectedId);
    if (i < 0) return;
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selectedId, rows]);

  const { start, end } = visibleRange(view.top, view.height, ROW_HEIGHT, rows.length, 10);
  const slice = rows.slice(start, end);

  return (
    <div
      className="track-table"
      role="table"
      aria-label="Tracks"
      aria-rowcount={rows.length + 1}
      data-testid="track-table"
      data-track-count={total}
      data-visible-count={rows.length}
    >
      <div className="tr th" role="row">
        {COLUMNS.map((c) => {
          const active = sort.key === c.key;
          return (
            <button
              key={c.key}
              className={`td ${c.className}${active ? ' sorted' : ''}`}
              role="columnheader"
              aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              onClick={() => onSort(c.key)}
              data-sort-key={c.key}
            >
              {c.title}
              <span className="sort-mark" aria-hidden="true">
                {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          );
        })}
      </div>
      <div
        className="tbody"
        ref={body}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        {rows.length === 0 ? (
          <div className="table-empty muted">
            {total === 0 ? 'No tracks yet.' : `No track matches the filter (${formatInt(total)} in the library).`}
          </div>
        ) : (
          <div className="tbody-inner" style={{ height: rows.length * ROW_HEIGHT }}>
            {slice.map((t, k) => (
              <Row key={t.id} t={t} index={start + k} selected={t.id === selectedId} onSelect={onSelect} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
