// The Training view's loss settings: cross-entropy or a hyperbolic-distance loss, the stored embedding
// it uses, λ, the label → genre table (automatic, each row correctable) and what to compare with.
import type { EmbeddingSummary } from '../../../shared/hyperbolic';
import { LOSS_MODELS, type DistanceNorm, type LabelGenreRow, type LossKind, type LossRequest } from '../../../shared/loss';
import type { RunSummary } from '../../../shared/types';
import type { AppModel } from './app';
import { Store } from './store';

export type LossCompare = 'same-job' | 'run' | 'none';

export type LossViewState = 'loading' | 'no-embeddings' | 'mapping' | 'ready' | 'error';

export interface LossState {
  kind: LossKind;
  lambda: string;
  normalise: DistanceNorm;
  embeddings: EmbeddingSummary[] | null;
  /** null: no embedding attached (plain cross-entropy only). */
  embeddingId: number | null;
  /** The automatic map with the user's corrections applied, for the current data. */
  mapping: LabelGenreRow[] | null;
  /** Distances between the mapped labels (mapping order). */
  distances: number[][] | null;
  genres: string[];
  /** label → genre chosen by the user. */
  overrides: Record<string, string>;
  compare: LossCompare;
  baselineRunId: number | null;
  runs: RunSummary[];
  /** What the mapping was computed for (profile + folders), so it is refreshed when they change. */
  scope: string;
  state: LossViewState;
  error: string | null;
}

export const LOSS_LABELS: Record<LossKind, string> = {
  ce: 'Cross-entropy',
  'hyperbolic-weighted': 'Hyperbolic-weighted',
  'hyperbolic-expected': 'Expected distance',
};

/** Whether a model takes the hyperbolic losses. */
export function takesLoss(model: string): boolean {
  return LOSS_MODELS.includes(model);
}

export class LossModel extends Store<LossState> {
  private seq = 0;

  constructor(private readonly app: AppModel) {
    super({
      kind: 'ce',
      lambda: '1',
      normalise: 'max',
      embeddings: null,
      embeddingId: null,
      mapping: null,
      distances: null,
      genres: [],
      overrides: {},
      compare: 'same-job',
      baselineRunId: null,
      runs: [],
      scope: '',
      state: 'loading',
      error: null,
    });
  }

  /** The stored embeddings (Hyperbolic view) and runs to compare with. */
  async load(): Promise<void> {
    try {
      const [embeddings, runs] = await Promise.all([this.app.client.call('hyper.embeddings', undefined), this.app.client.call('runs.list', undefined)]);
      const s = this.get();
      const keep = s.embeddingId !== null && embeddings.some((e) => e.id === s.embeddingId);
      const first = embeddings.find((e) => e.model === 'poincare') ?? embeddings[0];
      this.set({
        embeddings,
        runs,
        embeddingId: keep ? s.embeddingId : s.kind !== 'ce' && first ? first.id : null,
        state: embeddings.length === 0 ? 'no-embeddings' : s.mapping ? 'ready' : 'mapping',
        error: null,
      });
      if (!keep) this.set({ mapping: null, distances: null, scope: '' });
    } catch (err) {
      this.set({ state: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  setKind(kind: LossKind): void {
    const s = this.get();
    this.set({ kind });
    // A hyperbolic loss needs an embedding: take the first Poincaré one when none is chosen.
    if (kind !== 'ce' && s.embeddingId === null && s.embeddings?.length) {
      this.setEmbedding((s.embeddings.find((e) => e.model === 'poincare') ?? s.embeddings[0]!).id);
    }
  }

  setLambda(lambda: string): void {
    this.set({ lambda });
  }

  setNormalise(normalise: DistanceNorm): void {
    this.set({ normalise });
  }

  setEmbedding(id: number | null): void {
    this.set({ embeddingId: id, mapping: null, distances: null, genres: [], scope: '', state: id === null ? 'ready' : 'mapping' });
  }

  setCompare(compare: LossCompare, runId?: number | null): void {
    this.set({ compare, baselineRunId: compare === 'run' ? (runId ?? this.get().baselineRunId ?? this.get().runs[0]?.id ?? null) : this.get().baselineRunId });
  }

  /** Correct one label's genre ('' goes back to the automatic match). */
  setGenre(label: string, genre: string): void {
    const overrides = { ...this.get().overrides };
    if (genre.trim()) overrides[label] = genre.trim();
    else delete overrides[label];
    this.set({ overrides });
    void this.refresh(this.lastScope.profile, this.lastScope.folderIds, true);
  }

  private lastScope: { profile: string; folderIds: number[] | null } = { profile: '', folderIds: null };

  /** The label → genre map of the training data (profile + folders) against the chosen embedding. */
  async refresh(profile: string, folderIds: number[] | null, force = false): Promise<void> {
    this.lastScope = { profile, folderIds };
    const s = this.get();
    if (s.embeddingId === null) return;
    const scope = `${s.embeddingId}|${profile}|${folderIds?.join(',') ?? '*'}`;
    if (!force && scope === s.scope && s.mapping) return;
    const seq = ++this.seq;
    this.set({ scope, state: 'mapping' });
    try {
      const r = await this.app.client.call('train.lossMapping', { embeddingId: s.embeddingId, profile, folderIds: folderIds ?? undefined, labelMap: this.get().overrides });
      if (seq !== this.seq) return;
      this.set({ mapping: r.mapping, distances: r.distances, genres: r.genres, state: 'ready', error: null });
    } catch (err) {
      if (seq !== this.seq) return;
      this.set({ state: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The request's `loss` for a model, or an error to show. */
  request(model: string): { loss?: LossRequest; error?: string } {
    const s = this.get();
    if (s.kind === 'ce' && s.embeddingId === null) return {};
    if (s.kind !== 'ce' && !takesLoss(model)) return { error: `The hyperbolic losses train ${LOSS_MODELS.join(', ')}; choose one of them or cross-entropy` };
    if (s.embeddingId === null) return { error: 'Choose an embedding for the hyperbolic loss (train one in the Hyperbolic view)' };
    const lambda = Number(s.lambda);
    if (s.kind !== 'ce' && !(s.lambda.trim() !== '' && Number.isFinite(lambda) && lambda >= 0 && lambda <= 100)) return { error: 'λ must be a number from 0 to 100' };
    const loss: LossRequest = { kind: s.kind, embeddingId: s.embeddingId, labelMap: { ...s.overrides } };
    if (s.kind !== 'ce') {
      loss.lambda = lambda;
      loss.normalise = s.normalise;
    }
    if (s.compare === 'none' || s.kind === 'ce') loss.baseline = false;
    if (s.compare === 'run' && s.baselineRunId !== null && s.kind !== 'ce') loss.baselineRunId = s.baselineRunId;
    return { loss };
  }
}
