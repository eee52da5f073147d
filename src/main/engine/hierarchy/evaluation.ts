// What a training run records beyond accuracy for the hierarchical and graph models, gathered on the
// cross-validation's own folds: per-tier accuracy of the tier models (StackNet, tier GRU), the
// vanilla / hierarchical / with-hint comparison of the per-node classifiers, the features kept by
// GraphSAGE's L1 selection; and, from the final model fitted on every row, its genre tree, tier
// clusters and super-genres. Plus the ranking figures (average precision, coverage error) every
// run gets, whatever its model.
import type { HierarchyReport, NodeVariantFigure, TierFigure } from '../../../shared/types';
import { GraphSageClassifier } from '../graph/graphsage';
import type { Params } from '../ml/manifest';
import { takeLabels, takeRows, type Classifier, type Matrix } from '../ml/types';
import { dendrogramJSON } from './ihct';
import { coverageError, macroAveragePrecision, rankingReport } from './metrics';
import { PerNodeClassifier, type PerNodeParams } from './pernode';
import { StackNetClassifier } from './stacknet';
import { TierGruClassifier } from './tiergru';
import type { FittedTree, TierAccuracy } from './tree-params';

/** Macro AP and coverage error of rows × K probabilities against class ids (NaN when there are no rows). */
export function rankingFigures(y: Int32Array, proba: ArrayLike<number>, K: number): { ap: number; coverageError: number } {
  if (y.length === 0) return { ap: NaN, coverageError: NaN };
  return { ap: macroAveragePrecision(y, proba, K), coverageError: coverageError(y, proba, K) };
}

/** The models this file has more to say about. */
export const HIERARCHY_MODELS: readonly string[] = ['stacknet', 'tier-gru', 'per-node', 'graphsage'];

type TierModel = StackNetClassifier | TierGruClassifier;
const isTierModel = (m: Classifier): m is TierModel => m instanceof StackNetClassifier || m instanceof TierGruClassifier;

const VARIANT_LABEL: Record<NodeVariantFigure['variant'], string> = {
  flat: 'vanilla (one classifier per genre)',
  hierarchical: 'hierarchical (super-genre × genre within it)',
  hint: 'with hint (true super-genre given: the ceiling)',
};

/**
 * Collects the extra figures of one cross-validation: call onFold for every fold (with the fitted
 * model, before it is disposed), onFinal with the model fitted on every row, then report().
 */
export class HierarchyEvaluation {
  private tierOk: number[] | null = null;
  private tierSizes: number[] | null = null;
  private tierN = 0;
  private tierNames: string[][] | null = null;
  private readonly variantProba: Record<NodeVariantFigure['variant'], Float32Array> | null;
  private readonly tested: Uint8Array;
  private foldSupers: string[][] = [];
  private foldKept: string[][] = [];
  private finalTree: FittedTree | null = null;
  private finalSupers: string[] | null = null;
  private finalKept: string[] | null | undefined = undefined;
  readonly warnings: string[] = [];

  constructor(
    private readonly model: string,
    private readonly params: Params,
    private readonly X: Matrix,
    private readonly y: Int32Array,
    private readonly labels: string[],
  ) {
    const K = labels.length;
    this.tested = new Uint8Array(y.length);
    this.variantProba =
      model === 'per-node' ? { flat: new Float32Array(y.length * K), hierarchical: new Float32Array(y.length * K), hint: new Float32Array(y.length * K) } : null;
  }

  static applies(model: string): boolean {
    return HIERARCHY_MODELS.includes(model);
  }

  /** Figures of one fold: `clf` was fitted on rows `train` and is evaluated on rows `test`. */
  async onFold(fold: number, clf: Classifier, train: Int32Array, test: Int32Array, seed: number): Promise<void> {
    if (test.length === 0) return;
    const Xte = takeRows(this.X, test);
    const yte = takeLabels(this.y, test);
    if (isTierModel(clf)) this.addTiers(clf.tierAccuracy(Xte, yte), test.length, clf.tree);
    if (clf instanceof PerNodeClassifier && this.variantProba) await this.addPerNode(clf, train, test, Xte, yte, seed);
    if (clf instanceof GraphSageClassifier && clf.keptFeatures) this.foldKept.push([...clf.keptFeatures]);
    for (const i of test) this.tested[i] = 1;
    void fold;
  }

  private addTiers(acc: TierAccuracy[], n: number, tree: FittedTree | null): void {
    const sizes = acc.map((a) => a.k);
    if (!this.tierSizes) {
      this.tierSizes = sizes;
      this.tierOk = sizes.map(() => 0);
    } else if (sizes.join() !== this.tierSizes.join()) {
      this.warnings.push(`per-tier accuracy: a fold had tiers ${sizes.join(', ')} instead of ${this.tierSizes.join(', ')}; left out`);
      return;
    }
    acc.forEach((a, t) => (this.tierOk![t]! += a.accuracy * n));
    this.tierN += n;
    if (tree) this.tierNames = tree.names;
  }

  private async addPerNode(clf: PerNodeClassifier, train: Int32Array, test: Int32Array, Xte: Matrix, yte: Int32Array, seed: number): Promise<void> {
    const K = this.labels.length;
    const Xtr = takeRows(this.X, train);
    const ytr = takeLabels(this.y, train);
    const fitOther = async (structure: PerNodeParams['structure']): Promise<PerNodeClassifier> => {
      const other = new PerNodeClassifier({ ...(clf.params as Partial<PerNodeParams>), structure });
      await other.fit(Xtr, ytr, { seed, labels: this.labels });
      return other;
    };
    const hier = clf.params.structure === 'hierarchical' ? clf : await fitOther('hierarchical');
    const flat = clf.params.structure === 'flat' ? clf : await fitOther('flat');
    try {
      const put = (dst: Float32Array, p: Float32Array) => test.forEach((row, i) => dst.set(p.subarray(i * K, (i + 1) * K), row * K));
      put(this.variantProba!.hierarchical, hier.predictProba(Xte));
      put(this.variantProba!.hint, hier.predictProbaWithHint(Xte, yte));
      put(this.variantProba!.flat, flat.predictProba(Xte));
      this.foldSupers.push(hier.superNames());
    } finally {
      if (hier !== clf) hier.dispose();
      if (flat !== clf) flat.dispose();
    }
  }

  /** Figures of the model fitted on every row (its tree, super-genres, kept features). */
  onFinal(clf: Classifier): void {
    if (isTierModel(clf)) {
      this.finalTree = clf.tree;
      if (clf.tree) this.tierNames = clf.tree.names;
    }
    if (clf instanceof PerNodeClassifier) this.finalSupers = clf.superNames();
    if (clf instanceof GraphSageClassifier) this.finalKept = clf.keptFeatures ? [...clf.keptFeatures] : null;
  }

  report(): HierarchyReport | undefined {
    const out: HierarchyReport = {};
    if (this.tierSizes && this.tierN > 0) {
      out.tiers = this.tierSizes.map(
        (k, t): TierFigure => ({ k, accuracy: this.tierOk![t]! / this.tierN, n: this.tierN, clusters: this.tierNames?.[t] ?? [] }),
      );
    }
    if (this.finalTree) out.tree = dendrogramJSON(this.finalTree.tree, this.finalTree.tiers);
    if (this.variantProba && this.foldSupers.length > 0) {
      const rows = Int32Array.from(this.tested.keys()).filter((i) => this.tested[i] === 1);
      const yt = takeLabels(this.y, rows);
      const K = this.labels.length;
      const variants = (['flat', 'hierarchical', 'hint'] as const).map((variant): NodeVariantFigure => {
        const p = takeRows({ data: this.variantProba![variant], rows: this.y.length, cols: K }, rows).data;
        const r = rankingReport(yt, p, this.labels);
        return { variant, label: VARIANT_LABEL[variant], accuracy: r.accuracy, macroF1: r.macroF1, ap: r.averagePrecision, coverageError: r.coverageError };
      });
      out.perNode = { variants, superGenres: this.finalSupers ?? this.foldSupers[this.foldSupers.length - 1] ?? [], foldSuperGenres: this.foldSupers };
    }
    if (this.model === 'graphsage' && (this.foldKept.length > 0 || (this.finalKept !== undefined && this.finalKept !== null))) {
      const counts = new Map<string, number>();
      for (const f of this.foldKept) for (const c of f) counts.set(c, (counts.get(c) ?? 0) + 1);
      out.keptFeatures = {
        final: this.finalKept ?? null,
        folds: this.foldKept.length,
        counts: [...counts].map(([feature, folds]) => ({ feature, folds })).sort((a, b) => b.folds - a.folds || a.feature.localeCompare(b.feature)),
      };
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
