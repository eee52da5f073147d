import React, { useState } from 'react';
import type { AppInfo, LibraryFolder, ModelInfo, ModelParamSpec } from '../../../shared/types';
import { plural } from '../lib/format';
import { foldersForProfile, paramApplies, type ParamInput, paramWidget, profileOptions } from '../lib/training';
import type { TrainingModel, TrainingState } from '../state/training';
import { usesTensors } from '../state/training';
import { Segmented } from './RunsControls';
import { TrainingColumns } from './TrainingColumns';
import { LossSection } from './training/LossSection';

function folderName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

function Field(props: { label: string; htmlFor?: string; help?: string; error?: string; children: React.ReactNode; wide?: boolean }): React.JSX.Element {
  return (
    <div className={`field${props.error ? ' has-error' : ''}${props.wide ? ' wide' : ''}`}>
      <label className="field-label" htmlFor={props.htmlFor}>
        {props.label}
      </label>
      {props.children}
      {props.error ? <div className="field-error">{props.error}</div> : props.help ? <div className="field-help">{props.help}</div> : null}
    </div>
  );
}

function ParamField(props: { spec: ModelParamSpec; value: ParamInput; error?: string; onChange: (v: ParamInput) => void }): React.JSX.Element {
  const { spec, value, error, onChange } = props;
  const id = `param-${spec.key}`;
  const widget = paramWidget(spec);
  if (widget === 'boolean') {
    return (
      <div className="field wide">
        <label className="check">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-param={spec.key} />
          {spec.label}
        </label>
        {spec.help && <div className="field-help">{spec.help}</div>}
      </div>
    );
  }
  const range = spec.min !== undefined || spec.max !== undefined ? `${spec.min ?? '…'} – ${spec.max ?? '…'}` : undefined;
  return (
    <Field label={spec.label} htmlFor={id} help={spec.help ?? (widget === 'list' ? 'comma-separated' : widget === 'json' ? 'JSON' : range)} error={error} wide={widget === 'json' || widget === 'list'}>
      {widget === 'enum' ? (
        <select id={id} className="select" value={String(value)} onChange={(e) => onChange(e.target.value)} data-param={spec.key}>
          {spec.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : widget === 'json' ? (
        <textarea id={id} className="input input-plain mono textarea" rows={4} spellCheck={false} value={String(value)} onChange={(e) => onChange(e.target.value)} data-param={spec.key} />
      ) : (
        <input
          id={id}
          className="input input-plain"
          inputMode={spec.type === 'int' ? 'numeric' : spec.type === 'number' ? 'decimal' : 'text'}
          spellCheck={false}
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
          data-param={spec.key}
        />
      )}
    </Field>
  );
}

function FolderChecks(props: { folders: LibraryFolder[]; chosen: number[] | null; onToggle: (id: number, on: boolean) => void; error?: string }): React.JSX.Element {
  const { folders, chosen, onToggle, error } = props;
  if (folders.length === 0) return <p className="field-help">No library folder has features of this profile.</p>;
  return (
    <div className="folder-checks" data-testid="train-folders">
      {folders.map((f) => (
        <label key={f.id} className="check" title={f.path}>
          <input type="checkbox" checked={chosen === null || chosen.includes(f.id)} onChange={(e) => onToggle(f.id, e.target.checked)} data-folder-id={f.id} />
          <span className="check-text">{folderName(f.path)}</span>
          <span className="muted small">{plural(f.tracks, 'track')}</span>
        </label>
      ))}
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}

/** The training settings: features, folders, model and its parameters, evaluation, seed. */
export function TrainingForm(props: {
  model: TrainingModel;
  state: TrainingState;
  info: AppInfo;
  folders: LibraryFolder[];
}): React.JSX.Element {
  const { model, state, info, folders } = props;
  const [picking, setPicking] = useState(false);
  const form = state.form!;
  const errors = state.errors;
  const profiles = profileOptions(info, folders);
  const profile = profiles.find((p) => p.name === form.profile);
  const allColumns = profile?.columns ?? null;
  const modelInfo: ModelInfo | undefined = state.models.find((m) => m.name === form.model);
  const profileFolders = foldersForProfile(folders, form.profile);
  const busy = state.state === 'training';

  return (
    <fieldset className="train-fields" disabled={busy}>
      <section className="form-section">
        <h3 className="form-title">Features</h3>
        <Field label="Profile" htmlFor="train-profile" help={profile?.description}>
          <select id="train-profile" className="select" value={form.profile} onChange={(e) => model.setForm({ profile: e.target.value })} data-testid="train-profile">
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.folders ? ` (${plural(p.folders, 'folder')})` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Rows">
          <Segmented
            label="Rows"
            value={form.segments ? 'segments' : 'tracks'}
            options={[
              { value: 'tracks', label: 'Whole tracks' },
              { value: 'segments', label: '3-s segments', title: 'Train on 3-second segments; a track is predicted by averaging its segments' },
            ]}
            onChange={(v) => model.setForm({ segments: v === 'segments' })}
            testId="train-unit"
          />
        </Field>
        <Field label="Columns" error={errors.columns}>
          {allColumns ? (
            <>
              <div className="columns-summary">
                <span>{form.columns === null ? `All ${allColumns.length} columns` : `${form.columns.length} of ${allColumns.length} columns`}</span>
                <span className="grow" />
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setPicking(!picking)} aria-expanded={picking} data-testid="choose-columns">
                  {picking ? 'Done' : 'Choose…'}
                </button>
              </div>
              {picking && <TrainingColumns all={allColumns} chosen={form.columns} onToggle={(cols, on) => model.toggleColumns(cols, on)} />}
            </>
          ) : (
            <div className="field-help">All of the imported table's columns.</div>
          )}
        </Field>
      </section>

      <section className="form-section">
        <h3 className="form-title">Folders</h3>
        <FolderChecks folders={profileFolders} chosen={form.folderIds} onToggle={(id, on) => model.toggleFolder(id, on)} error={errors.folders} />
      </section>

      <section className="form-section">
        <h3 className="form-title">
          Model
          {modelInfo && modelInfo.params.length > 0 && (
            <button type="button" className="link-btn" onClick={() => model.resetParams()}>
              defaults
            </button>
          )}
        </h3>
        <Field label="Classifier" htmlFor="train-model" error={errors.model}>
          <select id="train-model" className="select" value={form.model} onChange={(e) => model.setForm({ model: e.target.value })} data-testid="train-model">
            {state.models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label}
              </option>
            ))}
          </select>
        </Field>
        {modelInfo && <p className="field-help model-desc">{modelInfo.description}</p>}
        {modelInfo?.requires && (
          <p className="note" data-testid="model-requires">
            {modelInfo.requires.note}
          </p>
        )}
        <div className="param-grid">
          {modelInfo?.params.filter((p) => paramApplies(p, modelInfo.params, form.params[modelInfo.name])).map((p) => (
            <ParamField
              key={`${modelInfo.name}.${p.key}`}
              spec={p}
              value={form.params[modelInfo.name]?.[p.key] ?? ''}
              error={errors[`param.${p.key}`]}
              onChange={(v) => model.setParam(p.key, v)}
            />
          ))}
        </div>
        {modelInfo && !usesTensors(modelInfo) && <p className="field-help">No epochs: progress is shown per fold.</p>}
      </section>

      <LossSection model={model.loss} modelName={form.model} profile={form.profile} folderIds={form.folderIds} />

      <section className="form-section">
        <h3 className="form-title">Evaluation</h3>
        <Segmented
          label="Evaluation"
          value={form.evaluation}
          options={[
            { value: 'cv', label: 'k-fold CV', title: 'Stratified k-fold cross-validation' },
            { value: 'holdout', label: 'Held-out split' },
          ]}
          onChange={(v) => model.setForm({ evaluation: v })}
          testId="train-evaluation"
        />
        <div className="param-grid">
          {form.evaluation === 'cv' ? (
            <Field label="Folds" htmlFor="train-folds" help="stratified, 2 – 100" error={errors.folds}>
              <input id="train-folds" className="input input-plain" inputMode="numeric" value={form.folds} onChange={(e) => model.setForm({ folds: e.target.value })} data-testid="train-folds" />
            </Field>
          ) : (
            <Field label="Held-out fraction" htmlFor="train-fraction" help="e.g. 0.2 = 20 % for testing" error={errors.testFraction}>
              <input id="train-fraction" className="input input-plain" inputMode="decimal" value={form.testFraction} onChange={(e) => model.setForm({ testFraction: e.target.value })} data-testid="train-fraction" />
            </Field>
          )}
          <Field label="Seed" htmlFor="train-seed" help="same seed, same splits and weights" error={errors.seed}>
            <input id="train-seed" className="input input-plain" inputMode="numeric" value={form.seed} onChange={(e) => model.setForm({ seed: e.target.value })} data-testid="train-seed" />
          </Field>
        </div>
        <p className="note" data-testid="split-note">
          Splits are by track: segments of one track never sit on both sides.
        </p>
        <label className="check">
          <input type="checkbox" checked={form.groupByFolder} onChange={(e) => model.setForm({ groupByFolder: e.target.checked })} data-testid="train-group-folder" />
          Group by folder (keep an album's or artist's tracks on one side)
        </label>
      </section>

      <section className="form-section">
        <Field label="Run name" htmlFor="train-name" help="optional; the model and profile by default">
          <input id="train-name" className="input input-plain" value={form.name} placeholder={`${modelInfo?.label ?? ''} · ${form.profile}`} onChange={(e) => model.setForm({ name: e.target.value })} />
        </Field>
      </section>
    </fieldset>
  );
}
