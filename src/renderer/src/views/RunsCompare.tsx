import React from 'react';
import type { RunDetail } from '../../../shared/types';
import { type Comparison, deltaTone, formatDelta, formatFigure, score } from '../lib/runs';

function RunHead({ run, tag }: { run: RunDetail; tag: string }): React.JSX.Element {
  return (
    <th className="num compare-run">
      <span className="compare-tag">{tag}</span> #{run.id}
      <div className="compare-run-name" title={run.name}>
        {run.name}
      </div>
      <div className="muted small">{run.evaluation}</div>
    </th>
  );
}

/** Two runs side by side: their figures, then per-class F1 with the differences (B − A). */
export function RunsCompare(props: { a: RunDetail; b: RunDetail; result: Comparison; onClose: () => void }): React.JSX.Element {
  const { a, b, result, onClose } = props;
  return (
    <section className="card compare" aria-label="Run comparison" data-testid="compare">
      <div className="card-head">
        <h3>
          Comparing run #{a.id} and run #{b.id}
        </h3>
        <span className="muted small">differences are B − A</span>
        <span className="grow" />
        <button className="btn btn-ghost btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="compare-tables">
        <table className="data-table compare-table" data-testid="compare-metrics">
          <thead>
            <tr>
              <th>Figure</th>
              <RunHead run={a} tag="A" />
              <RunHead run={b} tag="B" />
              <th className="num">Δ</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.key} data-figure={r.key}>
                <td>{r.label}</td>
                <td className="num">{formatFigure(r.a, r.format)}</td>
                <td className="num">{formatFigure(r.b, r.format)}</td>
                <td className={`num delta delta-${deltaTone(r.delta, r.higherIsBetter)}`}>{formatDelta(r.delta, r.format)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table compare-table" data-testid="compare-classes">
          <thead>
            <tr>
              <th>F1 per class (per track)</th>
              <th className="num">A</th>
              <th className="num">B</th>
              <th className="num">Δ</th>
            </tr>
          </thead>
          <tbody>
            {result.classes.map((c) => (
              <tr key={c.label} data-label={c.label}>
                <td>{c.label}</td>
                <td className="num">{score(c.a)}</td>
                <td className="num">{score(c.b)}</td>
                <td className={`num delta delta-${deltaTone(c.delta, true)}`}>
                  <span className="delta-bar-wrap" aria-hidden="true">
                    <span
                      className={`delta-bar ${c.delta !== null && c.delta < 0 ? 'neg' : 'pos'}`}
                      style={{ width: `${Math.min(50, Math.abs(c.delta ?? 0) * 50)}%` }}
                    />
                  </span>
                  {formatDelta(c.delta, 'score')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
