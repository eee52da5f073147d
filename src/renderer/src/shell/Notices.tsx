import React, { useEffect } from 'react';
import type { Notice } from '../state/app';
import { IconClose } from './icons';

function NoticeItem({ n, onDismiss }: { n: Notice; onDismiss: (id: number) => void }): React.JSX.Element {
  useEffect(() => {
    if (n.tone === 'error') return;
    const t = setTimeout(() => onDismiss(n.id), 6000);
    return () => clearTimeout(t);
  }, [n, onDismiss]);
  return (
    <div className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
      <span className="notice-text">{n.text}</span>
      <button className="icon-btn" onClick={() => onDismiss(n.id)} aria-label="Dismiss">
        <IconClose size={14} />
      </button>
    </div>
  );
}

export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }): React.JSX.Element {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <NoticeItem key={n.id} n={n} onDismiss={onDismiss} />
      ))}
    </div>
  );
}
