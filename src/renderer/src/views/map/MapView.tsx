import React, { useRef } from 'react';
import { withAlpha } from '../../lib/confusion';
import { progressFraction } from '../../lib/jobs';
import { formatInt, plural } from '../../lib/format';
import { isPlainKey, isStartKey, isTypingTarget, useKeydown } from '../../lib/keys';
import { type ColourBy, tracksOfPoints } from '../../lib/scatter';
import { IconDownload, IconMap, IconWarning } from '../../shell/icons';
import type { Models } from '../../shell/views';
import type { MapModel, MapState } from '../../state/map';
import { useStore } from '../../state/store';
import { WaveformPanel } from '../waveform/WaveformPanel';
import { ClusterPanel } from './ClusterPanel';
import { PlacePanel } from './PlacePanel';
import { MapBuildForm } from './MapBuildForm';
import { MapCanvas, type MapCanvasApi } from './MapCanvas';
import { Choice, MapFacts, MapLegend, MapList } from './MapControls';

const METHOD_TEXT = { tsne: 't-SNE', umap: 'UMAP', pca: 'PCA' } as const;
const SELECTION_ROWS = 200;

function BuildProgress({ model, state }: { model: MapModel; state: MapState }): React.JSX.Element {
  const p = model.progress();
  const total = state.total || p?.total || 0;
  const done = state.iteration || p?.done || 0;
  const frac = total > 0 ? Math.min(1, done / total) : p ? progressFraction(p) : null;
  const method = state.form ? METHOD_TEXT[state.form.method] : 'Map';
  return (
    <div className="job-panel map-progress" role="status" data-testid="map-progress">
      <div className="job-head">
        <span className="job-title">{method}</span>
        <span className="job-line">{total > 0 ? `iteration ${formatInt(done)} of ${formatInt(total)}` : 'Preparing the points…'}</span>
        <button type="button" className="btn btn-small btn-danger" onClick={() => void model.cancel()} disabled={state.cancelling || !state.jobId} data-testid="map-cancel">
          {state.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div className={`progress${frac === null ? ' progress-indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(2)}%` }} />
      </div>
    </div>
  );
}

function SelectionCard({ model, state }: { model: MapModel; state: MapState }): React.JSX.Element {
  const meta = state.map?.meta ?? [];
  const tracks = tracksOfPoints(meta, state.selection);
  return (
    <section className="card map-card" data-testid="map-selection" data-selected={state.selection.length}>
      <div className="card-head">
        <h3>Selection</h3>
        {state.selection.length > 0 && (
          <>
            <span className="muted small">
              {plural(state.selection.length, 'point')} · {plural(tracks.length, 'track')}
            </span>
            <span className="grow" />
            <button type="button" className="link-btn" onClick={() => model.clearSelection()}>
              clear
            </button>
          </>
        )}
      </div>
      {state.selection.length === 0 ? (
        <p className="muted small">Shift-drag a box on the map to list the tracks inside it.</p>
      ) : (
        <ul className="map-sel-list">
          {tracks.slice(0, SELECTION_ROWS).map((t) => (
            <li key={t.index}>
              <button type="button" className={`map-sel-row${state.playing?.index === t.index ? ' active' : ''}`} onClick={() => model.play(t.index)} title={t.point.name} data-index={t.index}>
                <span className="map-sel-name mono">{t.point.name}</span>
                <span className="chip chip-label static">{t.point.label}</span>
                {t.points > 1 && <span className="muted small">×{t.points}</span>}
              </button>
            </li>
          ))}
          {tracks.length > SELECTION_ROWS && <li className="muted small">and {formatInt(tracks.length - SELECTION_ROWS)} more</li>}
        </ul>
      )}
    </section>
  );
}

function StageOverlay({ state }: { state: MapState }): React.JSX.Element | null {
  if (state.state === 'error') {
    return (
      <div className="map-overlay" role="alert" data-testid="map-message">
        <IconWarning size={20} />
        <p>{state.message}</p>
      </div>
    );
  }
  if (state.state === 'idle' && !state.cloud) {
    return (
      <div className="map-overlay">
        <div className="intro-icon" aria-hidden="true">
          <IconMap size={28} />
        </div>
        <h2>See the library as a cloud of points</h2>
        <p className="muted">
          Choose the features and a projection on the left and press <b>Build map</b>, or open a stored map. The cloud settles while
          the optimiser runs; then orbit it, colour it, and click any point to listen.
        </p>
        {state.message && (
          <p className="job-summary tone-warn" data-testid="map-message">
            {state.message}
          </p>
        )}
      </div>
    );
  }
  if (state.state === 'building' && !state.cloud) {
    return (
      <div className="map-overlay">
        <div className="spinner" aria-hidden="true" />
        <p className="muted">Gathering the features…</p>
      </div>
    );
  }
  return null;
}

export function MapView({ models }: { models: Models }): React.JSX.Element {
  const model = models.map;
  const s = useStore(model);
  const app = useStore(models.app);
  const lib = useStore(models.library);
  const canvas = useRef<MapCanvasApi | null>(null);
  const info = app.info!;
  const colouring = model.colouring();
  const predictions = model.predictions();
  const playingTrack = s.playing ? model.trackOf(s.playing.index) : null;
  const ready = s.state === 'ready' && s.map !== null;
  const exportBusy = s.exporting !== null || !ready;

  useKeydown((e) => {
    if (isStartKey(e)) {
      void model.build();
      return true;
    }
    if (isTypingTarget(e.target) || !isPlainKey(e)) return false;
    if (e.key === 'Escape' && s.selection.length > 0) {
      model.clearSelection();
      return true;
    }
    return false;
  });

  if (!s.form) {
    return (
      <div className="mapview mapview-loading center-panel" data-map-state={s.state}>
        <div className="spinner" aria-hidden="true" />
      </div>
    );
  }

  const errors = Object.values(s.errors);
  const colourOptions: Array<{ value: ColourBy; label: string; title?: string; disabled?: boolean }> = [
    { value: 'label', label: 'Label', disabled: !ready },
    { value: 'predicted', label: 'Predicted', disabled: !predictions, title: predictions ? undefined : 'Only maps of a trained model carry predictions' },
    { value: 'cluster', label: 'Cluster', disabled: !s.map?.clusters, title: s.map?.clusters ? undefined : 'Run a cluster sweep first' },
    { value: 'correctness', label: 'Correct?', disabled: !predictions, title: predictions ? 'Wrong predictions in red' : 'Only maps of a trained model carry predictions' },
  ];
  const segmentRegion = s.playing && s.playing.end !== null ? [{ start: s.playing.start, end: s.playing.end, colour: withAlpha('#7c9cff', 0.28), label: 'point' }] : undefined;

  return (
    <div className="mapview" data-map-state={s.state} data-frames={s.frames}>
      <aside className="map-side" aria-label="Maps">
        <form
          className="train-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.build();
          }}
        >
          <div className="train-side-scroll">
            <section className="form-section">
              <h3 className="form-title">Stored maps</h3>
              <MapList model={model} state={s} />
            </section>
            <MapBuildForm model={model} state={s} info={info} folders={lib.folders} tracks={lib.tracks} />
          </div>
          <div className="train-actions">
            {errors.length > 0 && (
              <div className="form-errors" role="alert">
                {errors.map((e) => (
                  <div key={e}>{e}</div>
                ))}
              </div>
            )}
            <button className="btn btn-primary btn-train" type="submit" disabled={s.state === 'building' || lib.folders.length === 0} data-testid="map-build">
              Build map
            </button>
          </div>
        </form>
      </aside>

      <section className="map-main" aria-label="Map">
        <div className="map-toolbar">
          <div className="map-title">
            <h2 title={s.map?.source}>{s.map ? s.map.name : s.state === 'building' ? 'Building…' : 'Map'}</h2>
            <MapFacts state={s} />
          </div>
          <span className="grow" />
          <Choice label="Colour by" value={colouring?.by ?? s.colourBy} options={colourOptions} onChange={(v) => model.setColourBy(v)} testId="map-colour-by" />
          <button type="button" className="btn btn-small btn-ghost" onClick={() => canvas.current?.resetView()} disabled={!s.cloud} title="Back to the whole cloud">
            Reset view
          </button>
        </div>
        <div className="map-exports btn-group">
          <span className="btn-group-label">
            <IconDownload size={14} /> Export
          </span>
          <button type="button" className="btn btn-small" disabled={exportBusy} onClick={() => void canvas.current?.toBlob().then((b) => model.savePng(b))} data-testid="map-export-png">
            PNG
          </button>
          <button type="button" className="btn btn-small" disabled={exportBusy} onClick={() => void model.export('points.tsv')} title="Embedding Projector: vectors" data-testid="map-export-points">
            Points TSV
          </button>
          <button type="button" className="btn btn-small" disabled={exportBusy} onClick={() => void model.export('metadata.tsv')} title="Embedding Projector: metadata" data-testid="map-export-metadata">
            Metadata TSV
          </button>
          <button type="button" className="btn btn-small" disabled={exportBusy || !s.map?.clusters} onClick={() => void model.export('clusters.csv')} data-testid="map-export-clusters">
            Clusters CSV
          </button>
          <button type="button" className="btn btn-small" disabled={exportBusy} onClick={() => void model.export('map.json')} data-testid="map-export-json">
            JSON
          </button>
        </div>
        <div className="map-body">
          <MapCanvas
            cloud={s.cloud}
            colouring={s.state === 'ready' ? colouring : null}
            hidden={s.hidden}
            selection={s.selection}
            meta={s.state === 'ready' ? (s.map?.meta ?? null) : null}
            onClickPoint={(i) => model.play(i)}
            onSelect={(ix) => model.select(ix)}
            apiRef={canvas}
          >
            {s.state === 'building' && <BuildProgress model={model} state={s} />}
            {s.state === 'ready' && colouring && <MapLegend model={model} colouring={colouring} hidden={s.hidden} />}
            {ready && s.cloud && (
              <div className="map-hint muted small">
                {s.cloud.dims === 3 ? 'drag to orbit · ' : 'drag to pan · '}scroll to zoom · {s.cloud.dims === 3 ? 'right-drag to pan · ' : ''}shift-drag to select · click a point to listen
              </div>
            )}
            <StageOverlay state={s} />
          </MapCanvas>
          <aside className="map-right">
            <SelectionCard model={model} state={s} />
            <ClusterPanel model={model} state={s} />
            {ready && <PlacePanel models={models} />}
          </aside>
        </div>
        {s.playing && playingTrack && (
          <WaveformPanel track={playingTrack} client={models.app.client} startAt={s.playing.start} regions={segmentRegion} />
        )}
      </section>
    </div>
  );
}
