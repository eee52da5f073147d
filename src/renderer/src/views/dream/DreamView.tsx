import React, { useMemo, useState } from 'react';
import { DREAM_LIMITS, type DreamDetail, type DreamSummary } from '../../../../shared/dream';
import type { TrackRow } from '../../../../shared/types';
import { formatElapsed } from '../../lib/format';
import { pct, runDate } from '../../lib/runs';
import { IconDownload } from '../../shell/icons';
import { ConfirmDelete, JobProgressPanel } from '../../shell/JobProgress';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { useStartShortcut } from '../../lib/keys';
import { Segmented } from '../RunsControls';
import { Field } from '../probes/ui';
import { DistanceChart } from './DistanceChart';
import { DreamPlayer } from './DreamPlayer';
import { canDream, dreamsModelFor, type DreamsModel, type DreamsState } from './model';
import { SpectrogramCanvas } from './SpectrogramCanvas';
import './dream.css';

const MAX_TRACKS = 2000;

/**
 * The "start from" choice. Memoised on its own props: a running dream re-renders the form at every
 * step, and a large library would otherwise be filtered and its options rebuilt each time.
 */
const TrackPicker = React.memo(function TrackPicker(props: {
  tracks: readonly TrackRow[];
  fromTrackId: number | null;
  genre: string;
  onPick: (trackId: number | null) => void;
}): React.JSX.Element {
  const [query, setQuery] = useState('');
  const all = useMemo(() => props.tracks.filter((t) => t.status === 'ok'), [props.tracks]);
  const q = query.trim().toLowerCase();
  const shown = useMemo(
    () => (q ? all.filter((t) => t.relPath.toLowerCase().includes(q) || (t.label ?? '').toLowerCase().includes(q)) : all).slice(0, MAX_TRACKS),
    [all, q],
  );
  const chosen = props.fromTrackId !== null ? all.find((t) => t.id === props.fromTrackId) : undefined;
  return (
    <Field label="Start from" id="dream-from" help={chosen ? `“Make this track more ${props.genre || '…'}”: its first seconds are the starting point` : 'Low-level white noise (−50 dBFS), or a library track'}>
      {all.length > 20 && (
        <input className="input input-plain" placeholder="Filter tracks…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Filter tracks" data-testid="dream-track-filter" />
      )}
      <select
        id="dream-from"
        className="select"
        value={props.fromTrackId ?? ''}
        onChange={(e) => props.onPick(e.target.value ? Number(e.target.value) : null)}
        data-testid="dream-from"
      >
        <option value="">Low-level noise</option>
        {chosen && !shown.includes(chosen) && <option value={chosen.id}>{chosen.relPath}</option>}
        {shown.map((t) => (
          <option key={t.id} value={t.id}>
            {t.relPath}
            {t.label ? ` (${t.label})` : ''}
          </option>
        ))}
      </select>
    </Field>
  );
});

function DreamForm({ model, state }: { model: DreamsModel; state: DreamsState }): React.JSX.Element {
  const f = state.form;
  const dreamable = state.runs.filter(canDream);
  const run = state.runs.find((r) => r.id === f.runId);
  return (
    <fieldset className="train-fields" disabled={state.state === 'running'}>
      <section className="form-section">
        <h3 className="form-title">Model</h3>
        <Field
          label="Run"
          id="dream-run"
          help={dreamable.length ? 'A CNN run that kept its model: dreams are heard through its embedding layer' : 'No CNN run with a saved model yet: train one (model “cnn”, profile logmel) in the Training view'}
        >
          <select id="dream-run" className="select" value={f.runId ?? ''} onChange={(e) => model.setForm({ runId: e.target.value ? Number(e.target.value) : null })} data-testid="dream-run">
            {dreamable.length === 0 && <option value="">—</option>}
            {state.runs.map((r) => (
              <option key={r.id} value={r.id} disabled={!canDream(r)}>
                #{r.id} {r.name}
                {canDream(r) ? '' : r.model !== 'cnn' ? ' (not a CNN)' : ' (no saved model)'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Genre" id="dream-genre">
          <select id="dream-genre" className="select" value={f.genre} onChange={(e) => model.setForm({ genre: e.target.value })} data-testid="dream-genre">
            {(run?.labels ?? []).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </section>
      <section className="form-section">
        <h3 className="form-title">Dream</h3>
        <div className="param-grid">
          <Field label="Length (s)" id="dream-seconds" help={`${DREAM_LIMITS.seconds.min}–${DREAM_LIMITS.seconds.max}`}>
            <input id="dream-seconds" className="input input-plain" inputMode="decimal" value={f.seconds} onChange={(e) => model.setForm({ seconds: e.target.value })} data-testid="dream-seconds" />
          </Field>
          <Field label="Steps" id="dream-steps">
            <input id="dream-steps" className="input input-plain" inputMode="numeric" value={f.steps} onChange={(e) => model.setForm({ steps: e.target.value })} data-testid="dream-steps" />
          </Field>
          <Field label="Seed" id="dream-seed">
            <input id="dream-seed" className="input input-plain" inputMode="numeric" value={f.seed} onChange={(e) => model.setForm({ seed: e.target.value })} data-testid="dream-seed" />
          </Field>
          {f.domain === 'spectrogram' && (
            <Field label="Refine (steps)" id="dream-refine" help="waveform steps after Griffin–Lim">
              <input id="dream-refine" className="input input-plain" inputMode="numeric" value={f.refineSteps} onChange={(e) => model.setForm({ refineSteps: e.target.value })} data-testid="dream-refine" />
            </Field>
          )}
        </div>
        <TrackPicker tracks={model.libraryTracks()} fromTrackId={f.fromTrackId} genre={f.genre} onPick={model.pickTrack} />
        <div className="field">
          <span className="field-label">Objective</span>
          <Segmented
            label="Objective"
            value={f.objective}
            options={[
              { value: 'confident', label: 'Confident', title: 'Towards the genre’s mean embedding, while keeping the model’s probability of the genre at 95 % or more (the default)' },
              { value: 'embedding', label: 'Embedding', title: 'Move the embedding onto the genre’s mean embedding (the mean-squared distance alone)' },
              { value: 'logit', label: 'Logit', title: 'Raise the genre’s logit (pre-softmax score)' },
            ]}
            onChange={(v) => model.setForm({ objective: v })}
            testId="dream-objective"
          />
        </div>
        <div className="field">
          <span className="field-label">Optimise</span>
          <Segmented
            label="Optimise"
            value={f.domain}
            options={[
              { value: 'spectrogram', label: 'Spectrogram', title: 'Optimise a log-mel spectrogram; then mel → linear, Griffin–Lim, and a waveform refinement' },
              { value: 'waveform', label: 'Waveform', title: 'Optimise the samples themselves through a differentiable STFT (conv1d with a Fourier basis); slower per step' },
            ]}
            onChange={(v) => model.setForm({ domain: v })}
            testId="dream-domain"
          />
        </div>
      </section>
    </fieldset>
  );
}

function Gallery({ model, state }: { model: DreamsModel; state: DreamsState }): React.JSX.Element {
  if (state.listLoaded && state.list.length === 0) return <p className="muted small map-list-empty">No dreams yet.</p>;
  return (
    <ul className="map-list dream-gallery" data-testid="dream-gallery" data-dreams-count={state.list.length}>
      {state.list.map((d) => (
        <GalleryItem key={d.id} d={d} model={model} state={state} />
      ))}
    </ul>
  );
}

function GalleryItem({ d, model, state }: { d: DreamSummary; model: DreamsModel; state: DreamsState }): React.JSX.Element {
  const s = d.settings;
  const title = [
    d.name,
    `run #${s.runId} ${s.runName}`,
    `${s.seconds} s, ${s.steps} steps${s.refineSteps ? ` + ${s.refineSteps} refinement` : ''}, seed ${s.seed}`,
    `objective ${s.objective}, ${s.domain}${s.fromTrack ? `, from ${s.fromTrack}` : ', from noise'}`,
  ].join('\n');
  return (
    <li className={`map-item${state.dream?.id === d.id ? ' active' : ''}`} data-dream-id={d.id}>
      <button type="button" className="map-item-main" onClick={() => void model.open(d.id)} disabled={state.opening !== null} title={title} data-testid="open-dream">
        <span className="map-item-name">{d.name}</span>
        <span className="map-item-meta muted small">
          p({d.genre}) {pct(d.targetProbability)} · distance {d.distanceStart.toFixed(2)} → {d.distanceAudio.toFixed(2)} · {runDate(d.createdAt)}
        </span>
      </button>
      <button type="button" className="icon-btn" onClick={() => void model.exportFile(d.id, 'wav')} title="Export WAV" aria-label={`Export ${d.name} as WAV`} data-testid="gallery-export-wav">
        <IconDownload size={14} />
      </button>
      <ConfirmDelete
        confirming={state.confirmDelete === d.id}
        onAsk={(ask) => model.askDelete(ask ? d.id : null)}
        onDelete={() => void model.remove(d.id)}
        what="this dream"
        name={d.name}
        testId="delete-dream"
        confirmTestId="confirm-delete-dream"
      />
    </li>
  );
}

function Progress({ model, state }: { model: DreamsModel; state: DreamsState }): React.JSX.Element {
  return (
    <JobProgressPanel
      progress={model.progress()}
      title="Dream"
      cancelling={state.cancelling}
      canCancel={!!state.jobId}
      onCancel={() => void model.cancel()}
      className="dream-progress"
      testId="dream-progress"
      cancelTestId="dream-cancel"
    />
  );
}

function Live({ state }: { state: DreamsState }): React.JSX.Element | null {
  const l = state.live;
  if (!l) return null;
  return (
    <section className="card dream-live" data-testid="dream-live" data-phase={l.phase}>
      <div className="card-head">
        <h3>Dreaming {l.genre}</h3>
        <span className="muted small">{l.stage}</span>
      </div>
      <SpectrogramCanvas image={l.grid} label={`The spectrogram as the network hears it, ${l.stage}`} testId="dream-live-spectrogram" frames={l.frames} />
      <DistanceChart curve={l.curve} refine={l.refine} steps={l.steps} live />
    </section>
  );
}

function Figures({ d }: { d: DreamDetail }): React.JSX.Element {
  const f = d.figures;
  const rows = d.labels
    .map((l, i) => ({ l, p: f.probabilities[i] ?? 0, dist: f.distances[i] ?? NaN }))
    .sort((a, b) => b.p - a.p)
    .slice(0, 6);
  const ok = {
    nearest: f.nearestGenre === d.genre,
    probability: f.targetProbability >= 0.9,
    drop: f.distanceDrop >= 0.9,
    audio: f.audio.finite && f.audio.rmsDbfs > -40 && f.audio.clippedSamples === 0,
  };
  const mark = (b: boolean) => <span className={b ? 'dream-yes' : 'dream-no'}>{b ? '✓' : '✗'}</span>;
  return (
    <div className="dream-figures" data-testid="dream-figures" data-nearest={f.nearestGenre} data-probability={f.targetProbability.toFixed(4)} data-drop={f.distanceDrop.toFixed(4)}>
      <ul className="dream-checks small">
        <li>
          {mark(ok.nearest)} nearest genre mean: <b>{f.nearestGenre}</b>
        </li>
        <li>
          {mark(ok.probability)} the model hears <b>{d.genre}</b> with probability {pct(f.targetProbability)}
        </li>
        <li>
          {mark(ok.drop)} distance {f.distanceStart.toFixed(3)} → {f.distanceAudio.toFixed(3)} (−{pct(f.distanceDrop)})
        </li>
        <li>
          {mark(ok.audio)} audio: RMS {f.audio.rmsDbfs.toFixed(1)} dBFS, peak {f.audio.peakDbfs.toFixed(1)} dBFS, {f.audio.clippedSamples} clipped samples
        </li>
      </ul>
      <table className="dream-probs small" aria-label="The model's probabilities for the dream">
        <tbody>
          {rows.map((r) => (
            <tr key={r.l} className={r.l === d.genre ? 'dream-target' : undefined}>
              <td>{r.l}</td>
              <td className="num">{pct(r.p)}</td>
              <td className="dream-bar-cell">
                <span className="dream-bar" style={{ width: `${(100 * r.p).toFixed(1)}%` }} />
              </td>
              <td className="num muted">d {r.dist.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {d.settings.domain === 'spectrogram'
          ? `Optimised spectrogram: distance ${f.distanceEnd.toFixed(3)}, p ${pct(f.targetProbabilityInput)}; after Griffin–Lim (${d.settings.griffinLimIterations} iterations, spectral convergence ${f.spectralConvergence?.toFixed(3) ?? '–'}, crest factor ${f.crestFactor?.toFixed(1) ?? '–'}) ${f.distanceGriffinLim?.toFixed(3) ?? '–'}; after ${d.settings.refineSteps} waveform steps ${f.distanceAudio.toFixed(3)}.`
          : `Optimised waveform through the conv1d STFT: distance ${f.distanceAudio.toFixed(3)}.`}{' '}
        {formatElapsed(d.elapsed)} on {d.settings.backend || 'tfjs'}.
      </p>
    </div>
  );
}

function Result({ model, state }: { model: DreamsModel; state: DreamsState }): React.JSX.Element | null {
  const d = state.dream;
  if (!d) return null;
  const a = state.audio;
  return (
    <div className="dream-result" data-testid="dream-result" data-dream-id={d.id}>
      <div className="probe-toolbar">
        <span className="muted small">
          {d.settings.runName} · {d.seconds} s · {d.settings.steps} steps · seed {d.settings.seed} · {d.settings.objective} · {d.settings.domain}
          {d.settings.fromTrack ? ` · from ${d.settings.fromTrack}` : ' · from noise'}
        </span>
        <span className="grow" />
        <button type="button" className="btn btn-small" onClick={() => void model.exportFile(d.id, 'wav')} data-testid="dream-export-wav">
          <IconDownload size={14} /> WAV
        </button>
        <button type="button" className="btn btn-small" onClick={() => void model.exportFile(d.id, 'png')} data-testid="dream-export-png">
          <IconDownload size={14} /> PNG
        </button>
        <button type="button" className="btn btn-small" onClick={() => void model.exportFile(d.id, 'json')} data-testid="dream-export-json">
          <IconDownload size={14} /> JSON
        </button>
      </div>
      {a && a.dreamId === d.id && a.blob ? (
        <DreamPlayer blob={a.blob} title={d.name} />
      ) : (
        <div className="dream-player muted small" data-testid="dream-audio-state" data-audio-state={a?.state ?? 'none'}>
          {a?.state === 'error' ? a.message : 'Loading the sound…'}
        </div>
      )}
      <div className="dream-pair">
        <section className="card">
          <div className="card-head">
            <h3>Log-mel of the sound</h3>
            <span className="muted small">as the network hears the WAV</span>
          </div>
          <SpectrogramCanvas image={d.spectrogram} label="Log-mel spectrogram of the dream" testId="dream-spectrogram" />
        </section>
        <section className="card">
          <DistanceChart curve={d.curve.slice(0, d.refineFrom ?? d.curve.length).map((v, i) => [i, v] as const)} refine={d.refineFrom === null ? [] : d.curve.slice(d.refineFrom).map((v, i) => [i, v] as const)} steps={d.settings.steps} live={false} />
        </section>
      </div>
      <Figures d={d} />
    </div>
  );
}

/** The Dream view: what a trained CNN thinks a genre sounds like, as audio. */
export function DreamView({ models }: { models: Models }): React.JSX.Element {
  const model = useMemo(() => dreamsModelFor(models.app, models.library), [models.app, models.library]);
  const s = useStore(model);
  useStore(models.library);
  useStartShortcut(() => void model.dream());
  return (
    <div className="dreamview" data-dream-state={s.state}>
      <aside className="map-side" aria-label="Dream settings">
        <form
          className="train-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.dream();
          }}
        >
          <div className="train-side-scroll">
            <DreamForm model={model} state={s} />
            <section className="form-section">
              <h3 className="form-title">Gallery</h3>
              <Gallery model={model} state={s} />
            </section>
          </div>
          <div className="train-actions">
            {s.errors.length > 0 && (
              <div className="form-errors" role="alert">
                {s.errors.map((e) => (
                  <div key={e}>{e}</div>
                ))}
              </div>
            )}
            <button className="btn btn-primary btn-train" type="submit" disabled={s.state === 'running'} data-testid="dream-button">
              Dream
            </button>
          </div>
        </form>
      </aside>
      <section className="dream-main" aria-label="Dream">
        <div className="map-toolbar">
          <div className="map-title">
            <h2>{s.state === 'running' ? `Dreaming ${s.live?.genre ?? ''}…` : s.dream ? s.dream.name : 'Genre dreams'}</h2>
          </div>
        </div>
        {s.state === 'running' && <Progress model={model} state={s} />}
        {s.message && (
          <div className={`probe-message ${s.state === 'error' ? 'tone-error' : 'tone-warn'}`} role={s.state === 'error' ? 'alert' : 'status'} data-testid="dream-message">
            {s.message}
          </div>
        )}
        <Live state={s} />
        {s.state !== 'running' && s.dream && <Result model={model} state={s} />}
        {s.state !== 'running' && !s.dream && (
          <div className="probe-intro muted">
            <p>
              What does a model think disco sounds like? Pick a trained CNN run and a genre on the left and press <b>Dream</b>. Starting
              from low-level noise (or from a track of your library), the spectrogram is changed step by step until the network’s
              embedding of it matches the genre’s mean embedding over the run’s training segments; then it becomes sound (mel → linear,
              Griffin–Lim, a few waveform steps through a differentiable STFT), gently gated and normalised to −1 dBFS.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
