import React, { useEffect, useState } from 'react';
import { suggestGenres } from '../../../../shared/hyperbolic';
import { LOSS_KINDS, LOSS_MODELS, type LabelGenreRow, type LossKind } from '../../../../shared/loss';
import { LOSS_LABELS, type LossModel, takesLoss } from '../../state/trainLoss';
import { useStore } from '../../state/store';
import { Segmented } from '../RunsControls';

const KIND_TITLES: Record<LossKind, string> = {
  ce: 'Plain softmax cross-entropy',
  'hyperbolic-weighted': 'w·CE with w = 1 + λ·d(true, predicted genre) / max d, the weight held constant per step',
  'hyperbolic-expected': 'CE + λ·Σ p_j d(true, genre j) / max d: the expected distance of the prediction, differentiable',
};

/** Short names for the switch (the side panel is narrow); the titles say more. */
const KIND_SHORT: Record<LossKind, string> = { ce: 'Cross-entropy', 'hyperbolic-weighted': 'Weighted', 'hyperbolic-expected': 'Expected' };

const HOW_TEXT: Record<LabelGenreRow['how'], string> = {
  override: 'yours',
  exact: 'same name',
  normalised: 'same name, normalised',
  token: 'shared words',
  none: 'unmapped',
};

/** One label's genre: a text field with suggestions from the embedding; committed on Enter, blur or a pick. */
function GenreCell(props: { row: LabelGenreRow; genres: readonly string[]; onCommit: (genre: string) => void }): React.JSX.Element {
  const { row, genres, onCommit } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? row.genre ?? '';
  const listId = `genres-${row.label.replace(/[^\w-]/g, '_')}`;
  const options = draft !== null ? suggestGenres(genres, draft, 12) : [];
  const commit = () => {
    if (draft === null) return;
    const d = draft.trim();
    setDraft(null);
    if (d !== (row.genre ?? '')) onCommit(d);
  };
  return (
    <>
      <input
        className={`input input-plain genre-input${row.genre === null ? ' has-error' : ''}`}
        list={listId}
        value={value}
        placeholder="search a genre…"
        spellCheck={false}
        aria-label={`Genre of ${row.label}`}
        onChange={(e) => {
          const v = e.target.value;
          setDraft(v);
          // Picking a suggestion from the list commits at once.
          if (genres.includes(v) && v !== (row.genre ?? '')) {
            setDraft(null);
            onCommit(v);
          }
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') setDraft(null);
        }}
        data-testid="loss-genre-input"
      />
      <datalist id={listId}>
        {options.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
    </>
  );
}

function MappingTable(props: { model: LossModel }): React.JSX.Element | null {
  const s = useStore(props.model);
  if (!s.mapping) return null;
  const unmapped = s.mapping.filter((m) => m.genre === null).length;
  return (
    <div className="loss-mapping" data-testid="loss-mapping">
      <table className="data-table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Genre in the embedding</th>
          </tr>
        </thead>
        <tbody>
          {s.mapping.map((m) => (
            <tr key={m.label} data-label={m.label} data-genre={m.genre ?? ''} data-how={m.how}>
              <td>
                <div>{m.label}</div>
                <div className={`small ${m.genre === null ? 'tone-error' : 'muted'}`} title={m.note ?? (m.how === 'token' ? `word overlap ${m.score.toFixed(2)}` : undefined)}>
                  {HOW_TEXT[m.how]}{' '}
                  {s.overrides[m.label] !== undefined && (
                    <button type="button" className="link-btn" onClick={() => props.model.setGenre(m.label, '')} title="Back to the automatic match">
                      auto
                    </button>
                  )}
                </div>
              </td>
              <td>
                <GenreCell row={m} genres={s.genres} onCommit={(g) => props.model.setGenre(m.label, g)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unmapped > 0 && (
        <div className="field-error" data-testid="loss-unmapped">
          {unmapped} label{unmapped === 1 ? '' : 's'} without a genre: they count as the farthest class from every other. Type a genre to map them.
        </div>
      )}
    </div>
  );
}

/** The training form's Loss section: the loss, the embedding, λ, the comparison and the label → genre table. */
export function LossSection(props: { model: LossModel; modelName: string; profile: string; folderIds: number[] | null }): React.JSX.Element {
  const { model, modelName, profile, folderIds } = props;
  const s = useStore(model);
  useEffect(() => {
    void model.load();
  }, [model]);
  useEffect(() => {
    if (s.embeddingId !== null) void model.refresh(profile, folderIds);
  }, [model, s.embeddingId, profile, folderIds]);
  const hyper = s.kind !== 'ce';
  const unsupported = hyper && !takesLoss(modelName);
  const embeddings = s.embeddings ?? [];
  return (
    <section className="form-section loss-section" data-loss-state={s.state} data-loss-kind={s.kind}>
      <h3 className="form-title">Loss</h3>
      <Segmented
        label="Loss"
        value={s.kind}
        options={LOSS_KINDS.map((k) => ({ value: k, label: KIND_SHORT[k], title: `${LOSS_LABELS[k]}: ${KIND_TITLES[k]}` }))}
        onChange={(k) => model.setKind(k)}
        testId="train-loss"
      />
      {unsupported && <div className="field-error">The hyperbolic losses train {LOSS_MODELS.join(', ')}; this model trains without them.</div>}
      <div className="param-grid">
        <div className="field wide">
          <label className="field-label" htmlFor="train-embedding">
            Genre embedding
          </label>
          <select
            id="train-embedding"
            className="select"
            value={s.embeddingId ?? ''}
            onChange={(e) => model.setEmbedding(e.target.value === '' ? null : Number(e.target.value))}
            data-testid="train-embedding"
          >
            <option value="">{hyper ? 'choose an embedding…' : 'none (no mistake severity)'}</option>
            {embeddings.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name} · {e.model === 'poincare' ? 'Poincaré' : 'Euclidean'} {e.dim}-D · {e.nodes} genres
              </option>
            ))}
          </select>
          <div className="field-help">
            {s.state === 'no-embeddings'
              ? 'No stored embedding yet: train one in the Hyperbolic view.'
              : 'Distances between the labels’ genres weigh the mistakes; any embedding attached reports the mistake severity.'}
          </div>
        </div>
        {hyper && (
          <div className="field">
            <label className="field-label" htmlFor="train-lambda">
              λ
            </label>
            <input id="train-lambda" className="input input-plain" inputMode="decimal" value={s.lambda} onChange={(e) => model.setLambda(e.target.value)} data-testid="train-lambda" />
            <div className="field-help">0 – 100, weight of the distance term</div>
          </div>
        )}
        {hyper && (
          <div className="field">
            <label className="field-label" htmlFor="train-distance-norm">
              Costs
            </label>
            <select id="train-distance-norm" className="select" value={s.normalise} onChange={(e) => model.setNormalise(e.target.value as 'max' | 'range')} data-testid="train-distance-norm">
              <option value="max" title="distance ÷ the largest distance between two labels">÷ largest</option>
              <option value="range" title="the nearest pair of labels costs 0, the farthest 1">range 0–1</option>
            </select>
            <div className="field-help">distances → costs in [0, 1]</div>
          </div>
        )}
      </div>
      {hyper && (
        <div className="loss-compare">
          <label className="check">
            <input type="checkbox" checked={s.compare === 'same-job'} onChange={(e) => model.setCompare(e.target.checked ? 'same-job' : 'none')} data-testid="train-baseline" />
            Compare with cross-entropy on the same folds (trains it too)
          </label>
          {s.runs.length > 0 && (
            <label className="check">
              <input type="checkbox" checked={s.compare === 'run'} onChange={(e) => model.setCompare(e.target.checked ? 'run' : 'same-job')} data-testid="train-baseline-run-check" />
              or with a stored run:
              <select className="select select-small" value={s.baselineRunId ?? ''} disabled={s.compare !== 'run'} onChange={(e) => model.setCompare('run', Number(e.target.value))} data-testid="train-baseline-run">
                {s.runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    #{r.id} {r.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      {s.embeddingId !== null && (
        <div className="field wide">
          <div className="field-label">Labels → genres {s.state === 'mapping' && <span className="spinner spinner-small" aria-hidden="true" />}</div>
          <MappingTable model={model} />
        </div>
      )}
      {s.error && (
        <div className="field-error" role="alert">
          {s.error}
        </div>
      )}
    </section>
  );
}
