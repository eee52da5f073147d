import React from 'react';
import type { JobProgress, ModelInfo } from '../../../shared/types';
import { progressFraction } from '../lib/jobs';
import { useStartShortcut } from '../lib/keys';
import { IconTraining, IconWarning } from '../shell/icons';
import type { Models } from '../shell/views';
import type { BackendInfo, TrainingModel, TrainingState } from '../state/training';
import { usesTensors } from '../state/training';
import { useStore } from '../state/store';
import { RunsDetail } from './RunsDetail';
import { TrainingCurves } from './TrainingChart';
import { TrainingForm } from './TrainingForm';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const TRAIN_KEY = IS_MAC ? '⌘ ↵' : 'Ctrl ↵';

/** What the chosen model trains with: the tfjs backend for tensor models, plain JS otherwise. */
function backendText(model: ModelInfo | undefined, backend: BackendInfo | null): { text: string; title: string } {
  if (model && !usesTensors(model)) return { text: 'js', title: `${model.label} trains in plain JavaScript (no tensors).` };
  if (!backend) return { text: '…', title: 'Asking the engine which tfjs backend it uses…' };
  const skipped = backend.skipped.map((s) => `${s.backend}: ${s.reason}`).join('\n');
  return { text: backend.backend, title: `Tensor models train on the tfjs "${backend.backend}" backend.${skipped ? `\nSkipped:\n${skipped}` : ''}` };
}

function progressText(p: JobProgress | undefined, folds: number | null): string {
  if (!p || !(p.total > 0)) return 'Preparing the data…';
  // The last step is the final fit (a hyperbolic run with a baseline has 2 × folds steps before it).
  const finalFit = folds !== null && p.total > folds && p.done >= p.total - 1;
  if (finalFit && p.done < p.total) return `${p.done} / ${p.total} steps · fitting the final model on all data`;
  return `${p.done} / ${p.total} steps${p.message ? ` · ${p.message}` : ''}`;
}

function LivePanel({ model, state }: { model: TrainingModel; state: TrainingState }): React.JSX.Element {
  const p = model.progress();
  const frac = p ? progressFraction(p) : null;
  const m = state.models.find((x) => x.name === state.form?.model);
  const folds = state.form?.evaluation === 'cv' ? Number(state.form.folds) : 1;
  return (
    <div className="live" data-testid="train-live">
      <div className="job-panel" role="status">
        <div className="job-head">
          <span className="job-title">Training {m?.label ?? ''}</span>
          <span className="job-line" data-testid="train-progress">
            {progressText(p, Number.isFinite(folds) ? folds : null)}
          </span>
          <button
            className="btn btn-small btn-danger"
            onClick={() => void model.cancel()}
            disabled={state.cancelling || !state.jobId}
            data-testid="train-cancel"
          >
            {state.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
        <div
          className={`progress${frac === null ? ' progress-indeterminate' : ''}`}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={p?.total ?? 0}
          aria-valuenow={p?.done ?? 0}
        >
          <div className="progress-fill" style={{ width: `${((frac ?? 0) * 100).toFixed(2)}%` }} />
        </div>
      </div>
      {state.epochs ? (
        <section className="card">
          <div className="card-head">
            <h3>Live curves</h3>
            <span className="muted small">loss and accuracy per epoch, one line per fold</span>
          </div>
          <TrainingCurves points={state.curves} live />
        </section>
      ) : (
        <p className="muted live-note">{m?.label ?? 'This model'} has no epochs: progress is shown per fold.</p>
      )}
    </div>
  );
}

function Intro(): React.JSX.Element {
  return (
    <div className="train-intro">
      <div className="intro-icon" aria-hidden="true">
        <IconTraining size={28} />
      </div>
      <h2>Train a genre classifier</h2>
      <p className="muted">
        Choose the features, the folders, a model and how to evaluate it, then press <b>Train</b> (<kbd>{TRAIN_KEY}</kbd>).
        Curves appear while tensor models learn; when the run is done its confusion matrix, per-class figures and
        misclassified tracks open here, and the run is kept in <b>Runs</b>.
      </p>
    </div>
  );
}

export function TrainingView({ models }: { models: Models }): React.JSX.Element {
  const model = models.training;
  const s = useStore(model);
  const app = useStore(models.app);
  const lib = useStore(models.library);
  const info = app.info!;

  useStartShortcut(() => void model.train());

  if (!s.form) {
    return (
      <div className="training training-loading center-panel" data-train-state={s.state}>
        <div className="spinner" aria-hidden="true" />
        <p className="muted">Loading the model registry…</p>
      </div>
    );
  }

  const m = s.models.find((x) => x.name === s.form!.model);
  const backend = backendText(m, s.backend);
  const errorCount = Object.keys(s.errors).length;
  const noData = lib.folders.length === 0;

  return (
    <div className="training" data-train-state={s.state}>
      <aside className="train-side" aria-label="Training settings">
        <form
          className="train-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.train();
          }}
        >
          <div className="train-side-scroll">
            <TrainingForm model={model} state={s} info={info} folders={lib.folders} />
          </div>
          <div className="train-actions">
            {errorCount > 0 && (
              <div className="form-errors" role="alert">
                {Object.values(s.errors).map((e) => (
                  <div key={e}>{e}</div>
                ))}
              </div>
            )}
            <div className="train-actions-row">
              <button className="btn btn-primary btn-train" type="submit" disabled={s.state === 'training' || noData} data-testid="train-button">
                Train <kbd className="kbd-on-primary">{TRAIN_KEY}</kbd>
              </button>
              <span className="chip backend-chip" title={backend.title} data-testid="train-backend">
                <span className="backend-dot" aria-hidden="true" />
                {backend.text}
              </span>
            </div>
            {noData && <p className="field-help">Add a music folder in the Library first.</p>}
          </div>
        </form>
      </aside>
      <section className="train-main" aria-label="Training results">
        {s.state === 'training' && <LivePanel model={model} state={s} />}
        {(s.state === 'error' || s.state === 'cancelled') && (
          <div className="train-outcome">
            <div className={`job-summary ${s.state === 'error' ? 'tone-error' : 'tone-warn'}`} role="status" data-testid="train-message">
              <IconWarning size={14} /> {s.message}
            </div>
            {s.curves.length > 0 && (
              <section className="card">
                <div className="card-head">
                  <h3>Curves until it stopped</h3>
                </div>
                <TrainingCurves points={s.curves} live={false} />
              </section>
            )}
          </div>
        )}
        {s.state === 'done' && <RunsDetail model={model.run} client={models.app.client} info={info} />}
        {s.state === 'idle' && <Intro />}
      </section>
    </div>
  );
}
