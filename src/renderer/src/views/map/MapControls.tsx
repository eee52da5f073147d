import React from 'react';
import type { MapSummary } from '../../../../shared/types';
import { formatElapsed, formatInt } from '../../lib/format';
import { runDate } from '../../lib/runs';
import type { Colouring } from '../../lib/scatter';
import { ConfirmDelete } from '../../shell/JobProgress';
import type { MapModel, MapState } from '../../state/map';

export interface ChoiceOption<T extends string> {
  value: T;
  label: React.ReactNode;
  title?: string;
  disabled?: boolean;
}

/** A row of buttons of which one is chosen; options can be disabled (with a title saying why). */
export function Choice<T extends string>(props: { label: string; value: T; options: ReadonlyArray<ChoiceOption<T>>; onChange: (v: T) => void; testId?: string }): React.JSX.Element {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={props.value === o.value}
          className={props.value === o.value ? 'active' : ''}
          title={o.title}
          disabled={o.disabled}
          onClick={() => props.onChange(o.value)}
          data-value={o.value}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** The stored maps: open one (instantly, as stored) or delete it (asks first). */
export function MapList({ model, state }: { model: MapModel; state: MapState }): React.JSX.Element {
  const busy = state.state === 'building';
  if (state.listLoaded && state.maps.length === 0) {
    return <p className="muted small map-list-empty">No stored maps yet.</p>;
  }
  return (
    <ul className="map-list" data-testid="map-list" data-maps-count={state.maps.length}>
      {state.maps.map((m: MapSummary) => {
        const open = state.map?.id === m.id;
        return (
          <li key={m.id} className={`map-item${open ? ' active' : ''}`} data-map-id={m.id}>
            <button type="button" className="map-item-main" onClick={() => void model.open(m.id)} disabled={busy || state.opening !== null} title={`${m.name}\n${m.source}`} data-testid="open-map">
              <span className="map-item-name">{m.name}</span>
              <span className="map-item-meta muted small">
                {formatInt(m.n)} points · {m.dims}-D · {runDate(m.createdAt)}
                {m.hasClusters ? ' · clustered' : ''}
              </span>
            </button>
            <ConfirmDelete
              confirming={state.confirmDelete === m.id}
              onAsk={(ask) => model.askDelete(ask ? m.id : null)}
              onDelete={() => void model.remove(m.id)}
              what="this map"
              name={m.name}
              testId="delete-map"
              confirmTestId="confirm-delete-map"
            />
          </li>
        );
      })}
    </ul>
  );
}

/** The legend of the current colouring: click a class to hide or show it, double-click to show it alone. */
export function MapLegend({ model, colouring, hidden }: { model: MapModel; colouring: Colouring; hidden: ReadonlySet<string> }): React.JSX.Element {
  const cats = colouring.categories.filter((c) => c.count > 0);
  return (
    <div className="map-legend" data-testid="map-legend" data-colour-by={colouring.by}>
      {cats.map((c) => (
        <button
          key={c.key}
          type="button"
          className={`map-legend-item${hidden.has(c.key) ? ' off' : ''}`}
          onClick={() => model.toggleCategory(c.key)}
          onDoubleClick={() => model.soloCategory(c.key)}
          title={`${hidden.has(c.key) ? 'Show' : 'Hide'} ${c.name} (double-click: show only this)`}
          aria-pressed={!hidden.has(c.key)}
          data-key={c.key}
        >
          <span className="legend-swatch" style={{ background: c.colour }} />
          <span className="map-legend-name">{c.name}</span>
          {c.note && <span className="muted small">{c.note}</span>}
          <span className="map-legend-count muted small">{formatInt(c.count)}</span>
        </button>
      ))}
      {hidden.size > 0 && (
        <button type="button" className="link-btn map-legend-all" onClick={() => model.showAll()}>
          show all
        </button>
      )}
    </div>
  );
}

/** One line about the open map: size, method, trustworthiness, time, warnings. */
export function MapFacts({ state }: { state: MapState }): React.JSX.Element | null {
  const m = state.map;
  if (!m) return null;
  const method = m.method === 'tsne' ? 't-SNE' : m.method.toUpperCase();
  return (
    <div className="map-facts" data-testid="map-facts">
      <span className="chip static">{formatInt(m.n)} points</span>
      <span className="chip static">
        {method} {m.dims}-D
      </span>
      {m.trustworthiness !== null && (
        <span className="chip static" title="Trustworthiness at 10 neighbours: how well the map keeps each point's neighbours (1 = perfectly)">
          T@10 {m.trustworthiness.toFixed(3)}
        </span>
      )}
      <span className="muted small">{formatElapsed(m.seconds)}</span>
      {m.warnings.length > 0 && (
        <span className="chip chip-warn" title={m.warnings.join('\n')} data-testid="map-warnings">
          {m.warnings.length === 1 ? '1 warning' : `${m.warnings.length} warnings`}
        </span>
      )}
    </div>
  );
}
