import React, { useMemo } from 'react';
import { plural } from '../../lib/format';
import { progressFraction } from '../../lib/jobs';
import { countLine } from '../../shell/JobProgress';
import { IconTrash } from '../../shell/icons';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { Choice } from './MapControls';
import { placementFor } from './placement';
import '../probes/probes.css';
import { folderName } from '../probes/ui';

const HOW: Record<string, string> = {
  tsne: 't-SNE has no transform for new points: each is placed at the distance-weighted mean of the map positions of its 10 nearest map points in the source space.',
  umap: 'UMAP places new points with its own transform against the stored layout.',
  pca: 'PCA projects new points exactly onto the map’s axes.',
};

/** Out of domain: place a second folder's tracks into the open map, as their own group. */
export function PlacePanel({ models }: { models: Models }): React.JSX.Element | null {
  const model = useMemo(() => placementFor(models.app, models.library, models.map), [models.app, models.library, models.map]);
  const s = useStore(model);
  const map = useStore(models.map).map;
  useStore(models.library);
  if (!map) return null;
  const candidates = model.candidates();
  const p = model.progress();
  const frac = p ? progressFraction(p) : null;
  const busy = s.state === 'placing';
  return (
    <section className="card map-card place-card" data-testid="place-panel" data-place-state={s.state} data-placements={s.placements.length}>
      <div className="card-head">
        <h3>Out of domain</h3>
        {s.placements.length > 0 && <span className="muted small">{plural(s.placements.reduce((a, x) => a + x.n, 0), 'placed point')}</span>}
      </div>
      <p className="muted small">Place music this map never saw among its points, in the space the map was made from. {HOW[map.method]}</p>
      <Choice
        label="Folder to place"
        value={s.source}
        options={[
          { value: 'folder', label: 'Library folder' },
          { value: 'path', label: 'Folder path', title: 'Added to the library (with the map’s feature profile), then placed' },
        ]}
        onChange={(v) => model.setForm({ source: v })}
        testId="place-source"
      />
      {s.source === 'folder' ? (
        <div className="field">
          <select className="select" value={s.folderId ?? candidates[0]?.id ?? ''} onChange={(e) => model.setForm({ folderId: e.target.value ? Number(e.target.value) : null })} disabled={busy} aria-label="Library folder to place" data-testid="place-folder">
            {candidates.length === 0 && <option value="">no folder outside this map</option>}
            {candidates.map((f) => (
              <option key={f.id} value={f.id}>
                {folderName(f.path)} ({plural(f.tracks, 'track')})
              </option>
            ))}
          </select>
        </div>
      ) : (
        <div className="field">
          <input className="input input-plain mono" value={s.path} placeholder="/music/unseen" onChange={(e) => model.setForm({ path: e.target.value })} disabled={busy} spellCheck={false} aria-label="Folder path to place" data-testid="place-path" />
        </div>
      )}
      <div className="place-row">
        <button type="button" className="btn btn-small btn-primary" onClick={() => void model.place()} disabled={busy} data-testid="place-run">
          Place
        </button>
        {busy && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => void model.cancel()} disabled={s.cancelling || !s.jobId} data-testid="place-cancel">
            {s.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {busy && (
        <div className="job-panel" role="status">
          <span className="job-line small">{countLine(p)}</span>
          <div className={`progress${frac === null ? ' progress-indeterminate' : ''}`}>
            <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(1)}%` }} />
          </div>
        </div>
      )}
      {s.message && (
        <p className={`small ${s.state === 'error' ? 'tone-error' : 'muted'}`} role={s.state === 'error' ? 'alert' : 'status'} data-testid="place-message">
          {s.message}
        </p>
      )}
      {s.placements.length > 0 && (
        <ul className="place-list" data-testid="place-list">
          {s.placements.map((pl) => (
            <li key={pl.id} data-placement-id={pl.id} title={`${pl.folderPath}\n${pl.note}${pl.warnings.length ? `\n${pl.warnings.join('\n')}` : ''}`}>
              <div className="place-row">
                <b className="small">{pl.name}</b>
                <span className="muted small">{plural(pl.n, 'point')}</span>
                <span className="grow" />
                <button type="button" className="icon-btn" onClick={() => void model.remove(pl.id)} title="Remove this placement from the map" aria-label={`Remove ${pl.name}`} data-testid="delete-placement">
                  <IconTrash size={14} />
                </button>
              </div>
              <div className="muted small place-landing" data-testid="place-landing">
                nearest map points: {pl.landing.map((l) => `${l.label || 'unlabelled'} ${l.count}`).join(', ')}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
