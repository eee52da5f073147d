import React, { useState } from 'react';
import type { AppInfo, LevelReport, RunDetail, RunExportKind } from '../../../shared/types';
import type { RendererClient } from '../client';
import { formatElapsed, formatInt } from '../lib/format';
import { labelColour, type Level, levelReport } from '../lib/confusion';
import { pct, runDate, score } from '../lib/runs';
import { IconDownload, IconFolder, IconWarning } from '../shell/icons';
import type { RunModel } from '../state/runs';
import { useStore } from '../state/store';
import { WaveformPanel } from './waveform/WaveformPanel';
import { ConfusionMatrix } from './ConfusionMatrix';
import { CellTracks, Misclassified } from './ConfusionTracks';
import { Segmented } from './RunsControls';
import { TrainingCurves } from './TrainingChart';
import { RunHierarchy } from './hierarchy/RunHierarchy';
import { WhyPanel } from './hierarchy/WhyPanel';
import { LossResults } from './training/LossResults';

const LEVEL_TEXT: Record<Level, string> = { segment: 'Segments', track: 'Tracks' };

interface FigureValue {
  value: string;
  /** What the value counts ("segments", "tracks"), when a figure shows both levels. */
  unit?: string;
  testId?: string;
}

function Figure(props: { label: string; values: FigureValue[]; sub?: string; strong?: boolean }): React.JSX.Element {
  return (
    <div className={`figure${props.strong ? ' strong' : ''}`}>
      <div className="figure-label">{props.label}</div>
      <div className="figure-values">
        {props.values.map((v) => (
          <div key={v.unit ?? v.value} className="figure-pair" data-testid={v.testId}>
            <span className="figure-value">{v.value}</span>
            {v.unit && <span className="figure-unit">{v.unit}</span>}
          </div>
        ))}
      </div>
      {props.sub && (
        <div className="figure-sub" title={props.sub}>
          {props.sub}
        </div>
      )}
    </div>
  );
}

/** Headline figures; a segment run shows each at both levels (segments, and tracks). */
function Figures({ run }: { run: RunDetail }): React.JSX.Element {
  const m = run.metrics;
  const t = m.unit === 'segment' ? m.trackLevel : null;
  const both = (x: string, y: string | null, ids: [string?, string?] = []): FigureValue[] =>
    y === null ? [{ value: x, testId: ids[0] }] : [{ value: x, unit: 'segments', testId: ids[0] }, { value: y, unit: 'tracks', testId: ids[1] }];
  const folds = m.foldAccuracy.length > 1 ? `per fold ${m.foldAccuracy.map((a) => Math.round(a * 100)).join(' · ')} %` : undefined;
  return (
    <div className="figures">
      <Figure label="Accuracy" values={both(pct(m.accuracy), t ? pct(t.accuracy) : null, ['run-accuracy', 'run-track-accuracy'])} sub={folds} strong />
      <Figure
        label="Macro-F1"
        values={both(score(m.macroF1), t ? score(t.macroF1) : null)}
        sub={`precision ${score(m.macroPrecision)} · recall ${score(m.macroRecall)}`}
      />
      <Figure
        label="Average precision"
        values={both(score(m.ap), t ? score(t.ap) : null, ['run-ap'])}
        sub={`coverage error ${m.coverageError !== undefined ? m.coverageError.toFixed(2) : '–'}${t?.coverageError !== undefined ? ` · ${t.coverageError.toFixed(2)} per track` : ''}`}
      />
      <Figure label="Evaluated" values={both(formatInt(m.n), t ? formatInt(t.n) : null)} sub={`${t ? '' : 'tracks · '}${m.labels.length} labels`} />
      <Figure label="Time" values={[{ value: formatElapsed(m.seconds) }]} sub={`backend ${m.backend}`} />
    </div>
  );
}

function PerClassTable({ report, labels, unit }: { report: LevelReport; labels: readonly string[]; unit: string }): React.JSX.Element {
  return (
    <table className="data-table per-class" data-testid="per-class">
      <thead>
        <tr>
          <th>Label</th>
          <th className="num" title="Precision">
            <span className="th-long">Precision</span>
            <span className="th-short">Prec.</span>
          </th>
          <th className="num">Recall</th>
          <th className="num f1-col">F1</th>
          <th className="num" title="Support: how many there are of this label">
            <span className="th-long">Support</span>
            <span className="th-short">n</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {report.perClass.map((c) => (
          <tr key={c.label} data-label={c.label}>
            <td>
              <span className="label-dot" style={{ background: labelColour(labels, c.label) }} />
              {c.label}
            </td>
            <td className="num">{score(c.precision)}</td>
            <td className="num">{score(c.recall)}</td>
            <td className="num f1-col">
              <div className="f1-cell">
                <span className="f1-track" aria-hidden="true">
                  <span className="f1-bar" style={{ width: `${Math.max(0, Math.min(1, c.f1)) * 100}%` }} />
                </span>
                <span className="f1-text">{score(c.f1)}</span>
              </div>
            </td>
            <td className="num">{formatInt(c.support)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td>Macro average</td>
          <td className="num">{score(report.macroPrecision)}</td>
          <td className="num">{score(report.macroRecall)}</td>
          <td className="num f1-col">{score(report.macroF1)}</td>
          <td className="num" title={unit}>
            {formatInt(report.n)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

const EXPORTS: Array<{ kind: RunExportKind; label: string; title: string; testId: string }> = [
  { kind: 'confusion.png', label: 'PNG', title: 'The confusion matrix as a PNG image (as shown: level and colouring)', testId: 'export-png' },
  { kind: 'confusion.svg', label: 'SVG', title: 'The confusion matrix as an SVG drawing (as shown)', testId: 'export-svg' },
  { kind: 'confusion.csv', label: 'CSV', title: 'The confusion matrix counts as CSV', testId: 'export-confusion-csv' },
  { kind: 'confusion.json', label: 'JSON', title: 'The confusion matrix, counts and row shares, as JSON', testId: 'export-confusion-json' },
];

function Exports({ model, run, info }: { model: RunModel; run: RunDetail; info: AppInfo }): React.JSX.Element {
  const s = useStore(model);
  const [saving, setSaving] = useState(false);
  const busy = s.exporting !== null;
  return (
    <div className="exports">
      <div className="btn-group" role="group" aria-label="Export the confusion matrix">
        <span className="btn-group-label">
          <IconDownload size={14} /> Matrix
        </span>
        {EXPORTS.map((e) => (
          <button
            key={e.kind}
            className="btn btn-small"
            disabled={busy}
            title={e.title}
            onClick={() => void model.export(e.kind)}
            data-testid={e.testId}
          >
            {s.exporting === e.kind ? '…' : e.label}
          </button>
        ))}
      </div>
      <button className="btn btn-small" disabled={busy} onClick={() => void model.export('predictions.csv')} data-testid="export-predictions" title="One row per track: true label, prediction, confidence and every class probability">
        <IconDownload size={14} /> Predictions CSV
      </button>
      <button className="btn btn-small" disabled={busy} onClick={() => void model.export('metrics.json')} data-testid="export-metrics" title="Accuracy, macro-F1, per-class figures and confusion matrices as JSON">
        <IconDownload size={14} /> Metrics JSON
      </button>
      {run.hasModel &&
        (info.canPickFolder ? (
          <button className="btn btn-small" disabled={busy} onClick={() => void model.saveModel(true)} data-testid="save-model" title="Copy the trained model (tfjs format, scaler, labels) into a folder">
            <IconFolder size={14} /> {s.exporting === 'model' ? 'Saving…' : 'Save model…'}
          </button>
        ) : (
          <button className={`btn btn-small${saving ? ' active' : ''}`} onClick={() => setSaving(!saving)} data-testid="save-model" title="Copy the trained model (tfjs format, scaler, labels) into a folder on the machine Genrelab runs on">
            <IconFolder size={14} /> Save model…
          </button>
        ))}
      {saving && !info.canPickFolder && (
        <form
          className="save-model"
          onSubmit={(e) => {
            e.preventDefault();
            void model.saveModel(false);
          }}
        >
          <input
            className="input input-plain mono"
            placeholder="/folder/on/the/server/for/the/model"
            aria-label="Folder to save the model into (on the machine Genrelab runs on)"
            value={s.saveDir}
            onChange={(e) => model.setSaveDir(e.target.value)}
            data-testid="save-model-dir"
            autoFocus
          />
          <button className="btn btn-small btn-primary" type="submit" disabled={busy || !s.saveDir.trim()}>
            {s.exporting === 'model' ? 'Saving…' : 'Save'}
          </button>
        </form>
      )}
    </div>
  );
}

/**
 * One run: figures, the confusion matrix with its tracks, the misclassified tracks, curves,
 * exports, and the waveform of the opened track with its wrong segments as regions.
 */
export function RunsDetail(props: {
  model: RunModel;
  client: RendererClient;
  info: AppInfo;
  /** Shown at the left of the header (e.g. a back button). */
  lead?: React.ReactNode;
}): React.JSX.Element {
  const { model, client, info, lead } = props;
  const s = useStore(model);
  if (s.runId === null) return <div className="run-panel run-empty muted">No run open.</div>;
  if (s.error) {
    return (
      <div className="run-panel run-empty" role="alert">
        <IconWarning size={18} /> Run #{s.runId} could not be loaded: {s.error}
      </div>
    );
  }
  if (!s.run || !s.preds || s.loading) {
    return (
      <div className="run-panel run-empty muted" data-run-state="loading">
        <span className="spinner spinner-small" aria-hidden="true" /> Loading run #{s.runId}…
      </div>
    );
  }
  const run = s.run;
  const m = run.metrics;
  const matrix = model.matrix()!;
  const report = levelReport(m, s.level);
  const open = model.openTrackInfo();
  const cell = s.cell;
  return (
    <div className="run-panel" data-run-id={run.id} data-run-state="ready">
      <div className="run-scroll">
        <header className="run-head">
          {lead}
          <div className="run-title">
            <h2>{run.name}</h2>
            <div className="run-sub muted">
              #{run.id} · {run.modelLabel} · {run.evaluation} · profile {run.profile}
              {run.segments ? ' · 3-s segments' : ' · whole tracks'} · {runDate(run.createdAt)}
            </div>
            {run.description && <div className="run-desc small muted">{run.description}</div>}
          </div>
          <Exports model={model} run={run} info={info} />
        </header>
        {m.warnings.length > 0 && (
          <ul className="run-warnings">
            {m.warnings.map((w) => (
              <li key={w}>
                <IconWarning size={14} /> {w}
              </li>
            ))}
          </ul>
        )}
        <Figures run={run} />
        <LossResults run={run} />
        <div className="run-grid">
          <section className="card" aria-label="Confusion matrix">
            <div className="card-head">
              <h3>Confusion matrix</h3>
              <span className="grow" />
              {matrix.levels.length > 1 && (
                <Segmented
                  label="Level"
                  value={s.level}
                  options={matrix.levels.map((l) => ({ value: l, label: LEVEL_TEXT[l], title: l === 'segment' ? 'One count per 3-second segment' : 'One count per track (segment probabilities averaged)' }))}
                  onChange={(l) => model.setLevel(l)}
                  testId="level-toggle"
                />
              )}
              <Segmented
                label="Colouring"
                value={s.normalise ? 'row' : 'count'}
                options={[
                  { value: 'count', label: 'Counts' },
                  { value: 'row', label: 'Row %', title: 'Normalise each row: the share of the true label predicted as each label' },
                ]}
                onChange={(v) => model.setNormalise(v === 'row')}
                testId="normalise-toggle"
              />
            </div>
            <ConfusionMatrix info={matrix} normalise={s.normalise} selected={cell} onSelect={(t, p) => model.selectCell(t, p)} />
          </section>
          <section className="card" aria-label="Per-class figures">
            <div className="card-head">
              <h3>Per class</h3>
              <span className="muted small">{matrix.unit === 'segments' ? 'per segment' : 'per track'}</span>
            </div>
            <PerClassTable report={report} labels={m.labels} unit={matrix.unit} />
          </section>
        </div>
        <div className="run-lists">
          {cell && (
            <CellTracks
              tracks={model.cellTracks()}
              labels={m.labels}
              trueLabel={m.labels[cell.t]!}
              predLabel={m.labels[cell.p]!}
              segmentLevel={matrix.unit === 'segments'}
              openIndex={s.track}
              onOpen={(i) => model.openTrack(i)}
              onClose={() => model.selectCell(cell.t, cell.p)}
            />
          )}
          <Misclassified
            rows={model.misclassified()}
            labels={m.labels}
            total={s.preds.length}
            sort={s.misSort}
            onSort={(k) => model.sortMisclassified(k)}
            segmentRun={m.unit === 'segment'}
            openIndex={s.track}
            onOpen={(i) => model.openTrack(i)}
          />
        </div>
        <RunHierarchy run={run} />
        <WhyPanel run={run} selected={open?.pred ?? null} client={client} />
        {run.curves.length > 0 && (
          <section className="card" aria-label="Training curves">
            <div className="card-head">
              <h3>Training curves</h3>
            </div>
            <TrainingCurves points={run.curves} live={false} />
          </section>
        )}
      </div>
      {open && (
        <WaveformPanel
          track={open.row}
          client={client}
          regions={open.playerRegions}
          startAt={open.startAt}
        >
          <div className="wave-legend" data-testid="wave-legend">
            <span className="muted small">
              True <b>{open.pred.label}</b>, predicted <b>{open.pred.predicted}</b> ({pct(open.pred.confidence)})
              {open.pred.segments ? ` · ${open.regions.length ? 'wrong segments highlighted, playing from the first' : 'no segment wrong'}` : ''}
            </span>
            <span className="grow" />
            {open.legend.map((l) => (
              <span key={l.label} className="legend-key">
                <span className="legend-swatch" style={{ background: l.colour }} />
                predicted {l.label}
              </span>
            ))}
            <button className="btn btn-ghost btn-small" onClick={() => model.openTrack(null)}>
              Close
            </button>
          </div>
        </WaveformPanel>
      )}
    </div>
  );
}
