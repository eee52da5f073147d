import React, { useState } from 'react';
import type { EmbeddingSummary, GenreGraphSummary } from '../../../../shared/hyperbolic';
import { formatInt, plural } from '../../lib/format';
import { JobProgressPanel } from '../../shell/JobProgress';
import { IconFolder, IconTrash } from '../../shell/icons';
import type { HyperModel, HyperState, TrainForm } from './model';

/** A labelled input with its help line or error. */
function Field(props: { label: string; id: string; help?: string; error?: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.error ? <div className="field-error">{props.error}</div> : props.help ? <div className="field-help">{props.help}</div> : null}
    </div>
  );
}

function NumberField(props: { model: HyperModel; state: HyperState; field: keyof TrainForm; label: string; help?: string; decimal?: boolean }): React.JSX.Element {
  const id = `hyper-${props.field}`;
  return (
    <Field label={props.label} id={id} help={props.help} error={props.state.errors[props.field]}>
      <input
        id={id}
        className="input input-plain"
        inputMode={props.decimal ? 'decimal' : 'numeric'}
        spellCheck={false}
        value={String(props.state.form[props.field])}
        onChange={(e) => props.model.setForm({ [props.field]: e.target.value } as Partial<TrainForm>)}
        data-testid={id}
      />
    </Field>
  );
}

/** Import by path, or by dropping a file on the zone (read in the page, sent as text). */
function ImportSection({ model, state }: { model: HyperModel; state: HyperState }): React.JSX.Element {
  const [path, setPath] = useState('');
  const [over, setOver] = useState(false);
  // Drags over the zone are this view's, not the window's (which would add a music folder).
  const stop = (e: React.DragEvent): void => {
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <section className="form-section">
      <h3 className="form-title">Import co-occurrence</h3>
      <form
        className="hyper-import-row"
        onSubmit={(e) => {
          e.preventDefault();
          void model.importPath(path);
        }}
      >
        <input
          className="input input-plain"
          placeholder="/path/to/artists_genres.csv"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
          aria-label="Path of a co-occurrence table"
          data-testid="hyper-path"
        />
        <button className="btn btn-small" type="submit" disabled={state.importing} data-testid="hyper-import">
          {state.importing ? 'Reading…' : 'Import'}
        </button>
      </form>
      <div
        className={`hyper-drop${over ? ' over' : ''}`}
        onDragEnter={(e) => {
          stop(e);
          setOver(true);
        }}
        onDragOver={stop}
        onDragLeave={(e) => {
          stop(e);
          setOver(false);
        }}
        onDrop={(e) => {
          stop(e);
          setOver(false);
          const f = e.dataTransfer.files[0];
          if (f) void model.importFile(f);
        }}
        data-testid="hyper-drop"
      >
        <IconFolder size={16} /> or drop a CSV here
      </div>
      <div className="field-help">
        Items with a <code>genres</code> list column (the Spotify tables) or an edge list <code>source,target[,weight]</code>. Genres co-occur when they share an item.
      </div>
      {state.importError && (
        <div className="form-errors" role="alert" data-testid="hyper-import-error">
          {state.importError}
        </div>
      )}
    </section>
  );
}

/** What an import found: counts, bad rows with their line numbers, isolated genres, components, largest genres. */
export function GraphReport({ graph }: { graph: GenreGraphSummary }): React.JSX.Element {
  const r = graph.report;
  return (
    <div className="hyper-report" data-testid="hyper-report" data-nodes={r.nodes} data-edges={r.edges} data-malformed={r.malformed} data-empty-rows={r.rowsWithoutGenres}>
      <div className="hyper-report-figures">
        <span>
          <b>{formatInt(r.nodes)}</b> genres
        </span>
        <span>
          <b>{formatInt(r.edges)}</b> {graph.directed ? 'directed ' : ''}edges
        </span>
        <span>
          <b>{formatInt(r.components)}</b> {r.components === 1 ? 'component' : 'components'}
        </span>
      </div>
      <ul className="hyper-report-list">
        <li>
          {formatInt(r.rows)} rows read{r.format === 'items' ? `; ${formatInt(r.itemsWithGenres)} with genres` : ' (edge list)'}
        </li>
        {r.rowsWithoutGenres > 0 && <li data-testid="hyper-report-empty">{plural(r.rowsWithoutGenres, 'row')} without genres (skipped)</li>}
        {r.malformed > 0 && (
          <li className="text-warn" data-testid="hyper-report-malformed">
            {plural(r.malformed, 'malformed row')} skipped, at line{r.malformed > 1 ? 's' : ''} {r.malformedLines.slice(0, 12).join(', ')}
            {r.malformed > 12 ? ', …' : ''}
            <details>
              <summary className="muted small">why</summary>
              <ul className="small">
                {r.malformedLines.slice(0, 12).map((l, i) => (
                  <li key={l}>
                    line {l}: {r.malformedReasons[i]}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        )}
        {r.duplicateMentions > 0 && <li>{plural(r.duplicateMentions, 'repeated genre')} within a row, counted once</li>}
        {r.selfLoopsDropped > 0 && <li>{plural(r.selfLoopsDropped, 'self-loop')} dropped</li>}
        {r.isolated > 0 && (
          <li title={r.isolatedNames.join(', ')} data-testid="hyper-report-isolated">
            {plural(r.isolated, 'isolated genre')} (no co-occurrence; not embedded){r.isolatedNames.length ? `: ${r.isolatedNames.slice(0, 4).join(', ')}${r.isolated > 4 ? ', …' : ''}` : ''}
          </li>
        )}
        {r.components > 1 && <li>largest component: {formatInt(r.largestComponent)} genres</li>}
      </ul>
      {r.topGenres.length > 0 && (
        <div className="hyper-top" title="Largest genres by items (or weighted degree for an edge list)">
          {r.topGenres.slice(0, 8).map((g) => (
            <span key={g.name} className="chip chip-muted">
              {g.name} <span className="muted">{formatInt(g.items)}</span>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

function GraphList({ model, state }: { model: HyperModel; state: HyperState }): React.JSX.Element {
  const graph = state.graphs.find((g) => g.id === state.graphId) ?? null;
  return (
    <section className="form-section" data-testid="hyper-graphs" data-graphs-count={state.graphs.length}>
      <h3 className="form-title">Genre graphs</h3>
      {state.graphs.length === 0 ? (
        <p className="muted small">No table imported yet.</p>
      ) : (
        <select className="select" value={state.graphId ?? ''} onChange={(e) => model.selectGraph(Number(e.target.value))} aria-label="Genre graph" data-testid="hyper-graph-select">
          {state.graphs.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name} — {formatInt(g.nodes)} genres, {formatInt(g.edges)} edges
            </option>
          ))}
        </select>
      )}
      {graph && <GraphReport graph={graph} />}
      {graph && (
        <button type="button" className="link-btn small" onClick={() => void model.deleteGraph(graph.id)} title="Forget this table (its embeddings stay)">
          remove this table
        </button>
      )}
    </section>
  );
}

function TrainSection({ model, state }: { model: HyperModel; state: HyperState }): React.JSX.Element {
  const f = state.form;
  return (
    <section className="form-section">
      <h3 className="form-title">Train</h3>
      <div className="param-grid">
        <NumberField model={model} state={state} field="dim" label="Dimension" />
        <NumberField model={model} state={state} field="epochs" label="Epochs" />
        <NumberField model={model} state={state} field="negatives" label="Negatives" />
        <NumberField model={model} state={state} field="burnIn" label="Burn-in epochs" />
        <NumberField model={model} state={state} field="lr" label="Learning rate" decimal />
        <NumberField model={model} state={state} field="seed" label="Seed" />
      </div>
      <label className="check">
        <input type="checkbox" checked={f.directed} onChange={(e) => model.setForm({ directed: e.target.checked })} data-testid="hyper-directed" />
        <span className="check-text">Directed graph: i → j when j is on at least τ of i's items</span>
      </label>
      {f.directed && <NumberField model={model} state={state} field="tau" label="τ" decimal />}
      <label className="check">
        <input type="checkbox" checked={f.euclidean} onChange={(e) => model.setForm({ euclidean: e.target.checked })} data-testid="hyper-euclidean" />
        <span className="check-text">Also train the Euclidean baseline the same way</span>
      </label>
      <div className="field-help">Burn-in epochs run at a tenth of the rate. Riemannian SGD in the ball, Float64, seeded; the two embeddings train in parallel.</div>
    </section>
  );
}

function EmbeddingList({ model, state }: { model: HyperModel; state: HyperState }): React.JSX.Element {
  const openId = state.open?.detail.id ?? null;
  return (
    <section className="form-section" data-testid="hyper-embeddings" data-embeddings-count={state.embeddings.length}>
      <h3 className="form-title">Stored embeddings</h3>
      {state.embeddings.length === 0 ? (
        <p className="muted small">None yet: train one.</p>
      ) : (
        <ul className="map-list">
          {state.embeddings.map((e: EmbeddingSummary) => (
            <li key={e.id} className={`map-item${e.id === openId ? ' active' : ''}`}>
              {state.confirmDelete === e.id ? (
                <div className="map-item-confirm">
                  <span className="small">Delete “{e.name}”?</span>
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void model.deleteEmbedding(e.id)}>
                    Delete
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => model.askDelete(null)}>
                    Keep
                  </button>
                </div>
              ) : (
                <>
                  <button type="button" className="map-item-main" onClick={() => void model.openEmbedding(e.id)} disabled={state.opening === e.id} data-embedding={e.id} data-model={e.model}>
                    <span className="map-item-name">{e.name}</span>
                    <span className="muted small">
                      {e.model === 'poincare' ? 'Poincaré' : 'Euclidean'} {e.dim}-D · {formatInt(e.nodes)} genres
                      {e.evaluation ? ` · MAP ${e.evaluation.map.toFixed(3)}` : ''}
                    </span>
                  </button>
                  <button type="button" className="icon-btn map-item-delete" title="Delete" aria-label={`Delete ${e.name}`} onClick={() => model.askDelete(e.id)}>
                    <IconTrash size={14} />
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The left column: import, graphs, training form with progress and Cancel, stored embeddings. */
export function HyperSide({ model, state }: { model: HyperModel; state: HyperState }): React.JSX.Element {
  const training = state.jobId !== null;
  const p = model.progress();
  const errors = Object.values(state.errors);
  return (
    <aside className="map-side" aria-label="Hyperbolic genre space">
      <div className="train-form">
        <div className="train-side-scroll">
          <ImportSection model={model} state={state} />
          <GraphList model={model} state={state} />
          <form
            id="hyper-train-form"
            onSubmit={(e) => {
              e.preventDefault();
              void model.train();
            }}
          >
            <fieldset className="train-fields" disabled={training}>
              <TrainSection model={model} state={state} />
            </fieldset>
          </form>
          <EmbeddingList model={model} state={state} />
        </div>
        <div className="train-actions">
          {errors.length > 0 && (
            <div className="form-errors" role="alert">
              {errors.map((e) => (
                <div key={e}>{e}</div>
              ))}
            </div>
          )}
          {state.trainMessage && !training && (
            <p className="job-summary tone-warn" data-testid="hyper-train-message">
              {state.trainMessage}
            </p>
          )}
          {training ? (
            <JobProgressPanel
              progress={p}
              line={p?.message ?? 'starting…'}
              cancelling={state.cancelling}
              canCancel={!!state.jobId}
              onCancel={() => void model.cancel()}
              testId="hyper-progress"
              cancelTestId="hyper-cancel"
            />
          ) : (
            <button className="btn btn-primary btn-train" type="submit" form="hyper-train-form" disabled={state.graphId === null} data-testid="hyper-train">
              Train embedding
            </button>
          )}
        </div>
      </div>
    </aside>
  );
}
