import React from 'react';
import { jobTitle, progressFraction, progressLine } from '../../lib/jobs';
import type { AppState } from '../../state/app';
import type { LibraryModel, LibraryState } from '../../state/library';

/** Progress of the library's running job with Cancel, or the one-line summary of the last one. */
export function JobPanel({ model, state, app }: { model: LibraryModel; state: LibraryState; app: AppState }): React.JSX.Element | null {
  if (state.jobId !== null) {
    const p = app.running.find((r) => r.jobId === state.jobId);
    const frac = p ? progressFraction(p) : null;
    return (
      <div className="job-panel" data-testid="job-progress" role="status">
        <div className="job-head">
          <span className="job-title">{state.jobTitle ?? (p ? jobTitle(p.kind) : 'Starting')}</span>
          <span className="job-line">{p ? progressLine(p) : 'Scanning the folder…'}</span>
          <button
            className="btn btn-small btn-danger"
            onClick={() => void model.cancel()}
            disabled={state.cancelling || state.jobId === ''}
            data-testid="cancel-job"
          >
            {state.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
        <div
          className={`progress${frac === null ? ' progress-indeterminate' : ''}`}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={p?.total ?? 0}
          aria-valuenow={p?.done ?? 0}
        >
          <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(2)}%` }} />
        </div>
      </div>
    );
  }
  if (state.summary) {
    return (
      <div className={`job-summary tone-${state.summary.tone}`} data-testid="job-summary" role="status">
        {state.summary.text}
      </div>
    );
  }
  return null;
}
