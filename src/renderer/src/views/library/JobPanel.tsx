import React from 'react';
import { jobTitle, progressLine } from '../../lib/jobs';
import { JobProgressPanel } from '../../shell/JobProgress';
import type { AppState } from '../../state/app';
import type { LibraryModel, LibraryState } from '../../state/library';

/** Progress of the library's running job with Cancel, or the one-line summary of the last one. */
export function JobPanel({ model, state, app }: { model: LibraryModel; state: LibraryState; app: AppState }): React.JSX.Element | null {
  if (state.jobId !== null) {
    const p = app.running.find((r) => r.jobId === state.jobId);
    return (
      <JobProgressPanel
        progress={p}
        title={state.jobTitle ?? (p ? jobTitle(p.kind) : 'Starting')}
        line={p ? progressLine(p) : 'Scanning the folder…'}
        cancelling={state.cancelling}
        canCancel={state.jobId !== ''}
        onCancel={() => void model.cancel()}
        testId="job-progress"
        cancelTestId="cancel-job"
      />
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
