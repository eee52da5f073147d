// Small pieces shared by the Probes view and the Map view's out-of-domain panel.
import type React from 'react';
import type { JobInfo } from '../../../../shared/types';
import type { AppModel } from '../../state/app';

/** The last part of a folder path. */
export function folderName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

export function Field(props: { label: string; id: string; help?: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div className="field">
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.help && <div className="field-help">{props.help}</div>}
    </div>
  );
}

/**
 * Start a job: `onId` keeps its id; a job that finished before the call that started it returned is
 * handed to `onDone` at once; a refused call's message goes to `onError`.
 */
export async function startJob(
  app: AppModel,
  start: () => Promise<{ jobId: string }>,
  onId: (jobId: string) => void,
  onDone: (job: JobInfo) => void,
  onError: (message: string) => void,
): Promise<boolean> {
  try {
    const { jobId } = await start();
    onId(jobId);
    const done = app.finishedJob(jobId);
    if (done) onDone(done);
    return true;
  } catch (err) {
    onError(err instanceof Error ? err.message : String(err));
    return false;
  }
}
