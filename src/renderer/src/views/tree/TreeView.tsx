import React, { useMemo, useRef } from 'react';
import { clusterColour } from '../../lib/dendrogram';
import { formatElapsed, formatInt, plural } from '../../lib/format';
import { JobProgressPanel } from '../../shell/JobProgress';
import { pct } from '../../lib/runs';
import { foldersForProfile, profileOptions } from '../../lib/training';
import { IconDownload, IconWarning } from '../../shell/icons';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { TREE_LINKAGES, TREE_METRICS, type TreeModel, type TreeState } from '../../state/tree';
import { Segmented } from '../RunsControls';
import { focusPath, TreeCanvas, type TreeCanvasApi } from './TreeCanvas';

function folderName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

function Field(props: { label: string; id: string; help?: string; children: React.ReactNode }): React.JSX.Element {
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

/** What to cluster and how. */
function TreeForm({ models, state }: { models: Models; state: TreeState }): React.JSX.Element {
  const model = models.tree;
  const lib = useStore(models.library);
  const info = useStore(models.app).info!;
  const f = state.form;
  const profiles = profileOptions(info, lib.folders);
  const profile = model.profile();
  const folders = foldersForProfile(lib.folders, profile);
  return (
    <fieldset className="train-fields" disabled={state.state === 'building'}>
      <section className="form-section">
        <h3 className="form-title">Tree of</h3>
        <Segmented
          label="Source"
          value={f.source}
          options={[
            { value: 'features', label: 'Library', title: 'The genre means of the library’s standardised track features' },
            { value: 'table', label: 'Table', title: 'A feature table: one row per genre (e.g. Spotify’s data_by_genres.csv) or per track' },
            { value: 'run', label: 'Run', title: 'The genre tree of a trained StackNet or tier GRU model, with its per-tier accuracy' },
          ]}
          onChange={(v) => model.setForm({ source: v })}
          testId="tree-source"
        />
        {f.source === 'features' && (
          <>
            <Field label="Profile" id="tree-profile">
              <select id="tree-profile" className="select" value={profile} onChange={(e) => model.setForm({ profile: e.target.value, folderIds: null })} data-testid="tree-profile">
                {profiles.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                    {p.folders ? ` (${plural(p.folders, 'folder')})` : ''}
                  </option>
                ))}
              </select>
            </Field>
            <div className="folder-checks">
              {folders.length === 0 && <p className="field-help">No library folder has features of this profile.</p>}
              {folders.map((x) => (
                <label key={x.id} className="check" title={x.path}>
                  <input
                    type="checkbox"
                    checked={f.folderIds === null || f.folderIds.includes(x.id)}
                    onChange={(e) => {
                      const all = f.folderIds ?? folders.map((y) => y.id);
                      model.setForm({ folderIds: e.target.checked ? [...new Set([...all, x.id])] : all.filter((id) => id !== x.id) });
                    }}
                  />
                  <span className="check-text">{folderName(x.path)}</span>
                  <span className="muted small">{plural(x.tracks, 'track')}</span>
                </label>
              ))}
            </div>
          </>
        )}
        {f.source === 'table' && (
          <>
            <Field label="Table (CSV on the machine Genrelab runs on)" id="tree-path" help="per-genre rows are clustered as they are; track rows give genre means">
              <input id="tree-path" className="input input-plain mono" value={f.path} placeholder="/data/spotify-genres/data_by_genres.csv" onChange={(e) => model.setForm({ path: e.target.value })} data-testid="tree-path" spellCheck={false} />
            </Field>
            <Field label="Genre column" id="tree-group" help="default: label, genres or genre">
              <input id="tree-group" className="input input-plain" value={f.groupBy} placeholder="auto" onChange={(e) => model.setForm({ groupBy: e.target.value })} data-testid="tree-group-by" spellCheck={false} />
            </Field>
          </>
        )}
        {f.source === 'run' && (
          <Field label="Run" id="tree-run" help={state.runs.length ? 'StackNet and tier GRU runs keep their genre tree' : 'No StackNet or tier GRU run yet: train one in the Training view'}>
            <select id="tree-run" className="select" value={f.runId ?? ''} onChange={(e) => model.setForm({ runId: e.target.value ? Number(e.target.value) : null })} data-testid="tree-run">
              {state.runs.map((r) => (
                <option key={r.id} value={r.id}>
                  #{r.id} {r.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </section>
      {f.source !== 'run' && (
        <section className="form-section">
          <h3 className="form-title">Clustering</h3>
          <div className="param-grid">
            <Field label="Linkage" id="tree-linkage">
              <select id="tree-linkage" className="select" value={f.linkage} onChange={(e) => model.setForm({ linkage: e.target.value })} data-testid="tree-linkage">
                {TREE_LINKAGES.map((l) => (
                  <option key={l} value={l}>
                    {l === 'average' ? 'average (UPGMA)' : l === 'weighted' ? 'weighted (WPGMA)' : l}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Distance" id="tree-metric" help={f.linkage === 'ward' ? 'Ward needs Euclidean' : undefined}>
              <select id="tree-metric" className="select" value={f.metric} disabled={f.linkage === 'ward'} onChange={(e) => model.setForm({ metric: e.target.value })} data-testid="tree-metric">
                {TREE_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </section>
      )}
    </fieldset>
  );
}

/** The cut: k, the tier lists (with a run's per-tier accuracy), the clusters at the cut. */
function CutPanel({ model, state }: { model: TreeModel; state: TreeState }): React.JSX.Element | null {
  const cut = model.cut();
  if (!state.doc || !cut) return null;
  const n = state.doc.labels.length;
  const tiers = model.tierOptions();
  const acc = new Map((state.tiers ?? []).map((t) => [t.k, t]));
  return (
    <section className="card tree-card" data-testid="tree-cut">
      <div className="card-head">
        <h3>Cut</h3>
        <span className="muted small">{plural(cut.k, 'cluster')}</span>
      </div>
      <div className="tree-k">
        <label className="field-label" htmlFor="tree-k">
          k
        </label>
        <input id="tree-k" className="input input-plain" inputMode="numeric" value={state.k} onChange={(e) => model.setK(Number(e.target.value) || 1)} data-testid="tree-k" />
        <input type="range" min={1} max={n} value={state.k} onChange={(e) => model.setK(Number(e.target.value))} aria-label="Clusters at the cut" data-testid="tree-k-slider" />
      </div>
      <p className="muted small">Drag the red line on the tree, or pick a tier.</p>
      {tiers.map((t) => (
        <div key={t.name} className="tree-tiers">
          <div className="muted small">{t.name === 'model tiers' ? 'Tiers of the model (out-of-fold accuracy)' : `${t.name} tiers`}</div>
          <ul className="tier-list" data-testid={t.name === 'model tiers' ? 'tier-accuracy' : `tiers-${t.name}`}>
            {t.sizes.map((k) => {
              const a = acc.get(k);
              return (
                <li key={k}>
                  <button type="button" className={`tier-row${state.k === k ? ' active' : ''}`} onClick={() => model.setK(k)} data-testid="tier-row" data-tier-k={k} data-tier-accuracy={a ? a.accuracy.toFixed(4) : undefined}>
                    <span className="tier-k">T{k}</span>
                    {a ? (
                      <>
                        <span className="tier-bar" aria-hidden="true">
                          <span style={{ width: `${a.accuracy * 100}%` }} />
                        </span>
                        <span className="tier-acc">{pct(a.accuracy)}</span>
                      </>
                    ) : (
                      <span className="muted small">{k === n ? 'the genres' : plural(k, 'cluster')}</span>
                    )}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      {cut.k <= 40 && (
        <ol className="tree-clusters" data-testid="tree-clusters">
          {cut.sizes.map((size, c) => {
            const members = state.doc!.labels.filter((_, id) => cut.cluster[id] === c);
            return (
              <li key={c} title={members.join(', ')}>
                <span className="legend-swatch" style={{ background: clusterColour(c) }} />
                <b>{size}</b> {members.slice(0, 6).join(', ')}
                {members.length > 6 ? `, … (${members.length - 6} more)` : ''}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Progress({ models, state }: { models: Models; state: TreeState }): React.JSX.Element {
  const app = useStore(models.app);
  const p = state.jobId ? app.running.find((r) => r.jobId === state.jobId) : undefined;
  return (
    <JobProgressPanel
      progress={p}
      title="Tree"
      line={p?.message ?? 'Starting…'}
      cancelling={state.cancelling}
      canCancel={!!state.jobId}
      onCancel={() => void models.tree.cancel()}
      className="tree-progress"
      testId="tree-progress"
      cancelTestId="tree-cancel"
    />
  );
}

/**
 * The Tree view: a dendrogram of genres (the library's genre means, a feature table, or a tier
 * model's tree) with their names, a movable cut, tiers with per-tier accuracy, search, exports.
 */
export function TreeView({ models }: { models: Models }): React.JSX.Element {
  const model = models.tree;
  const s = useStore(model);
  const canvas = useRef<TreeCanvasApi | null>(null);
  const layout = model.layout();
  const cut = model.cut();
  const focus = s.matches.length ? s.matches[s.match]! : null;
  const scene = useMemo(
    () => (s.doc && layout && cut ? { doc: s.doc, layout, cut, scale: s.scale, focus, path: focusPath({ layout }, focus), matches: new Set(s.matches) } : null),
    [s.doc, layout, cut, s.scale, focus, s.matches],
  );
  return (
    <div className="treeview" data-tree-state={s.state} data-tree-leaves={s.doc?.labels.length ?? 0} data-tree-k={s.k}>
      <aside className="map-side" aria-label="Tree settings">
        <form
          className="train-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.build();
          }}
        >
          <div className="train-side-scroll">
            <TreeForm models={models} state={s} />
          </div>
          <div className="train-actions">
            {s.state === 'error' && s.message && (
              <div className="form-errors" role="alert" data-testid="tree-error">
                {s.message}
              </div>
            )}
            <button className="btn btn-primary btn-train" type="submit" disabled={s.state === 'building'} data-testid="tree-build">
              {s.form.source === 'run' ? 'Show the run’s tree' : 'Build tree'}
            </button>
          </div>
        </form>
      </aside>
      <section className="map-main" aria-label="Tree">
        <div className="map-toolbar">
          <div className="map-title">
            <h2 title={s.source}>{s.doc ? s.source : s.state === 'building' ? 'Building…' : 'Genre tree'}</h2>
            {s.doc && (
              <div className="map-facts muted small" data-testid="tree-facts">
                {formatInt(s.doc.labels.length)} leaves · {s.doc.linkage} linkage ({s.doc.metric}) · root height {s.doc.merges[s.doc.merges.length - 1]?.[2].toPrecision(4) ?? '0'}
                {s.seconds !== null ? ` · built in ${formatElapsed(s.seconds)}` : ''}
              </div>
            )}
          </div>
          <span className="grow" />
          {s.doc && (
            <>
              <form
                className="tree-search"
                onSubmit={(e) => {
                  e.preventDefault();
                  model.nextMatch(1);
                }}
              >
                <input className="input input-plain" placeholder="Find a genre" value={s.query} onChange={(e) => model.search(e.target.value)} aria-label="Find a genre" data-testid="tree-search" />
                <span className="muted small nowrap" data-testid="tree-matches">
                  {s.query ? (s.matches.length ? `${s.match + 1} / ${s.matches.length}` : 'none') : ''}
                </span>
              </form>
              <Segmented
                label="Height scale"
                value={s.scale}
                options={[
                  { value: 'linear', label: 'Linear' },
                  { value: 'sqrt', label: '√', title: 'Square-root heights: spreads the many low merges of a large tree' },
                ]}
                onChange={(v) => model.setScale(v)}
                testId="tree-scale"
              />
              <button type="button" className="btn btn-small btn-ghost" onClick={() => canvas.current?.zoom(1.5)} title="Zoom in (Ctrl + wheel)">
                +
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => canvas.current?.zoom(1 / 1.5)} title="Zoom out (Ctrl + wheel)">
                −
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => canvas.current?.fit()} title="The whole tree">
                Fit
              </button>
            </>
          )}
        </div>
        {s.doc && (
          <div className="map-exports btn-group">
            <span className="btn-group-label">
              <IconDownload size={14} /> Export
            </span>
            <button type="button" className="btn btn-small" onClick={() => canvas.current && model.exportPng(canvas.current.fullCanvas())} data-testid="tree-export-png">
              PNG
            </button>
            <button type="button" className="btn btn-small" onClick={() => model.exportSvg()} data-testid="tree-export-svg">
              SVG
            </button>
            <button type="button" className="btn btn-small" onClick={() => model.exportJson()} data-testid="tree-export-json">
              tree.json
            </button>
          </div>
        )}
        <div className="map-body">
          <div className="map-stage tree-stage">
            {scene ? (
              <TreeCanvas scene={scene} focusTick={s.focusTick} onCut={(k) => model.setK(k)} apiRef={canvas} />
            ) : (
              <div className="map-overlay muted">
                {s.state === 'building' ? '' : 'Choose what to cluster on the left and build the tree. A table like Spotify’s data_by_genres.csv (about 2,970 genres) works too.'}
              </div>
            )}
            {s.state === 'building' && <Progress models={models} state={s} />}
            {s.state === 'error' && s.doc && (
              <div className="map-overlay" role="alert">
                <IconWarning size={16} /> {s.message}
              </div>
            )}
            {scene && <div className="map-hint muted small">scroll · Ctrl + wheel to zoom · drag to pan · drag the red line to cut · hover a genre</div>}
          </div>
          <aside className="map-right">
            <CutPanel model={model} state={s} />
          </aside>
        </div>
      </section>
    </div>
  );
}
