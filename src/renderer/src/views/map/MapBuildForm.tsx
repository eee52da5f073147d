import React, { useState } from 'react';
import type { AppInfo, LibraryFolder, TrackRow } from '../../../../shared/types';
import { plural } from '../../lib/format';
import { mappableRuns, perplexityNote, pointCount } from '../../lib/scatterForm';
import { foldersForProfile, profileOptions } from '../../lib/training';
import type { MapModel, MapState } from '../../state/map';
import { Segmented } from '../RunsControls';
import { TrainingColumns } from '../TrainingColumns';
import { Choice } from './MapControls';

function folderName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** A labelled input with its help line or error. */
function MapField(props: { label: string; id: string; help?: string; error?: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.error ? <div className="field-error">{props.error}</div> : props.help ? <div className="field-help">{props.help}</div> : null}
    </div>
  );
}

function NumberInput(props: { id: string; value: string; onChange: (v: string) => void; decimal?: boolean }): React.JSX.Element {
  return (
    <input
      id={props.id}
      className="input input-plain"
      inputMode={props.decimal ? 'decimal' : 'numeric'}
      spellCheck={false}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      data-testid={props.id}
    />
  );
}

/** What to embed (source, profile, rows, columns, folders) and the projection with its settings. */
export function MapBuildForm(props: { model: MapModel; state: MapState; info: AppInfo; folders: LibraryFolder[]; tracks: TrackRow[] }): React.JSX.Element {
  const { model, state, info, folders, tracks } = props;
  const [picking, setPicking] = useState(false);
  const form = state.form!;
  const errors = state.errors;
  const profiles = profileOptions(info, folders);
  const profile = profiles.find((p) => p.name === form.profile);
  const allColumns = profile?.columns ?? null;
  const profileFolders = foldersForProfile(folders, form.profile);
  const runs = mappableRuns(state.runs);
  // a model layer maps the tracks of the run's folders, which the form does not know: no count then
  const fromRun = form.source === 'run' ? (runs.find((r) => r.id === form.runId) ?? null) : null;
  const n = form.source === 'run' ? 0 : pointCount(form, folders, tracks);
  const note = perplexityNote(form, n);

  return (
    <fieldset className="train-fields" disabled={state.state === 'building'}>
      <section className="form-section">
        <h3 className="form-title">Embed</h3>
        <Choice
          label="Source"
          value={form.source}
          options={[
            { value: 'features', label: 'Library features' },
            {
              value: 'run',
              label: 'Model layer',
              title: runs.length ? 'The penultimate layer of a trained dense network, or a CNN’s embedding layer (one point per track)' : 'Train a dense network or a CNN first: its run keeps the model to look inside',
              disabled: runs.length === 0,
            },
          ]}
          onChange={(v) => model.setForm({ source: v, runId: v === 'run' ? (form.runId ?? runs[0]?.id ?? null) : form.runId })}
          testId="map-source"
        />
        {form.source === 'run' && (
          <MapField label="Run" id="map-run" help="Activations of the layer that feeds the output, averaged over a track's segments; points coloured by the run's out-of-fold predictions.">
            <select id="map-run" className="select" value={form.runId ?? ''} onChange={(e) => model.setForm({ runId: Number(e.target.value) })} data-testid="map-run">
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  #{r.id} {r.name} · {(r.accuracy * 100).toFixed(1)} %
                </option>
              ))}
            </select>
          </MapField>
        )}
        {errors.source && <div className="field-error">{errors.source}</div>}
        {form.source === 'features' && (
          <>
        <MapField label="Profile" id="map-profile" help={profile?.description}>
          <select id="map-profile" className="select" value={form.profile} onChange={(e) => model.setForm({ profile: e.target.value })} data-testid="map-profile">
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.folders ? ` (${plural(p.folders, 'folder')})` : ''}
              </option>
            ))}
          </select>
        </MapField>
        <div className="field">
          <span className="field-label">Points</span>
          <Segmented
            label="Points"
            value={form.segments ? 'segments' : 'tracks'}
            options={[
              { value: 'tracks', label: 'Whole tracks' },
              { value: 'segments', label: '3-s segments', title: 'One point per 3-second segment; clicking one plays its track from there' },
            ]}
            onChange={(v) => model.setForm({ segments: v === 'segments' })}
            testId="map-unit"
          />
        </div>
        <div className={`field${errors.columns ? ' has-error' : ''}`}>
          <span className="field-label">Columns</span>
          {allColumns ? (
            <>
              <div className="columns-summary">
                <span>{form.columns === null ? `All ${allColumns.length} columns, standardised` : `${form.columns.length} of ${allColumns.length} columns`}</span>
                <span className="grow" />
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setPicking(!picking)} aria-expanded={picking}>
                  {picking ? 'Done' : 'Choose…'}
                </button>
              </div>
              {picking && <TrainingColumns all={allColumns} chosen={form.columns} onToggle={(cols, on) => model.toggleColumns(cols, on)} />}
            </>
          ) : (
            <div className="field-help">All of the imported table's columns, standardised.</div>
          )}
          {errors.columns && <div className="field-error">{errors.columns}</div>}
        </div>
        <div className="field">
          <span className="field-label">Folders</span>
          {profileFolders.length === 0 ? (
            <p className="field-help">No library folder has features of this profile.</p>
          ) : (
            <div className="folder-checks" data-testid="map-folders">
              {profileFolders.map((f) => (
                <label key={f.id} className="check" title={f.path}>
                  <input type="checkbox" checked={form.folderIds === null || form.folderIds.includes(f.id)} onChange={(e) => model.toggleFolder(f.id, e.target.checked)} />
                  <span className="check-text">{folderName(f.path)}</span>
                  <span className="muted small">{plural(f.tracks, 'track')}</span>
                </label>
              ))}
            </div>
          )}
          {errors.folders && <div className="field-error">{errors.folders}</div>}
        </div>
                </>
        )}
      </section>

      <section className="form-section">
        <h3 className="form-title">Projection</h3>
        <div className="map-seg-row">
          <Segmented
            label="Method"
            value={form.method}
            options={[
              { value: 'tsne', label: 't-SNE', title: 'Barnes–Hut t-SNE (exact for small maps)' },
              { value: 'umap', label: 'UMAP', title: 'UMAP (umap-js)' },
              { value: 'pca', label: 'PCA', title: 'Principal components of the standardised features' },
            ]}
            onChange={(v) => model.setForm({ method: v })}
            testId="map-method"
          />
          <Segmented
            label="Dimensions"
            value={form.dims === 3 ? '3' : '2'}
            options={[
              { value: '3', label: '3-D' },
              { value: '2', label: '2-D' },
            ]}
            onChange={(v) => model.setForm({ dims: v === '2' ? 2 : 3 })}
            testId="map-dims"
          />
        </div>
        <div className="param-grid">
          {form.method === 'tsne' && (
            <>
              <MapField label="Perplexity" id="map-perplexity" help="2 – 200" error={errors.perplexity}>
                <NumberInput id="map-perplexity" value={form.perplexity} onChange={(v) => model.setForm({ perplexity: v })} decimal />
              </MapField>
              <MapField label="Iterations" id="map-iterations" help="50 – 10,000" error={errors.iterations}>
                <NumberInput id="map-iterations" value={form.iterations} onChange={(v) => model.setForm({ iterations: v })} />
              </MapField>
            </>
          )}
          {form.method === 'umap' && (
            <>
              <MapField label="Neighbours" id="map-neighbours" help="2 – 200" error={errors.neighbours}>
                <NumberInput id="map-neighbours" value={form.neighbours} onChange={(v) => model.setForm({ neighbours: v })} />
              </MapField>
              <MapField label="Min distance" id="map-mindist" help="0 – 1" error={errors.minDist}>
                <NumberInput id="map-mindist" value={form.minDist} onChange={(v) => model.setForm({ minDist: v })} decimal />
              </MapField>
            </>
          )}
          {form.method !== 'pca' ? (
            <MapField label="Seed" id="map-seed" help="same seed, same map" error={errors.seed}>
              <NumberInput id="map-seed" value={form.seed} onChange={(v) => model.setForm({ seed: v })} />
            </MapField>
          ) : (
            <p className="field-help wide-help">PCA has no settings: the same features always give the same map.</p>
          )}
        </div>
        <p className="note" data-testid="map-points-note">
          {form.source === 'run'
            ? fromRun
              ? `The labelled tracks run #${fromRun.id} trains on (${fromRun.profile}${fromRun.segments ? ', averaged over 3-s segments' : ''}), through its model.`
              : 'Choose a run.'
            : n > 0
              ? `${plural(n, 'point')} to map.`
              : 'No points to map yet: add music in the Library.'}
          {note ? ` ${note}` : ''}
        </p>
      </section>

      <section className="form-section">
        <MapField label="Map name" id="map-name" help="optional; method and features by default">
          <input id="map-name" className="input input-plain" value={form.name} onChange={(e) => model.setForm({ name: e.target.value })} />
        </MapField>
      </section>
    </fieldset>
  );
}
