// Hyperbolic engine benchmark (issue 6): Poincaré embeddings of the Spotify genre co-occurrence graph
// against gensim's PoincareModel, side by side in one run (../shared/reference/poincare_gensim.py
// spawned with /usr/bin/python3, then Genrelab on the same graph, same dimension and epochs);
// reconstruction mean rank / MAP; parent retrieval against the Discogs, Last.fm and Tagtraum
// taxonomies for Genrelab's and gensim's vectors; import and Ward-dendrogram timings.
// Run alone with: npm run bench -- hyperbolic
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cooccurrenceFromCsv } from '../src/main/engine/hyperbolic/cooccurrence';
import { reconstruction, type ReconstructionScore } from '../src/main/engine/hyperbolic/evaluate';
import { buildAdjacency } from '../src/main/engine/hyperbolic/graph';
import { evaluateParents, type HitRates, type NamedEmbedding } from '../src/main/engine/hyperbolic/parents';
import type { EmbeddingOptions } from '../src/main/engine/hyperbolic/poincare';
import { embeddingFromTsv, genreTrainer, namedEmbedding, prepareGenreGraph, RECOMMENDED_EMBEDDING, type PreparedGraph } from '../src/main/engine/hyperbolic/pipeline';
import { wardLinkage } from '../src/main/engine/hyperbolic/ward';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data');
const refDir = path.resolve(root, '../shared/reference');
const ITEMS = path.join(data, 'spotify-genres/data_w_genres_artists_genres_only_2021.csv');
const TAXA = ['discogs', 'lastfm', 'tagtraum'] as const;
const taxonomy = (t: string): string => path.join(data, `genre-taxonomy/acousticbrainz-mediaeval2017-${t}-train.stats`);
const PYTHON = '/usr/bin/python3';
const DIM = 10;
const EPOCHS = 50;

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');
const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);

interface Run {
  label: string;
  wall: number;
  cpu: number;
  score: ReconstructionScore;
  emb: NamedEmbedding;
  relations: number;
}

function train(prep: PreparedGraph, label: string, opts: EmbeddingOptions): Run {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tr = genreTrainer(prep.graph, { ...opts, dim: DIM, epochs: EPOCHS, burnIn: 10 });
  tr.run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const score = reconstruction(tr.params, prep.graph.names.length, DIM, prep.adjacency, tr.opts.geometry);
  return { label, wall, cpu: (c.user + c.system) / 1e6, score, emb: namedEmbedding(prep.graph, tr), relations: tr.relU.length };
}

interface GensimRun {
  train: number;
  wall: number;
  cpu: number;
  meanRank: number;
  map: number;
  line: string;
  emb: NamedEmbedding;
}

/** Run the reference script under a wrapper that also reports the process's CPU time. */
function runGensim(vectors: string): GensimRun | { error: string } {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found, so gensim was not run` };
  const script = path.join(refDir, 'poincare_gensim.py');
  const wrapper = [
    'import sys, runpy, resource, time',
    `sys.path.insert(0, ${JSON.stringify(refDir)})`,
    `sys.argv = [${JSON.stringify(script)}, ${JSON.stringify(ITEMS)}, "${DIM}", "${EPOCHS}", ${JSON.stringify(vectors)}]`,
    't = time.time()',
    `runpy.run_path(${JSON.stringify(script)}, run_name="__main__")`,
    'r = resource.getrusage(resource.RUSAGE_SELF)',
    'print(f"WRAP wall={time.time() - t:.2f} cpu={r.ru_utime + r.ru_stime:.2f}")',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', wrapper], { encoding: 'utf8', timeout: 3_600_000 });
  const m = /train=([0-9.]+)s mean_rank=([0-9.]+) MAP=([0-9.]+)/.exec(r.stdout ?? '');
  const w = /WRAP wall=([0-9.]+) cpu=([0-9.]+)/.exec(r.stdout ?? '');
  if (!m || !w || !existsSync(vectors)) return { error: `reference run failed: ${(r.stderr || r.stdout || String(r.error)).slice(-400)}` };
  return {
    train: Number(m[1]), meanRank: Number(m[2]), map: Number(m[3]), wall: Number(w[1]), cpu: Number(w[2]),
    line: (r.stdout.split('\n').find((l) => l.startsWith('gensim')) ?? '').trim(),
    emb: embeddingFromTsv(readFileSync(vectors, 'utf8')),
  };
}

const hits = (h: HitRates): string => `${f2(h.hit1)} / ${f2(h.hit5)} / ${f2(h.hit10)}`;

export default {
  title: 'Hyperbolic genre embeddings (issue 6)',
  async run(): Promise<string> {
    if (!existsSync(ITEMS)) return `Skipped: ${ITEMS} is absent (../shared/data is not beside this checkout).\n`;
    const out: string[] = [];
    out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average at start ${load()} (1 / 5 / 15 min). Shared, busy machine: read the ratios, measured in this one run, rather than the absolute times.`, '');

    // ---- import ----
    out.push('### Co-occurrence import', '', '| table | rows | items with genres | genres | edges | isolated | components | malformed | parse + build |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const f of ['data_w_genres.csv', 'data_w_genres_2020v1.csv', 'data_w_genres_artists_genres_only_2021.csv']) {
      const text = readFileSync(path.join(data, 'spotify-genres', f), 'utf8');
      const t0 = performance.now();
      const { report: r } = cooccurrenceFromCsv(text);
      const ms = performance.now() - t0;
      out.push(`| \`${f}\` | ${r.rows} | ${r.itemsWithGenres} | ${r.nodes} | ${r.edges} | ${r.isolated} | ${r.components} | ${r.malformed} | ${ms.toFixed(0)} ms |`);
    }
    out.push('', 'Counts equal SOURCES.md\'s (genres, co-occurring pairs, artists with ≥ 1 genre) for all three tables; `data_w_genres.csv` is read in its plain comma-separated style, the others as Python list literals.', '');

    // ---- gensim, then ours, sequentially (the machine has 2 cores; running them at once would make each slower) ----
    const prep = prepareGenreGraph(readFileSync(ITEMS, 'utf8'));
    const tmp = mkdtempSync(path.join(tmpdir(), 'genrelab-hyp-'));
    const loadBefore = load();
    const g = runGensim(path.join(tmp, 'gensim.tsv'));
    const loadAfterGensim = load();
    const chosen = train(prep, 'Genrelab Poincaré, chosen settings (uniform negatives, both directions)', RECOMMENDED_EMBEDDING);
    const runs: Run[] = [chosen];
    for (const seed of [1, 2]) runs.push(train(prep, `… same, seed ${seed}`, { ...RECOMMENDED_EMBEDDING, seed }));
    runs.push(train(prep, 'Genrelab Poincaré, gensim-like (∝ degree negatives, each pair once, as given)', { ...RECOMMENDED_EMBEDDING, sampling: 'degree', bothDirections: false }));
    runs.push(train(prep, 'Genrelab Poincaré, ∝ degree^0.75 negatives, both directions', { ...RECOMMENDED_EMBEDDING, sampling: 'degree75' }));
    runs.push(train(prep, 'Genrelab Poincaré, ∝ degree negatives, both directions', { ...RECOMMENDED_EMBEDDING, sampling: 'degree' }));
    runs.push(train(prep, 'Genrelab Poincaré, chosen settings with the exponential-map retraction', { ...RECOMMENDED_EMBEDDING, retraction: 'exp' }));
    const eucl = train(prep, 'Genrelab Euclidean baseline (same loss, plain SGD, uniform negatives)', { ...RECOMMENDED_EMBEDDING, geometry: 'euclidean' });
    runs.push(eucl);
    const loadAfter = load();

    out.push('### Poincaré embedding of the 2021 table: Genrelab against gensim, same run', '');
    out.push(`Graph: ${prep.graph.names.length} genres with at least one co-occurrence, ${prep.graph.src.length} undirected edges (gensim's graph: the same pairs). Dimension ${DIM}, ${EPOCHS} epochs after 10 burn-in epochs at lr/10, batch 10, 10 negatives, lr 0.1 for every row. Genrelab trains each undirected edge in both directions unless the row says otherwise, so one of its epochs makes twice as many relation updates as gensim's (${chosen.relations} against ${prep.graph.src.length}). Training time excludes building the graph and the evaluation, for both.`, '');
    out.push('| embedding | train wall | train CPU | mean rank | MAP |', '| --- | --- | --- | --- | --- |');
    if ('error' in g) out.push(`| gensim 4.2 PoincareModel | — | — | — | — (${g.error}) |`);
    else out.push(`| gensim 4.2 PoincareModel (\`poincare_gensim.py\`) | ${f1(g.train)} s | ${f1(g.cpu)} s (whole script) | ${f2(g.meanRank)} | ${f3(g.map)} |`);
    for (const r of runs) out.push(`| ${r.label} | ${f1(r.wall)} s | ${f1(r.cpu)} s | ${f2(r.score.meanRank)} | ${f3(r.score.map)} |`);
    out.push('');
    out.push(`Euclidean baseline against the chosen Poincaré run: reconstruction MAP ${f3(eucl.score.map)} against ${f3(chosen.score.map)}, mean rank ${f2(eucl.score.meanRank)} against ${f2(chosen.score.meanRank)} — this co-occurrence web is not a tree, and in 10 dimensions ${eucl.score.map > chosen.score.map ? 'the Euclidean embedding reconstructs it better' : 'the Poincaré embedding still reconstructs it better'}; the ball's advantage shows in parent retrieval below (norm = generality).`, '');
    if (!('error' in g)) {
      const mine = reconstruction(g.emb.vectors, g.emb.names.length, g.emb.dim, reindexAdjacency(prep, g.emb), 'poincare');
      out.push(`**Speed-up for the same number of epochs (chosen settings, seed 0): ${f1(g.train / chosen.wall)}× in wall time** (gensim ${f1(g.train)} s / Genrelab ${f1(chosen.wall)} s); CPU time ${f1(g.cpu / chosen.cpu)}× (gensim's CPU figure is the whole script, including its evaluation). Genrelab's evaluator on gensim's vectors: mean rank ${f2(mine.meanRank)}, MAP ${f3(mine.map)} (the script's own poincare_eval.py printed ${f2(g.meanRank)} / ${f3(g.map)}).`, '');
      out.push(`Reference output: \`${g.line}\`. Load average before gensim ${loadBefore}, after it ${loadAfterGensim}, after Genrelab's runs ${loadAfter}.`, '');
    }
    out.push('Command: `/usr/bin/python3 ../shared/reference/poincare_gensim.py ../shared/data/spotify-genres/data_w_genres_artists_genres_only_2021.csv 10 50 VECTORS.tsv` (wrapped to read its CPU time), then `EmbeddingTrainer` on the same graph; `reconstruction()` mirrors poincare_eval.py. gensim-like row: degree-proportional negatives and one direction per pair like gensim, but without gensim\'s L2 pull on the positive target and with negatives rejected in both directions.', '');

    // ---- parent retrieval ----
    out.push('### Parent retrieval against the taxonomies', '');
    out.push('hit@1 / hit@5 / hit@10 of the true parent. Constrained: candidates with a smaller norm and cosine ≥ 0 to the child, by Poincaré distance (parents_eval.py\'s query); plain: all genres by Poincaré distance; Euclidean: all genres by Euclidean distance in the Euclidean baseline. "exact": names lowercased, as parents_eval.py; "compact": also with spaces and punctuation removed (Last.fm and Tagtraum write "chicagoblues").', '');
    out.push('| taxonomy | names | pairs | Genrelab constrained | Genrelab plain | Genrelab Euclidean | gensim constrained | gensim plain |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const t of TAXA) {
      const text = readFileSync(taxonomy(t), 'utf8');
      for (const match of ['exact', 'compact'] as const) {
        const ours = evaluateParents(chosen.emb, text, { match, euclidean: eucl.emb });
        const theirs = 'error' in g ? null : evaluateParents(g.emb, text, { match });
        out.push(`| ${t} | ${match} | ${ours.pairs} | ${hits(ours.constrained)} | ${hits(ours.plain)} | ${hits(ours.euclidean)} | ${theirs ? hits(theirs.constrained) : '—'} | ${theirs ? hits(theirs.plain) : '—'} |`);
      }
    }
    out.push('');
    // seeds and the angle threshold, Discogs (exact)
    const disc = readFileSync(taxonomy('discogs'), 'utf8');
    out.push('Constrained hit@10 on Discogs (exact names) by seed and cosine threshold C:', '', '| embedding | C = 0 | C = 0.3 | C = 0.5 | C = 0.7 |', '| --- | --- | --- | --- | --- |');
    for (const r of [...runs.slice(0, 3), runs[3], runs[4]]) {
      const row = [0, 0.3, 0.5, 0.7].map((c) => f2(evaluateParents(r.emb, disc, { minCos: c }).constrained.hit10));
      out.push(`| ${r.label} | ${row.join(' | ')} |`);
    }
    out.push('');
    const directed = prepareGenreGraph(readFileSync(ITEMS, 'utf8'), { directed: true, tau: 0.1 });
    const dRun = train(directed, 'directed graph, τ = 0.1', RECOMMENDED_EMBEDDING);
    const dEv = evaluateParents(dRun.emb, disc);
    out.push(`Directed graph (i → j when j is on ≥ 10 % of i's artists; ${directed.graph.names.length} genres, ${directed.graph.src.length} arcs), same settings: Discogs constrained ${hits(dEv.constrained)}, plain ${hits(dEv.plain)}; the undirected graph scores constrained hit@10 ${f2(evaluateParents(chosen.emb, disc).constrained.hit10)} with the same settings (the undirected graph is the default).`, '');

    // ---- Ward ----
    const t0 = performance.now();
    const link = wardLinkage(chosen.emb.vectors, chosen.emb.names.length, DIM, 'poincare');
    const wardS = (performance.now() - t0) / 1000;
    out.push(`### Ward dendrogram`, '', `Ward linkage (Lance–Williams on Poincaré distances, nearest-neighbour chain) of all ${link.n} genres: ${f2(wardS)} s including the ${((link.n * (link.n - 1)) / 2).toLocaleString('en')} pairwise distances.`, '');
    rmSync(tmp, { recursive: true, force: true });
    return out.join('\n');
  },
};

/** The prepared graph's adjacency re-indexed to another embedding's name order (gensim orders genres differently). */
function reindexAdjacency(prep: PreparedGraph, emb: NamedEmbedding): PreparedGraph['adjacency'] {
  const pos = new Map(emb.names.map((n, i) => [n, i]));
  const map = prep.graph.names.map((n) => pos.get(n) ?? -1);
  if (map.some((x) => x < 0)) throw new Error('gensim vectors miss some genres of the graph');
  const src = Array.from(prep.graph.src, (a) => map[a]);
  const dst = Array.from(prep.graph.dst, (b) => map[b]);
  return buildAdjacency(emb.names.length, src, dst, true);
}
