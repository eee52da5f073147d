import React, { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/types';
import { formatElapsed, formatInt } from '../lib/format';
import { pct, runDate, score } from '../lib/runs';
import { IconBack, IconRuns, IconTrash } from '../shell/icons';
import type { Models } from '../shell/views';
import type { RunsModel } from '../state/runs';
import { useStore } from '../state/store';
import { RunsCompare } from './RunsCompare';
import { RunsDetail } from './RunsDetail';

function RunRow(props: { r: RunSummary; ticked: boolean; model: RunsModel }): React.JSX.Element {
  const { r, ticked, model } = props;
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (!confirming) return;
    const t = setTimeout(() => setConfirming(false), 4000);
    return () => clearTimeout(t);
  }, [confirming]);
  return (
    <tr className={ticked ? 'ticked' : undefined} data-run-id={r.id} data-model={r.model} onDoubleClick={() => model.openRun(r.id)}>
      <td className="tick">
        <input type="checkbox" checked={ticked} onChange={() => model.toggleCompare(r.id)} aria-label={`Compare run ${r.id}`} data-testid="compare-tick" />
      </td>
      <td className="run-name-cell">
        <button className="link-btn run-link" onClick={() => model.openRun(r.id)} title={`Open run #${r.id}: ${r.name}`}>
          {r.name}
        </button>
        <div className="muted small nowrap">
          #{r.id} · {runDate(r.createdAt)}
        </div>
      </td>
      <td>
        <div className="nowrap">{r.modelLabel}</div>
        <div className="muted small nowrap">
          <span className="mono">{r.profile}</span> · {r.segments ? '3-s segments' : 'whole tracks'}
        </div>
      </td>
      <td className="eval-cell">{r.evaluation}</td>
      <td className="num strong">{pct(r.accuracy)}</td>
      <td className="num">{score(r.macroF1)}</td>
      <td className="num">{pct(r.trackAccuracy)}</td>
      <td className="num" data-testid="run-ap-cell">{score(r.ap)}</td>
      <td className="num">{r.coverageError === null || r.coverageError === undefined ? '–' : r.coverageError.toFixed(2)}</td>
      <td className="num">{formatInt(r.n)}</td>
      <td>{r.backend}</td>
      <td className="num nowrap">{formatElapsed(r.seconds)}</td>
      <td className="actions nowrap">
        <button className="btn btn-small" onClick={() => model.openRun(r.id)} data-testid="open-run">
          Open
        </button>
        {confirming ? (
          <button className="btn btn-small btn-danger" onClick={() => void model.deleteRun(r.id)} data-testid="confirm-delete">
            Delete?
          </button>
        ) : (
          <button className="icon-btn" title="Delete this run" onClick={() => setConfirming(true)} data-testid="delete-run">
            <IconTrash size={15} />
          </button>
        )}
      </td>
    </tr>
  );
}

export function RunsView({ models }: { models: Models }): React.JSX.Element {
  const model = models.runs;
  const s = useStore(model);
  const info = useStore(models.app).info!;

  if (s.page === 'run') {
    return (
      <div className="runs runs-page">
        <RunsDetail
          model={model.detail}
          client={models.app.client}
          info={info}
          lead={
            <button className="btn btn-ghost btn-small back-btn" onClick={() => model.back()} data-testid="runs-back">
              <IconBack size={14} /> Runs
            </button>
          }
        />
      </div>
    );
  }

  return (
    <div className="runs" data-runs-count={s.runs.length} data-runs-loaded={s.loaded}>
      <div className="runs-scroll">
        <div className="runs-toolbar">
          <h2>Runs</h2>
          <span className="muted">{s.loaded ? `${s.runs.length} stored` : 'Loading…'}</span>
          <span className="grow" />
          <span className="muted small">{s.compare.length === 2 ? 'Two runs ticked' : 'Tick two runs to compare them'}</span>
          <button className="btn btn-primary btn-small" disabled={s.compare.length !== 2 || s.comparing} onClick={() => void model.compare()} data-testid="compare-runs">
            {s.comparing ? 'Comparing…' : 'Compare'}
          </button>
        </div>
        {s.loaded && s.runs.length === 0 ? (
          <div className="runs-empty">
            <IconRuns size={28} />
            <h3>No runs yet</h3>
            <p className="muted">Every training you start in the Training view is stored here, with its metrics, predictions and model.</p>
          </div>
        ) : (
          <div className="table-card">
            <table className="data-table runs-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th className="tick" aria-label="Compare" />
                  <th>Run</th>
                  <th>Model · features</th>
                  <th>Evaluation</th>
                  <th className="num">Accuracy</th>
                  <th className="num">Macro-F1</th>
                  <th className="num">Track acc.</th>
                  <th className="num" title="Macro average precision (area under precision–recall, one-vs-rest)">AP</th>
                  <th className="num" title="Coverage error: mean rank of the true genre in the predicted ranking (1 is best)">Cov.</th>
                  <th className="num">n</th>
                  <th>Backend</th>
                  <th className="num">Time</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {s.runs.map((r) => (
                  <RunRow key={r.id} r={r} ticked={s.compare.includes(r.id)} model={model} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {s.comparison && <RunsCompare a={s.comparison.a} b={s.comparison.b} result={s.comparison.result} onClose={() => model.closeComparison()} />}
      </div>
    </div>
  );
}
