import React, { useMemo, useRef, useState } from 'react';
import { formatInt } from '../../lib/format';
import { isPlainKey, isTypingTarget, useKeydown } from '../../lib/keys';
import { IconDownload, IconHyperbolic, IconSearch } from '../../shell/icons';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { libraryMatches } from './disk';
import { DendrogramCard, EvalCard, GenrePanel, LossCard } from './HyperPanels';
import { HyperSide } from './HyperSide';
import { hyperModelFor, type HyperModel, type HyperState } from './model';
import { PoincareDisk, type DiskApi } from './PoincareDisk';
import './hyperbolic.css';

/** What the disk shows, said on screen (how a higher-dimensional embedding is drawn: disk.ts diskBasis). */
export function diskCaption(state: HyperState): string {
  const o = state.open;
  if (!o) return '';
  const what = o.detail.model === 'poincare' ? 'Poincaré disk' : 'Euclidean embedding (drawn in the disk)';
  const dims = o.dim === 2 ? 'the 2-D embedding itself' : `${o.dim}-D, re-centred in all ${o.dim} and drawn in its two principal tangent directions; each genre's distance from the centre is exact, directions are projected`;
  return `${what}: ${formatInt(o.n)} genres; ${dims}`;
}

function SearchBox({ model, inputRef }: { model: HyperModel; inputRef: React.RefObject<HTMLInputElement | null> }): React.JSX.Element {
  const [q, setQ] = useState('');
  const [focus, setFocus] = useState(false);
  const [active, setActive] = useState(0);
  const s = useStore(model);
  const list = focus && q.trim() ? model.suggestions(q) : [];
  const go = (name: string): void => {
    if (model.search(name)) {
      setQ(name);
      setFocus(false);
      inputRef.current?.blur();
    }
  };
  return (
    <div className="hyper-search" data-testid="hyper-search-box">
      <div className="input-wrap">
        <IconSearch size={14} className="input-icon" />
        <input
          ref={inputRef}
          className="input"
          placeholder="Search a genre  ( / )"
          value={q}
          disabled={!s.open}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
            setFocus(true);
          }}
          onFocus={() => setFocus(true)}
          onBlur={() => setTimeout(() => setFocus(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && list.length) {
              e.preventDefault();
              setActive((a) => (a + 1) % list.length);
            } else if (e.key === 'ArrowUp' && list.length) {
              e.preventDefault();
              setActive((a) => (a - 1 + list.length) % list.length);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              go(active > 0 && list[active] ? list[active]! : q);
            } else if (e.key === 'Escape') {
              setFocus(false);
              inputRef.current?.blur();
            }
          }}
          aria-label="Search a genre"
          data-testid="hyper-search"
        />
      </div>
      {list.length > 0 && (
        <ul className="hyper-suggestions" role="listbox" data-testid="hyper-suggestions">
          {list.map((name, i) => (
            <li key={name}>
              <button type="button" role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseDown={(e) => e.preventDefault()} onClick={() => go(name)} data-genre={name}>
                {name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {s.searchMessage && (
        <div className="hyper-search-msg" role="status" data-testid="hyper-search-message">
          {s.searchMessage}
        </div>
      )}
    </div>
  );
}

function Exports({ model, state, disk }: { model: HyperModel; state: HyperState; disk: React.RefObject<DiskApi | null> }): React.JSX.Element {
  const busy = !state.open || state.exporting !== null;
  return (
    <div className="btn-group hyper-exports" role="group" aria-label="Exports">
      <span className="btn-group-label">
        <IconDownload size={13} /> Export
      </span>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void model.export('vectors.tsv')} title="Embedding Projector: vectors (one row per genre)" data-testid="hyper-export-vectors">
        vectors.tsv
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void model.export('metadata.tsv')} title="Embedding Projector: genre names, in the same order" data-testid="hyper-export-metadata">
        names.tsv
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void model.export('embedding.json')} title='{"model","dim","names","vectors"}' data-testid="hyper-export-json">
        JSON
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void disk.current?.toPng().then((b) => model.saveDisk('png', b))} data-testid="hyper-export-png">
        disk PNG
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() => {
          const svg = disk.current?.toSvg(diskCaption(state)) ?? '';
          model.saveDisk('svg', svg ? new Blob([svg], { type: 'image/svg+xml' }) : null);
        }}
        data-testid="hyper-export-svg"
      >
        disk SVG
      </button>
    </div>
  );
}

function Intro({ state }: { state: HyperState }): React.JSX.Element {
  return (
    <div className="map-overlay">
      <div className="intro-icon" aria-hidden="true">
        <IconHyperbolic size={28} />
      </div>
      {state.jobId !== null ? (
        <>
          <h2>Training…</h2>
          <p className="muted">The loss per epoch is drawn on the right; the disk opens when the embedding is stored.</p>
        </>
      ) : (
        <>
          <h2>Genres in hyperbolic space</h2>
          <p className="muted">
            Import a genre co-occurrence table on the left (artists with their genres, or an edge list), then train a Poincaré embedding. General genres settle
            near the centre, specific ones near the rim; search a genre to bring its neighbourhood to the middle.
          </p>
        </>
      )}
    </div>
  );
}

/** The Hyperbolic view: import, train, the Poincaré disk with search and re-centring, neighbours, parents, dendrogram. */
export function HyperbolicView({ models }: { models: Models }): React.JSX.Element {
  const model = useMemo(() => hyperModelFor(models.app), [models.app]);
  const s = useStore(model);
  const search = useRef<HTMLInputElement>(null);
  const disk = useRef<DiskApi | null>(null);
  const names = s.open?.detail.names;
  const library = useMemo(() => libraryMatches(names ?? [], s.labels), [names, s.labels]);
  const libCount = useMemo(() => library.reduce((a, b) => a + b, 0), [library]);

  useKeydown((e) => {
    if (isTypingTarget(e.target) || !isPlainKey(e)) return false;
    if (e.key === '/' && s.open) {
      search.current?.focus();
      search.current?.select();
      return true;
    }
    if (e.key === 'Escape' && s.open) {
      disk.current?.reset();
      model.centreOn(null);
      return true;
    }
    return false;
  });

  const o = s.open;
  return (
    <div className="mapview hyperview" data-hyper-state={model.viewState()} data-testid="hyper-view">
      <HyperSide model={model} state={s} />
      <section className="map-main hyper-main" aria-label="Poincaré disk">
        <div className="map-toolbar">
          <div className="map-title">
            <h2>{o ? o.detail.name : 'Hyperbolic genre space'}</h2>
            {o && (
              <div className="map-facts" data-testid="hyper-facts">
                <span className="chip chip-muted">{o.detail.model === 'poincare' ? 'Poincaré' : 'Euclidean'}</span>
                <span className="chip chip-muted">{o.dim}-D</span>
                <span className="chip chip-muted">{formatInt(o.n)} genres</span>
                {s.labels.length > 0 && (
                  <span className="chip chip-muted" title={`Library labels found among the genres (matched by normalised name): ${libCount} of ${s.labels.length}`}>
                    <span className="hyper-lib-dot" /> {libCount} of {s.labels.length} library labels
                  </span>
                )}
              </div>
            )}
          </div>
          <span className="grow" />
          <SearchBox model={model} inputRef={search} />
        </div>
        {o && (
          <div className="map-exports">
            <Exports model={model} state={s} disk={disk} />
          </div>
        )}
        <div className="hyper-scroll">
          <div className="map-body hyper-body">
            <div className="map-stage hyper-stage">
              {o ? (
                <PoincareDisk open={o} library={library} selection={s.selection} centre={s.centre} onSelect={(i) => void model.select(i)} onCentre={(i) => model.centreOn(i)} apiRef={disk} />
              ) : (
                <Intro state={s} />
              )}
              {o && (
                <p className="hyper-caption muted small" data-testid="hyper-caption">
                  {diskCaption(s)} · wheel: zoom · drag: move · double-click or search: centre · Esc: back to the origin
                </p>
              )}
            </div>
            <div className="map-right">
              {o && <GenrePanel model={model} state={s} library={library} />}
              <EvalCard state={s} />
              <LossCard state={s} />
            </div>
          </div>
          <DendrogramCard model={model} state={s} library={library} />
        </div>
      </section>
    </div>
  );
}
