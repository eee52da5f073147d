import React, { useEffect, useMemo } from 'react';
import type { ProbeDetail, ProbeVersion } from '../../../../shared/probes';
import { formatElapsed, formatInt, plural } from '../../lib/format';
import { useStartShortcut } from '../../lib/keys';
import { runDate } from '../../lib/runs';
import { IconDownload, IconWarning } from '../../shell/icons';
import { ConfirmDelete, JobProgressPanel } from '../../shell/JobProgress';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { Segmented } from '../RunsControls';
import { probesModelFor, type ProbesModel, type ProbesState } from './model';
import { METRIC_LABELS, PROBE_METRICS, canProbe, factorText, nnBars, probeRows, type ProbeScope } from './probeTable';
import './probes.css';
import { Field, folderName } from './ui';

function ProbeForm({ model, state }: { model: ProbesModel; state: ProbesState }): React.JSX.Element {
  const f = state.form;
  const probeable = state.runs.filter(canProbe);
  const folders = model.folders.filter((x) => !x.profile.startsWith('table:'));
  return (
    <fieldset className="train-fields" disabled={state.state === 'running'}>
      <section className="form-section">
        <h3 className="form-title">Model</h3>
        <Field label="Run" id="probe-run" help={probeable.length ? 'A run that kept its dense network or CNN: the embedding is its last hidden layer' : 'No run with a saved dense network or CNN yet: train one in the Training view'}>
          <select id="probe-run" className="select" value={f.runId ?? ''} onChange={(e) => model.setForm({ runId: e.target.value ? Number(e.target.value) : null })} data-testid="probe-run">
            {probeable.length === 0 && <option value="">—</option>}
            {state.runs.map((r) => (
              <option key={r.id} value={r.id} disabled={!canProbe(r)}>
                #{r.id} {r.name}
                {canProbe(r) ? '' : r.hasModel ? ' (no embedding)' : ' (no saved model)'}
              </option>
            ))}
          </select>
        </Field>
      </section>
      <section className="form-section">
        <h3 className="form-title">Clips</h3>
        <Segmented
          label="Clips"
          value={f.source}
          options={[
            { value: 'run', label: 'Run’s folders', title: 'The library folders the run trained on' },
            { value: 'folder', label: 'Library folder', title: 'Another folder of the library' },
            { value: 'path', label: 'Folder path', title: 'Any folder of audio on the machine Genrelab runs on' },
          ]}
          onChange={(v) => model.setForm({ source: v })}
          testId="probe-source"
        />
        {f.source === 'folder' && (
          <Field label="Library folder" id="probe-folder">
            <select id="probe-folder" className="select" value={f.folderId ?? ''} onChange={(e) => model.setForm({ folderId: e.target.value ? Number(e.target.value) : null })} data-testid="probe-folder">
              <option value="">—</option>
              {folders.map((x) => (
                <option key={x.id} value={x.id}>
                  {folderName(x.path)} ({plural(x.tracks, 'track')})
                </option>
              ))}
            </select>
          </Field>
        )}
        {f.source === 'path' && (
          <Field label="Folder of audio" id="probe-path">
            <input id="probe-path" className="input input-plain mono" value={f.path} placeholder="/music/unseen" onChange={(e) => model.setForm({ path: e.target.value })} spellCheck={false} data-testid="probe-path" />
          </Field>
        )}
        <div className="param-grid">
          <Field label="At most (clips)" id="probe-max" help="empty: all">
            <input id="probe-max" className="input input-plain" inputMode="numeric" value={f.maxClips} placeholder="all" onChange={(e) => model.setForm({ maxClips: e.target.value })} data-testid="probe-max-clips" />
          </Field>
          <Field label="Seed" id="probe-seed" help="sample and held-out split">
            <input id="probe-seed" className="input input-plain" inputMode="numeric" value={f.seed} onChange={(e) => model.setForm({ seed: e.target.value })} data-testid="probe-seed" />
          </Field>
        </div>
        <p className="field-help">
          Each clip (its middle 30 s at most) is pitch-shifted +50 % (same tempo) and tempo-shifted +50 % (same pitch) by a phase vocoder;
          the model embeds all three; X₊ ≈ AX + b is fitted under five constraints.
        </p>
      </section>
    </fieldset>
  );
}

function ProbeList({ model, state }: { model: ProbesModel; state: ProbesState }): React.JSX.Element {
  if (state.listLoaded && state.list.length === 0) return <p className="muted small map-list-empty">No stored probes yet.</p>;
  return (
    <ul className="map-list" data-testid="probe-list" data-probes-count={state.list.length}>
      {state.list.map((p) => (
        <li key={p.id} className={`map-item${state.probe?.id === p.id ? ' active' : ''}`}>
          <button type="button" className="map-item-main" onClick={() => void model.open(p.id)} disabled={state.opening !== null} title={`${p.name}\n${p.source}`} data-testid="open-probe">
            <span className="map-item-name">{p.name}</span>
            <span className="map-item-meta muted small">
              NN-acc (affine) pitch {(p.headline.pitch * 100).toFixed(0)} %, tempo {(p.headline.tempo * 100).toFixed(0)} % · {runDate(p.createdAt)}
            </span>
          </button>
          <ConfirmDelete
            confirming={state.confirmDelete === p.id}
            onAsk={(ask) => model.askDelete(ask ? p.id : null)}
            onDelete={() => void model.remove(p.id)}
            what="this probe"
            name={p.name}
            testId="delete-probe"
            confirmTestId="confirm-delete-probe"
          />
        </li>
      ))}
    </ul>
  );
}

function Progress({ model, state }: { model: ProbesModel; state: ProbesState }): React.JSX.Element {
  return (
    <JobProgressPanel
      progress={model.progress()}
      title="Probe"
      cancelling={state.cancelling}
      canCancel={!!state.jobId}
      onCancel={() => void model.cancel()}
      className="probe-progress"
      testId="probe-progress"
      cancelTestId="probe-cancel"
    />
  );
}

/** The study's Table 2: rows = transforms; columns = pitch and tempo MSE, R², NN accuracy. */
function ProbeTableView({ probe, scope }: { probe: ProbeDetail; scope: ProbeScope }): React.JSX.Element {
  const rows = probeRows(probe, scope);
  return (
    <table className="probe-table" data-testid="probe-table" data-scope={scope}>
      <thead>
        <tr>
          <th rowSpan={2} className="probe-th-transform">
            Transform X₊ ≈ AX + b
          </th>
          <th colSpan={3} className="probe-th-group">
            Pitch {factorText(probe.pitch)}
          </th>
          <th colSpan={3} className="probe-th-group">
            Tempo {factorText(probe.tempo)}
          </th>
        </tr>
        <tr>
          {['pitch', 'tempo'].flatMap((side) =>
            PROBE_METRICS.map((m) => (
              <th key={`${side}-${m}`} className="num" title={m === 'nnAccuracy' ? 'How often the transformed original’s nearest shifted embedding is its own shifted version' : m === 'r2' ? '1 − SS_res / SS_tot, pooled over the embedding’s dimensions' : 'Mean squared error per dimension'}>
                {METRIC_LABELS[m]}
              </th>
            )),
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.kind} data-kind={r.kind} className={r.kind === 'identity' ? 'probe-baseline' : undefined}>
            <td>
              <span className="probe-transform">{r.label}</span>
              {r.note && <span className="muted small probe-note">{r.note}</span>}
            </td>
            {(['pitch', 'tempo'] as const).flatMap((side) =>
              PROBE_METRICS.map((m) => {
                const c = r[side][m];
                return (
                  <td key={`${side}-${m}`} className={`num${c.best ? ' probe-best' : ''}`} data-metric={`${side}-${m}`} data-value={c.value ?? ''}>
                    {c.text}
                  </td>
                );
              }),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Nearest-neighbour accuracy per transform, pitch and tempo side by side. */
function NnChart({ probe, scope }: { probe: ProbeDetail; scope: ProbeScope }): React.JSX.Element {
  const bars = nnBars(probe, scope);
  const W = 560;
  const H = 210;
  const left = 40;
  const bottom = 46;
  const top = 12;
  const plotH = H - bottom - top;
  const band = (W - left - 8) / bars.length;
  const bw = Math.min(26, band / 3);
  const y = (v: number) => top + plotH * (1 - v);
  const short: Record<string, string> = { identity: 'none', translation: 'transl.', uniform: 'uniform', diagonal: 'non-unif.', orthogonal: 'Procrustes', affine: 'affine' };
  return (
    <svg className="probe-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Nearest-neighbour accuracy per transform" data-testid="probe-chart">
      {[0, 0.25, 0.5, 0.75, 1].map((v) => (
        <g key={v}>
          <line x1={left} x2={W - 4} y1={y(v)} y2={y(v)} className="probe-grid" />
          <text x={left - 6} y={y(v) + 4} className="probe-axis" textAnchor="end">
            {Math.round(v * 100)}%
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const cx = left + band * (i + 0.5);
        return (
          <g key={b.kind} data-kind={b.kind}>
            {b.pitch !== null && (
              <rect x={cx - bw - 1} y={y(b.pitch)} width={bw} height={Math.max(0.5, y(0) - y(b.pitch))} className="probe-bar-pitch" data-bar="pitch" data-value={b.pitch}>
                <title>{`${b.label}, pitch: ${(b.pitch * 100).toFixed(1)} %`}</title>
              </rect>
            )}
            {b.tempo !== null && (
              <rect x={cx + 1} y={y(b.tempo)} width={bw} height={Math.max(0.5, y(0) - y(b.tempo))} className="probe-bar-tempo" data-bar="tempo" data-value={b.tempo}>
                <title>{`${b.label}, tempo: ${(b.tempo * 100).toFixed(1)} %`}</title>
              </rect>
            )}
            <text x={cx} y={H - bottom + 16} className="probe-axis" textAnchor="middle">
              {short[b.kind] ?? b.kind}
            </text>
          </g>
        );
      })}
      <g transform={`translate(${left}, ${H - 12})`}>
        <rect width="10" height="10" y="-9" className="probe-bar-pitch" />
        <text x="14" className="probe-axis">
          pitch {factorText(probe.pitch)}
        </text>
        <rect x="110" width="10" height="10" y="-9" className="probe-bar-tempo" />
        <text x="124" className="probe-axis">
          tempo {factorText(probe.tempo)}
        </text>
      </g>
    </svg>
  );
}

const VERSION_TEXT: Record<ProbeVersion, string> = { original: 'A · original', pitch: 'B · pitch', tempo: 'C · tempo' };

function ClipList({ model, state }: { model: ProbesModel; state: ProbesState }): React.JSX.Element | null {
  const p = state.probe;
  if (!p) return null;
  const l = state.listening;
  const SHOW = 300;
  return (
    <section className="card probe-card" data-testid="probe-clips">
      <div className="card-head">
        <h3>Listen</h3>
        <span className="muted small">the first 10 s of each version · {plural(p.clipList.length, 'clip')}</span>
      </div>
      {l && (
        <div className="probe-player" data-testid="probe-player" data-audio-state={l.state} data-version={l.version} data-clip={l.clip}>
          <span className="mono small probe-player-name">
            {p.clipList[l.clip]?.name} — {VERSION_TEXT[l.version]}
          </span>
          {l.state === 'error' ? (
            <span className="tone-warn small">{l.message}</span>
          ) : l.url ? (
            <audio
              key={l.url}
              src={l.url}
              controls
              autoPlay
              onPlaying={() => model.setAudioState('playing')}
              onPause={() => model.setAudioState('ready')}
              onEnded={() => model.setAudioState('ready')}
              onError={() => model.setAudioState('error')}
              data-testid="probe-audio"
            />
          ) : (
            <span className="muted small">rendering…</span>
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => model.stopListening()}>
            Stop
          </button>
        </div>
      )}
      <ul className="probe-clip-list">
        {p.clipList.slice(0, SHOW).map((c, i) => (
          <li key={i} className={l?.clip === i ? 'active' : undefined} data-clip={i}>
            <span className="mono small probe-clip-name" title={c.path}>
              {c.name}
            </span>
            {c.label && <span className="chip chip-label static">{c.label}</span>}
            <span className="grow" />
            <span className="btn-group">
              {(['original', 'pitch', 'tempo'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  className={`btn btn-small${l?.clip === i && l.version === v ? ' btn-primary' : ''}`}
                  onClick={() => void model.listen(i, v)}
                  title={v === 'original' ? 'The clip as it is' : v === 'pitch' ? `Pitch ${factorText(p.pitch)}, same tempo` : `Tempo ${factorText(p.tempo)}, same pitch`}
                  data-testid={`listen-${v}`}
                >
                  {VERSION_TEXT[v]}
                </button>
              ))}
            </span>
          </li>
        ))}
        {p.clipList.length > SHOW && <li className="muted small">and {formatInt(p.clipList.length - SHOW)} more</li>}
      </ul>
    </section>
  );
}

function ProbeResult({ model, state }: { model: ProbesModel; state: ProbesState }): React.JSX.Element | null {
  const p = state.probe;
  if (!p) return null;
  const held = p.pitchTable.test.length > 0;
  return (
    <div className="probe-result" data-testid="probe-result" data-probe-id={p.id}>
      <div className="probe-facts muted small" data-testid="probe-facts">
        {p.model} · {p.layer} · {plural(p.clips, 'clip')} ({p.profile}
        {p.segments ? ', mean over 3-s segments' : ''}) · {p.dims} dimensions · {formatElapsed(p.seconds)}
        <br />
        clips: {p.source}
      </div>
      <div className="probe-toolbar">
        <Segmented
          label="Evaluation"
          value={state.scope}
          options={[
            { value: 'heldOut', label: held ? `Held-out (${p.pitchTable.train.length} fit / ${p.pitchTable.test.length} scored)` : 'Held-out (too few clips)', title: 'Fit on a seeded half of the clips, scored on the other half' },
            { value: 'inSample', label: 'In-sample', title: 'Fit and scored on every clip' },
          ]}
          onChange={(v) => (v === 'heldOut' && !held ? undefined : model.setScope(v))}
          testId="probe-scope"
        />
        <span className="grow" />
        <button type="button" className="btn btn-small" onClick={() => model.exportCsv()} data-testid="probe-export-csv">
          <IconDownload size={14} /> CSV
        </button>
      </div>
      <ProbeTableView probe={p} scope={state.scope} />
      <p className="muted small probe-explain">
        NN-acc: how often the transformed original’s nearest shifted embedding is its own shifted version (chance: 1 in {state.scope === 'heldOut' && held ? p.pitchTable.test.length : p.clips}). The first row fits nothing.
        Best fitted value per column in bold.
      </p>
      <NnChart probe={p} scope={state.scope} />
      {(p.warnings.length > 0 || p.failed.length > 0) && (
        <ul className="probe-warnings small" data-testid="probe-warnings">
          {p.warnings.map((w) => (
            <li key={w}>
              <IconWarning size={12} /> {w}
            </li>
          ))}
          {p.failed.slice(0, 20).map((f) => (
            <li key={f.path} className="tone-warn">
              {folderName(f.path)}: {f.reason}
            </li>
          ))}
        </ul>
      )}
      <ClipList model={model} state={state} />
    </div>
  );
}

/** The Probes view: pitch and tempo transforms between a model's embeddings (the study's Table 2). */
export function ProbesView({ models }: { models: Models }): React.JSX.Element {
  const model = useMemo(() => probesModelFor(models.app, models.library), [models.app, models.library]);
  const s = useStore(model);
  useStartShortcut(() => void model.run());
  useStore(models.library);
  useStore(models.app);
  useEffect(() => () => model.stopListening(), [model]);
  return (
    <div className="probesview" data-probe-state={s.state}>
      <aside className="map-side" aria-label="Probe settings">
        <form
          className="train-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.run();
          }}
        >
          <div className="train-side-scroll">
            <section className="form-section">
              <h3 className="form-title">Stored probes</h3>
              <ProbeList model={model} state={s} />
            </section>
            <ProbeForm model={model} state={s} />
          </div>
          <div className="train-actions">
            {s.errors.length > 0 && (
              <div className="form-errors" role="alert">
                {s.errors.map((e) => (
                  <div key={e}>{e}</div>
                ))}
              </div>
            )}
            <button className="btn btn-primary btn-train" type="submit" disabled={s.state === 'running'} data-testid="probe-run-button">
              Run probe
            </button>
          </div>
        </form>
      </aside>
      <section className="probe-main" aria-label="Probe">
        <div className="map-toolbar">
          <div className="map-title">
            <h2 title={s.probe?.source}>{s.probe ? s.probe.name : s.state === 'running' ? 'Probing…' : 'Latent probes'}</h2>
          </div>
        </div>
        {s.state === 'running' && <Progress model={model} state={s} />}
        {s.message && (
          <div className={`probe-message ${s.state === 'error' ? 'tone-error' : 'tone-warn'}`} role={s.state === 'error' ? 'alert' : 'status'} data-testid="probe-message">
            {s.message}
          </div>
        )}
        {s.probe ? (
          <ProbeResult model={model} state={s} />
        ) : (
          s.state !== 'running' && (
            <div className="probe-intro muted">
              <p>
                How does a model’s latent space move when the music is played higher or faster? Choose a run with a saved dense network
                (or CNN) and the clips on the left, and press <b>Run probe</b>. Every clip gets a pitch-shifted and a tempo-shifted version;
                the model embeds all three, and the table shows how well a translation, a uniform or per-dimension scaling, a scaled
                rotation or a full affine map carries the originals onto the shifted versions — in-sample, and on held-out clips.
              </p>
            </div>
          )
        )}
      </section>
    </div>
  );
}
