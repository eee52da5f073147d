import React from 'react';
import { VIEWS, type ViewId } from './views';

export function Sidebar({ current, onOpen }: { current: ViewId; onOpen: (id: ViewId) => void }): React.JSX.Element {
  return (
    <nav className="sidebar" aria-label="Views">
      {VIEWS.map((v) => {
        const Icon = v.icon;
        const active = v.id === current;
        return (
          <button
            key={v.id}
            className={`nav-item${active ? ' active' : ''}`}
            aria-current={active ? 'page' : undefined}
            disabled={!v.available}
            title={v.available ? `${v.blurb} (${v.key})` : `${v.blurb} — not built yet`}
            onClick={() => onOpen(v.id)}
            data-view={v.id}
          >
            <Icon size={18} />
            <span className="nav-label">{v.title}</span>
            {v.available ? <kbd className="nav-key">{v.key}</kbd> : <span className="nav-soon">soon</span>}
          </button>
        );
      })}
    </nav>
  );
}
