import React from 'react';
import type { TrackPrediction } from '../../../shared/types';
import { type CellTrack, labelColour, type MisRow, type MisSort, type MisSortKey } from '../lib/confusion';
import { pct } from '../lib/runs';

interface Column {
  key: MisSortKey;
  title: string;
  className: string;
  render: (pred: TrackPrediction, extra: string) => React.ReactNode;
}

function LabelTag({ label, labels }: { label: string; labels: readonly string[] }): React.JSX.Element {
  return (
    <span className="label-tag">
      <span className="label-dot" style={{ background: labelColour(labels, label) }} />
      {label}
    </span>
  );
}

/** A table of track predictions; clicking a row opens the track. Sortable when `sort` is given. */
function PredictionTable(props: {
  rows: Array<{ index: number; pred: TrackPrediction; extra: string }>;
  labels: readonly string[];
  extraTitle: string;
  openIndex: number | null;
  onOpen: (index: number) => void;
  sort?: MisSort;
  onSort?: (key: MisSortKey) => void;
  testId: string;
  empty: string;
}): React.JSX.Element {
  const { rows, labels, extraTitle, openIndex, onOpen, sort, onSort, testId, empty } = props;
  const all: Column[] = [
    { key: 'name', title: 'Track', className: 'pt-name mono', render: (p) => p.name },
    { key: 'label', title: 'True', className: 'pt-label', render: (p) => <LabelTag label={p.label} labels={labels} /> },
    { key: 'predicted', title: 'Predicted', className: 'pt-label', render: (p) => <LabelTag label={p.predicted} labels={labels} /> },
    { key: 'confidence', title: 'Confidence', className: 'pt-num', render: (p) => pct(p.confidence) },
    { key: 'wrong', title: extraTitle, className: 'pt-num', render: (_p, extra) => extra },
  ];
  const columns = extraTitle ? all : all.slice(0, -1);
  return (
    <div className={`pred-table${extraTitle ? '' : ' no-extra'}`} role="table" data-testid={testId} data-rows={rows.length}>
      <div className="pt-row pt-head" role="row">
        {columns.map((c) =>
          onSort ? (
            <button
              key={c.key}
              role="columnheader"
              className={`pt-cell ${c.className}${sort?.key === c.key ? ' sorted' : ''}`}
              aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              onClick={() => onSort(c.key)}
              data-sort-key={c.key}
            >
              {c.title}
              <span className="sort-mark" aria-hidden="true">
                {sort?.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          ) : (
            <div key={c.key} role="columnheader" className={`pt-cell ${c.className}`}>
              {c.title}
            </div>
          ),
        )}
      </div>
      <div className="pt-body">
        {rows.length === 0 && <div className="pt-empty muted">{empty}</div>}
        {rows.map((r) => (
          <div
            key={r.index}
            role="row"
            tabIndex={0}
            className={`pt-row${openIndex === r.index ? ' selected' : ''}`}
            data-pred-index={r.index}
            data-track-id={r.pred.trackId ?? ''}
            onClick={() => onOpen(r.index)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onOpen(r.index);
            }}
            title={r.pred.trackId === null ? `${r.pred.name} (no audio)` : `Open ${r.pred.name}`}
          >
            {columns.map((c) => (
              <div key={c.key} role="cell" className={`pt-cell ${c.className}`}>
                {c.render(r.pred, r.extra)}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The tracks behind the selected matrix cell. */
export function CellTracks(props: {
  tracks: CellTrack[];
  labels: readonly string[];
  trueLabel: string;
  predLabel: string;
  segmentLevel: boolean;
  openIndex: number | null;
  onOpen: (index: number) => void;
  onClose: () => void;
}): React.JSX.Element {
  const { tracks, labels, trueLabel, predLabel, segmentLevel, openIndex, onOpen, onClose } = props;
  const items = tracks.reduce((n, t) => n + t.inCell, 0);
  return (
    <section className="card cell-tracks" aria-label="Tracks in the selected cell">
      <div className="card-head">
        <h3>
          True <LabelTag label={trueLabel} labels={labels} /> predicted as <LabelTag label={predLabel} labels={labels} />
        </h3>
        <span className="muted small">
          {tracks.length} {tracks.length === 1 ? 'track' : 'tracks'}
          {segmentLevel ? ` · ${items} ${items === 1 ? 'segment' : 'segments'}` : ''}
        </span>
        <span className="grow" />
        <button className="btn btn-ghost btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <PredictionTable
        rows={tracks.map((t) => ({ index: t.index, pred: t.pred, extra: segmentLevel ? `${t.inCell} / ${t.total}` : '' }))}
        labels={labels}
        extraTitle={segmentLevel ? 'In cell' : ''}
        openIndex={openIndex}
        onOpen={onOpen}
        testId="cell-tracks"
        empty="No track in this cell."
      />
    </section>
  );
}

/** Every track the model got wrong, sortable. */
export function Misclassified(props: {
  rows: MisRow[];
  labels: readonly string[];
  total: number;
  sort: MisSort;
  onSort: (key: MisSortKey) => void;
  /** Whether the run's rows are segments (then the wrong segments of each track are counted). */
  segmentRun: boolean;
  openIndex: number | null;
  onOpen: (index: number) => void;
}): React.JSX.Element {
  const { rows, labels, total, sort, onSort, segmentRun, openIndex, onOpen } = props;
  return (
    <section className="card misclassified" aria-label="Misclassified tracks">
      <div className="card-head">
        <h3>Misclassified tracks</h3>
        <span className="muted small">
          {rows.length} of {total} {total === 1 ? 'track' : 'tracks'} wrong
        </span>
      </div>
      <PredictionTable
        rows={rows.map((r) => ({ index: r.index, pred: r.pred, extra: r.segments !== null ? `${r.wrong} / ${r.segments}` : '' }))}
        labels={labels}
        extraTitle={segmentRun ? 'Wrong segs' : ''}
        openIndex={openIndex}
        onOpen={onOpen}
        sort={sort}
        onSort={onSort}
        testId="misclassified"
        empty="Every track was predicted right."
      />
    </section>
  );
}
