import React from 'react';
import type { LabelCount } from '../../lib/tracks';

/** Tracks per label; clicking a chip filters the table to it. */
export function LabelChips(props: { labels: LabelCount[]; query: string; onQuery: (q: string) => void }): React.JSX.Element {
  const { labels, query, onQuery } = props;
  return (
    <div className="label-chips" data-testid="label-chips">
      {labels.map(({ label, count }) => {
        const name = label ?? 'unlabelled';
        const q = label === null ? '' : label.includes(' ') ? `label:"${label}"` : `label:${label}`;
        const active = q !== '' && query.trim() === q;
        return (
          <button
            key={name}
            className={`chip chip-label${active ? ' active' : ''}${label === null ? ' chip-muted' : ''}`}
            data-label={name}
            disabled={label === null}
            onClick={() => onQuery(active ? '' : q)}
            title={active ? 'Show all labels' : `Show only ${name}`}
          >
            {name} <span className="chip-count">{count}</span>
          </button>
        );
      })}
    </div>
  );
}
