// Two small pieces every job-running view shares: the progress panel of a running job (title, one
// line of progress, a bar that is indeterminate until the job reports a total, Cancel), and the
// delete button of a list item that asks "Delete / Keep" before it deletes.
import React from 'react';
import { formatInt } from '../lib/format';
import { progressFraction } from '../lib/jobs';
import type { JobProgress } from '../../../shared/types';
import { IconTrash } from './icons';

/** "done / total · message" (or the message alone while the total is unknown). */
export function countLine(p: Pick<JobProgress, 'done' | 'total' | 'message'> | null | undefined, idle = 'Starting…'): string {
  if (!p) return idle;
  return `${p.total > 0 ? `${formatInt(p.done)} / ${formatInt(p.total)} · ` : ''}${p.message}`;
}

export function JobProgressPanel(props: {
  /** The job's progress so far (null: not reported yet — the bar is indeterminate). */
  progress: Pick<JobProgress, 'done' | 'total' | 'message'> | null | undefined;
  title?: string;
  /** The progress line (default: countLine). */
  line?: string;
  cancelling: boolean;
  /** Cancel is disabled until the job has an id. */
  canCancel: boolean;
  onCancel: () => void;
  testId?: string;
  cancelTestId: string;
  className?: string;
}): React.JSX.Element {
  const { progress: p } = props;
  const frac = p ? progressFraction(p) : null;
  return (
    <div className={`job-panel${props.className ? ` ${props.className}` : ''}`} role="status" data-testid={props.testId}>
      <div className="job-head">
        {props.title !== undefined && <span className="job-title">{props.title}</span>}
        <span className="job-line">{props.line ?? countLine(p)}</span>
        <button type="button" className="btn btn-small btn-danger" onClick={props.onCancel} disabled={props.cancelling || !props.canCancel} data-testid={props.cancelTestId}>
          {props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div className={`progress${frac === null ? ' progress-indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={p?.total ?? 0} aria-valuenow={p?.done ?? 0}>
        <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}

/** A list item's delete button; once pressed, "Delete" and "Keep" in its place. */
export function ConfirmDelete(props: {
  confirming: boolean;
  /** Ask (true) or stop asking (false). */
  onAsk: (ask: boolean) => void;
  onDelete: () => void;
  /** What is deleted, for the button's title and label: "this map", "map 3". */
  what: string;
  name: string;
  testId: string;
  confirmTestId: string;
}): React.JSX.Element {
  if (props.confirming) {
    return (
      <span className="map-item-confirm">
        <button type="button" className="btn btn-small btn-danger" onClick={props.onDelete} data-testid={props.confirmTestId}>
          Delete
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => props.onAsk(false)}>
          Keep
        </button>
      </span>
    );
  }
  return (
    <button type="button" className="icon-btn map-item-delete" onClick={() => props.onAsk(true)} title={`Delete ${props.what}`} aria-label={`Delete ${props.name}`} data-testid={props.testId}>
      <IconTrash size={14} />
    </button>
  );
}
