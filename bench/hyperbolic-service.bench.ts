// Hyperbolic service and view (issue 6, part A): what a user waits for. On the Spotify 2021 table:
// import through the service (worker), the training job with the Euclidean baseline in parallel
// (dimension 10, 50 epochs + 10 burn-in, evaluation included), neighbour / parent / dendrogram
// queries, the per-frame cost of re-centring the disk, and evaluate-parents against the reference
// script ../shared/reference/parents_eval.py on the same vectors (time and agreement), same run.
// Run alone with: npm run bench -- hyperbolic-service
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateParents } from '../src/main/engine/hyperbolic/parents';
import { Services, unwrap } from '../src/main/services';
import { getEmbeddingFlat } from '../src/main/store/embeddings';
import { diskBasis, displayCoords, geodesicAt } from '../src/renderer/src/views/hyperbolic/disk';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data');
const ITEMS = path.join(data, 'spotify-genres/data_w_genres_artists_genres_only_2021.csv');
const TAXA = ['discogs', 'lastfm', 'tagtraum'] as const;
const taxonomy = (t: string): string => path.join(data, `genre-taxonomy/acousticbrainz-mediaeval2017-${t}-train.stats`);
const PYTHON = '/usr/bin/python3';
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

export default {
  title: 'Hyperbolic service and view (issue 6)',
  async run(): Promise<string> {
    if (!existsSync(ITEMS)) return `Skipped: ${ITEMS} is absent (../shared/data is not beside this checkout).\n`;
    const out: string[] = [];
    out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average at start ${loadavg().map((x) => x.toFixed(1)).join(' / ')}. Services on a temporary database with 2 worker threads, as the app runs.`, '');
    const dir = mkdtempSync(path.join(tmpdir(), 'genrelab-hyper-bench-'));
    const s = new Services({ dbPath: path.join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
    try {
      // ---- import ----
      const [g, tImport] = await timed(() => s.handlers['hyper.import']({ path: ITEMS }));
      const [, tImport2] = await timed(() => s.handlers['hyper.import']({ path: ITEMS }));
      out.push('### Import and training through the service', '');
      out.push('| step | wall | notes |', '| --- | --- | --- |');
      out.push(`| \`hyper.import\` of the 2021 table (1.6 MB) | ${ms(tImport)} first, ${ms(tImport2)} again | ${g.report.rows} rows, ${g.nodes} genres, ${g.edges} edges, ${g.report.isolated} isolated; the first call starts the worker thread |`);

      // ---- training job: Poincaré + Euclidean in parallel ----
      const [outcome, tJob] = await timed(() => unwrap(s.hyper.startTraining({ graphId: g.id, dim: 10, epochs: 50, burnIn: 10, euclidean: true }).done));
      const P = getEmbeddingFlat(s.db, outcome.embeddingId)!;
      const E = getEmbeddingFlat(s.db, outcome.euclideanId!)!;
      out.push(`| \`hyper.train\` job, Poincaré + Euclidean baseline on 2 workers, 10-D, 10 + 50 epochs, evaluation included | ${f1(tJob / 1000)} s | training alone: Poincaré ${f1(P.seconds)} s, Euclidean ${f1(E.seconds)} s (sequentially they would take ${f1(P.seconds + E.seconds)} s before evaluation) |`);
      out.push('', '| embedding | MAP | mean rank |', '| --- | --- | --- |');
      out.push(`| Poincaré | ${f3(outcome.evaluation.map)} | ${f1(outcome.evaluation.meanRank)} |`);
      out.push(`| Euclidean baseline | ${f3(outcome.euclideanEvaluation!.map)} | ${f1(outcome.euclideanEvaluation!.meanRank)} |`, '');

      // ---- queries ----
      const names = P.names;
      const picks = Array.from({ length: 50 }, (_, i) => names[(i * 59) % names.length]!);
      await s.handlers['hyper.neighbours']({ embeddingId: P.id, genre: picks[0]!, k: 10 }); // parse + cache
      const [, tN] = await timed(async () => {
        for (const q of picks) await s.handlers['hyper.neighbours']({ embeddingId: P.id, genre: q, k: 10 });
      });
      const [, tP] = await timed(async () => {
        for (const q of picks) await s.handlers['hyper.parents']({ embeddingId: P.id, genre: q, k: 5 });
      });
      out.push('### Queries the view makes (2,952 genres, 10-D)', '');
      out.push('| query | wall |', '| --- | --- |');
      out.push(`| neighbours (k = 10), mean of 50 genres | ${ms(tN / 50)} |`);
      out.push(`| parents (k = 5, cone 90°), mean of 50 genres | ${ms(tP / 50)} |`);
      for (const top of [100, 400, 600]) {
        const [, t] = await timed(() => s.handlers['hyper.dendrogram']({ embeddingId: P.id, top }));
        out.push(`| Ward dendrogram of the top ${top} genres | ${ms(t)} |`);
      }
      const [, tAround] = await timed(() => s.handlers['hyper.dendrogram']({ embeddingId: P.id, top: 200, around: 'queens hip hop' }));
      out.push(`| Ward dendrogram of “queens hip hop” and its 199 nearest | ${ms(tAround)} |`, '');

      // ---- the disk's re-centring per animation frame ----
      const n = names.length;
      const disp = new Float64Array(2 * n);
      const a = P.flat.slice(0, 10);
      const b = P.flat.slice(10 * 205, 10 * 206);
      const frames = 300;
      const [basis, tBasis] = await timed(() => diskBasis(P.flat, n, 10));
      const [, tFrames] = await timed(() => {
        for (let f = 0; f < frames; f++) displayCoords(P.flat, n, 10, geodesicAt(a, b, f / frames), disp, basis);
      });
      out.push('### Disk animation', '');
      out.push(`Re-centring all ${n} genres (a Möbius transformation in 10-D, then each genre drawn at its true distance from the centre in the direction of its projection onto the two principal tangent directions) for one animation frame: **${ms(tFrames / frames)}** (mean of ${frames} frames in Node; the browser runs the same code), so the ~400 ms move along the geodesic has the compute budget for 60 frames a second; drawing the dots is the rest of a frame. The plane itself (10 × 10 second moments of log₀ and their eigenvectors) is found once per embedding, in ${ms(tBasis)}.`, '');

      // ---- evaluate-parents against parents_eval.py ----
      out.push('### Parent retrieval: Genrelab against parents_eval.py on the same vectors', '');
      const tsv = path.join(dir, 'poincare.tsv');
      writeFileSync(tsv, (await s.handlers['hyper.export']({ embeddingId: P.id, kind: 'gensim.tsv' })).data);
      const emb = { names: P.names, vectors: P.flat, dim: P.dim };
      const eu = { names: E.names, vectors: E.flat, dim: E.dim };
      out.push('| taxonomy | pairs | constrained hit@1/5/10 | plain hit@1/5/10 | Euclidean baseline hit@1/5/10 | Genrelab time | parents_eval.py time | same hits? |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const t of TAXA) {
        const text = readFileSync(taxonomy(t), 'utf8');
        const [r, tOurs] = await timed(() => evaluateParents(emb, text, { euclidean: eu }));
        let theirs = '—';
        let same = '—';
        if (existsSync(PYTHON)) {
          const t0 = performance.now();
          const py = spawnSync(PYTHON, [path.resolve(root, '../shared/reference/parents_eval.py'), tsv, taxonomy(t)], { encoding: 'utf8', timeout: 600_000 });
          const wall = performance.now() - t0;
          const line = (m: string) => (py.stdout ?? '').split('\n').find((l) => l.startsWith(m)) ?? '';
          const nums = (l: string) => [...l.matchAll(/hit@\d+=([0-9.]+)/g)].map((x) => Number(x[1]));
          const pc = nums(line('constrained'));
          const pp = nums(line('plain'));
          if (pc.length === 3 && pp.length === 3) {
            theirs = `${f1(wall)} ms (process, numpy)`;
            const mine = [r.constrained.hit1, r.constrained.hit5, r.constrained.hit10, r.plain.hit1, r.plain.hit5, r.plain.hit10].map((x) => Number(x.toFixed(3)));
            same = mine.every((x, i) => x === [...pc, ...pp][i]) ? 'yes, all six' : `no: ${[...pc, ...pp].join(' ')}`;
          } else theirs = `failed: ${(py.stderr || String(py.error)).slice(-200)}`;
        } else theirs = `${PYTHON} absent`;
        const h = (x: { hit1: number; hit5: number; hit10: number }) => `${f3(x.hit1)} / ${f3(x.hit5)} / ${f3(x.hit10)}`;
        out.push(`| ${t} | ${r.pairs} | ${h(r.constrained)} | ${h(r.plain)} | ${h(r.euclidean)} | ${ms(tOurs)} | ${theirs} | ${same} |`);
      }
      out.push('', 'Genrelab\'s time is `evaluateParents` in-process (what `genrelab evaluate-parents` runs after reading the files); the reference\'s is its whole process (Python start-up and numpy import included), so the ratio flatters Genrelab for small taxonomies: read it as "both are interactive".', '');
      out.push('Command: `npm run bench -- hyperbolic-service` (this file: `bench/hyperbolic-service.bench.ts`).');
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return out.join('\n') + '\n';
  },
};
