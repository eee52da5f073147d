import React from 'react';
import { jobTitle, progressLine } from '../lib/jobs';
import type { AppState } from '../state/app';

const LINK_TEXT = {
  connecting: 'Connecting',
  open: 'Connected',
  reconnecting: 'Reconnecting',
  closed: 'Disconnected',
} as const;

export function StatusBar({
  app,
  transport,
  backend,
}: {
  app: AppState;
  transport: string;
  /** The tfjs backend training uses, once known (train.backend). */
  backend?: string | null;
}): React.JSX.Element {
  const { info, link, running } = app;
  return (
    <footer className="statusbar">
      <span className={`status-dot status-${link.status}`} title={link.message ?? undefined} />
      <span>
        {LINK_TEXT[link.status]} · {transport}
      </span>
      {info && (
        <>
          <span className="sep" />
          <span className="status-db" title={info.dbPath}>
            Database <span className="mono">{info.dbPath}</span>
          </span>
          <span className="sep" />
          <span>{info.workers} workers</span>
          <span className="sep" />
          <span title="The tfjs backend tensor models train with" data-testid="status-backend">
            Backend {backend ?? info.backend}
          </span>
          <span className="sep" />
          <span>Profile {info.defaultProfile}</span>
        </>
      )}
      <span className="grow" />
      {running.length > 0 && (
        <span className="status-jobs" title={running.map((p) => `${jobTitle(p.kind)}: ${progressLine(p)}`).join('\n')}>
          <span className="spinner spinner-small" aria-hidden="true" />
          {running.length === 1 ? `${jobTitle(running[0]!.kind)} running` : `${running.length} jobs running`}
        </span>
      )}
    </footer>
  );
}
