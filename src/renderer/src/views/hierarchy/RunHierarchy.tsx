import React from 'react';
import type { RunDetail } from '../../../../shared/types';
import { pct, score } from '../../lib/runs';

/**
 * What a hierarchical or graph run adds to its panel: per-tier accuracy and tier clusters (StackNet,
 * tier GRU), vanilla vs hierarchical vs with-hint and the super-genres (per-node), the features the
 * L1 selection kept (GraphSAGE). Nothing for the other models.
 */
export function RunHierarchy({ run }: { run: RunDetail }): React.JSX.Element | null {
  const h = run.metrics.hierarchy;
  if (!h || (!h.tiers && !h.perNode && !h.keptFeatures)) return null;
  return (
    <section className="card run-hierarchy" aria-label="Hierarchy" data-testid="run-hierarchy">
      {h.tiers && (
        <>
          <div className="card-head">
            <h3>Per-tier accuracy</h3>
            <span className="muted small">out of fold · tier T_k = the genre tree cut into k clusters · the last tier is the genres</span>
          </div>
          <table className="data-table tier-table" data-testid="run-tiers">
            <thead>
              <tr>
                <th>Tier</th>
                <th className="num">Accuracy</th>
                <th>Clusters of the final model</th>
              </tr>
            </thead>
            <tbody>
              {h.tiers.map((t) => (
                <tr key={t.k} data-tier-k={t.k} data-tier-accuracy={t.accuracy.toFixed(4)}>
                  <td className="nowrap">T{t.k}</td>
                  <td className="num">
                    <div className="f1-cell">
                      <span className="f1-track" aria-hidden="true">
                        <span className="f1-bar" style={{ width: `${Math.max(0, Math.min(1, t.accuracy)) * 100}%` }} />
                      </span>
                      <span className="f1-text">{pct(t.accuracy)}</span>
                    </div>
                  </td>
                  <td className="small tier-clusters">{t.clusters.length > 0 && t.clusters.length <= 16 ? t.clusters.join(' | ') : `${t.clusters.length} clusters`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {h.tree && <p className="muted small">The Tree view (source “Run”) draws this genre tree with its cut and tiers.</p>}
        </>
      )}
      {h.perNode && (
        <>
          <div className="card-head">
            <h3>Vanilla, hierarchical, with hint</h3>
            <span className="muted small">same folds, per row</span>
          </div>
          <table className="data-table" data-testid="run-pernode">
            <thead>
              <tr>
                <th>Variant</th>
                <th className="num">Accuracy</th>
                <th className="num">Macro-F1</th>
                <th className="num" title="Macro average precision (area under precision–recall)">AP</th>
                <th className="num" title="Coverage error: how far down the ranking the true genre is, on average (1 is best)">Coverage</th>
              </tr>
            </thead>
            <tbody>
              {h.perNode.variants.map((v) => (
                <tr key={v.variant} data-variant={v.variant} data-accuracy={v.accuracy.toFixed(4)}>
                  <td>{v.label}</td>
                  <td className="num">{pct(v.accuracy)}</td>
                  <td className="num">{score(v.macroF1)}</td>
                  <td className="num">{score(v.ap)}</td>
                  <td className="num">{Number.isFinite(v.coverageError) ? v.coverageError.toFixed(2) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted small">Super-genres of the final model:</div>
          <ul className="chip-list" data-testid="run-supers">
            {h.perNode.superGenres.map((g) => (
              <li key={g} className="chip static">
                {g}
              </li>
            ))}
          </ul>
        </>
      )}
      {h.keptFeatures && (
        <>
          <div className="card-head">
            <h3>Features kept by the L1 selection</h3>
            <span className="muted small">group lasso, one feature per correlated group, in the order they entered the path</span>
          </div>
          {h.keptFeatures.final && (
            <ul className="chip-list" data-testid="run-kept">
              {h.keptFeatures.final.map((f) => (
                <li key={f} className="chip static mono">
                  {f}
                </li>
              ))}
            </ul>
          )}
          {h.keptFeatures.folds > 0 && (
            <p className="muted small">
              Kept in all {h.keptFeatures.folds} folds: {h.keptFeatures.counts.filter((c) => c.folds === h.keptFeatures!.folds).length} features; in some:{' '}
              {h.keptFeatures.counts.filter((c) => c.folds < h.keptFeatures!.folds).length}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
