import React, { useEffect, useMemo, useRef, useState } from 'react';
import { columnGroups, groupSelection } from '../lib/training';

function TriCheckbox(props: { state: 'all' | 'none' | 'some'; onChange: (on: boolean) => void; label: string }): React.JSX.Element {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.state === 'some';
  }, [props.state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={props.state === 'all'}
      aria-label={props.label}
      onChange={(e) => props.onChange(e.target.checked || props.state === 'some')}
    />
  );
}

/** The feature-column picker: columns grouped by family, each group and column switchable. */
export function TrainingColumns(props: {
  all: readonly string[];
  chosen: readonly string[] | null;
  onToggle: (columns: readonly string[], on: boolean) => void;
}): React.JSX.Element {
  const { all, chosen, onToggle } = props;
  const groups = useMemo(() => columnGroups(all), [all]);
  const set = useMemo(() => new Set(chosen ?? all), [chosen, all]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="column-picker" data-testid="column-picker">
      <div className="column-picker-head">
        <span className="muted small">
          {set.size} of {all.length} columns
        </span>
        <span className="grow" />
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onToggle(all, true)}>
          All
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onToggle(all, false)}>
          None
        </button>
      </div>
      <ul className="column-groups">
        {groups.map((g) => {
          const state = groupSelection(g, set);
          const n = g.columns.filter((c) => set.has(c)).length;
          const expanded = open === g.name;
          return (
            <li key={g.name} className="column-group" data-group={g.name}>
              <div className="column-group-row">
                <TriCheckbox state={state} label={`All ${g.name} columns`} onChange={(on) => onToggle(g.columns, on)} />
                <button type="button" className="column-group-name" onClick={() => setOpen(expanded ? null : g.name)} aria-expanded={expanded}>
                  <span className="mono">{g.name}</span>
                  <span className="muted small">
                    {n}/{g.columns.length}
                  </span>
                  <span className="caret" aria-hidden="true">
                    {expanded ? '▾' : '▸'}
                  </span>
                </button>
              </div>
              {expanded && (
                <div className="column-chips">
                  {g.columns.map((c) => (
                    <button
                      type="button"
                      key={c}
                      className={`chip chip-col${set.has(c) ? ' active' : ''}`}
                      aria-pressed={set.has(c)}
                      onClick={() => onToggle([c], !set.has(c))}
                    >
                      {c}
                    </button>
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
