// `genrelab poincare | parents | neighbours | evaluate-parents` — the hyperbolic genre space from the
// command line. Training runs in-process with the worker task's own code (trainGenreEmbedding).
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { GenreHit } from '../../shared/hyperbolic';
import { evaluateParents, type HitRates } from '../engine/hyperbolic/parents';
import { trainGenreEmbedding } from '../jobs/hyperbolic';
import { embeddingJson, exportEmbedding, neighboursQuery, parentsQuery, parseEmbeddingFile, type ModelEmbedding } from '../services/hyperQuery';
import { resolveSettings } from '../services/hyperbolic';

export const HYPER_COMMANDS = ['poincare', 'parents', 'neighbours', 'evaluate-parents'] as const;
export type HyperCommand = (typeof HYPER_COMMANDS)[number];

export const HYPER_USAGE = `  genrelab poincare --cooccurrence <items.csv | edges.csv> [--directed --tau 0.3] [--dim 10] [--epochs 50]
                    [--negatives 10] [--burn-in 10] [--lr 0.1] [--seed N] [--euclidean] --out emb.json [--json]
      Embed genres in the Poincaré ball (--euclidean: the Euclidean baseline) from a co-occurrence table
      (a genres column of lists, or source,target[,weight]); writes {"model","dim","names","vectors"}
      (a name<TAB>coordinates TSV when --out ends in .tsv) and prints nodes, edges, meanRank, map, seconds.
  genrelab parents --embedding emb.json --genre "queens hip hop" [-k 5] [--min-cos 0] [--norm-ratio 1] [--json]
      Likely parents: nearer the centre (smaller norm) and in the same direction (cosine ≥ --min-cos).
  genrelab neighbours --embedding emb.json --genre NAME [-k 10] [--json]
      Nearest genres.
  genrelab evaluate-parents --embedding emb.json --taxonomy FILE.stats [--euclidean emb-euclidean.json]
                            [--min-cos 0] [--match exact|compact] [--json]
      hit@1/5/10 of the true parent of every parent---child pair whose names are embedded, for
      Poincaré-constrained, plain nearest-neighbour and Euclidean retrieval.`;

interface Args {
  flags: Map<string, string | true>;
}

const VALUED = new Set([
  '--cooccurrence', '--tau', '--dim', '--epochs', '--negatives', '--burn-in', '--lr', '--seed', '--out', '--embedding', '--genre',
  '-k', '--k', '--min-cos', '--norm-ratio', '--taxonomy', '--match', '--db', '--workers', '--data-dir',
]);
/** Valued for evaluate-parents (a file), a switch for poincare. */
const SWITCH_IN_POINCARE = new Set(['--euclidean']);

function parse(cmd: HyperCommand, argv: string[]): Args {
  const flags = new Map<string, string | true>();
  const start = argv.indexOf(cmd);
  for (let i = start + 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) throw new AppError('bad-request', `unexpected argument "${a}" (values follow their --option)`);
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const valued = VALUED.has(name) || (name === '--euclidean' && cmd !== 'poincare');
    if (eq > 0) flags.set(name, a.slice(eq + 1));
    else if (valued) {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new AppError('bad-request', `${name} needs a value`);
      flags.set(name, v);
      i++;
    } else if (SWITCH_IN_POINCARE.has(name) || ['--directed', '--json', '--help'].includes(name)) flags.set(name, true);
    else throw new AppError('bad-request', `unknown option ${name} for ${cmd}`);
  }
  if (flags.has('-k')) flags.set('--k', flags.get('-k')!);
  return { flags };
}

function str(a: Args, name: string, what?: string): string | undefined {
  const v = a.flags.get(name);
  if (v === true) throw new AppError('bad-request', `${name} needs a value`);
  if (v === undefined && what) throw new AppError('bad-request', what);
  return v;
}

function number(a: Args, name: string): number | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new AppError('bad-request', `${name} must be a number, got "${v}"`);
  return x;
}

async function readText(file: string, what: string): Promise<string> {
  const abs = resolve(file);
  return readFile(abs, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new AppError(err.code === 'ENOENT' ? 'not-found' : 'io', `Cannot read the ${what} ${abs}: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`);
  });
}

async function loadEmbedding(file: string): Promise<ModelEmbedding> {
  return parseEmbeddingFile(await readText(file, 'embedding'), file);
}

const out = (s: string): void => {
  process.stdout.write(s);
};

async function cmdPoincare(a: Args): Promise<number> {
  const json = a.flags.has('--json');
  const input = str(a, '--cooccurrence', 'poincare needs --cooccurrence <items.csv | edges.csv>')!;
  const outFile = str(a, '--out', 'poincare needs --out emb.json (or emb.tsv)')!;
  const euclidean = a.flags.has('--euclidean');
  const settings = resolveSettings(
    {
      directed: a.flags.has('--directed'),
      tau: number(a, '--tau'),
      dim: number(a, '--dim'),
      epochs: number(a, '--epochs'),
      negatives: number(a, '--negatives'),
      burnIn: number(a, '--burn-in'),
      lr: number(a, '--lr'),
      seed: number(a, '--seed'),
    },
    { directed: false, tau: 0.3 },
  );
  if (a.flags.has('--tau') && !settings.directed) throw new AppError('bad-request', '--tau applies to the directed graph: add --directed');
  const text = await readText(input, 'co-occurrence table');
  const tty = !json && process.stderr.isTTY === true;
  const r = trainGenreEmbedding(
    { ...settings, text, tau: settings.tau ?? 0.3, model: euclidean ? 'euclidean' : 'poincare' },
    (q) => {
      if (!tty) return;
      const line = q.kind === 'epoch' ? `epoch ${q.epoch}/${q.total}${q.burnIn ? ' (burn-in)' : ''} loss ${q.loss.toFixed(4)}` : `evaluating ${q.done}/${q.total}`;
      process.stderr.write(`\r${line.padEnd(60)}`);
    },
  );
  if (tty) process.stderr.write('\n');
  const emb: ModelEmbedding = { names: r.names, vectors: r.vectors, dim: r.dim, model: r.model };
  const abs = resolve(outFile);
  await writeFile(abs, /\.tsv$/i.test(abs) ? exportEmbedding(emb, 'gensim.tsv', 'embedding').data : embeddingJson(emb));
  const ev = r.evaluation!;
  const summary = { nodes: r.names.length, edges: r.src.length, meanRank: ev.meanRank, map: ev.map, seconds: Number(r.seconds.toFixed(3)) };
  if (json) out(JSON.stringify(summary) + '\n');
  else {
    out(
      `${r.model === 'poincare' ? 'Poincaré' : 'Euclidean'} embedding, ${r.dim}-D: ${summary.nodes} genres, ${summary.edges} ${settings.directed ? 'directed' : 'undirected'} edges; ` +
        `mean rank ${ev.meanRank.toFixed(2)}, MAP ${ev.map.toFixed(4)}; trained in ${r.seconds.toFixed(1)} s → ${abs}\n`,
    );
  }
  return 0;
}

function printHits(title: string, query: GenreHit, hits: GenreHit[]): void {
  out(`${title} of “${query.name}” (norm ${query.norm.toFixed(4)}):\n`);
  if (hits.length === 0) out('  none: no genre satisfies the constraints (try a lower --min-cos or a higher --norm-ratio)\n');
  hits.forEach((h, i) => {
    out(`  ${String(i + 1).padStart(2)}. ${h.name.padEnd(32)} distance ${h.distance.toFixed(4)}  norm ${h.norm.toFixed(4)}  cos ${h.cos.toFixed(3)}\n`);
  });
}

const hitJson = (h: GenreHit) => ({ name: h.name, distance: h.distance, norm: h.norm, cos: h.cos });

async function cmdQuery(cmd: 'parents' | 'neighbours', a: Args): Promise<number> {
  const json = a.flags.has('--json');
  const file = str(a, '--embedding', `${cmd} needs --embedding emb.json`)!;
  const genre = str(a, '--genre', `${cmd} needs --genre NAME`)!;
  const kv = number(a, '--k');
  const emb = await loadEmbedding(file);
  const r =
    cmd === 'parents'
      ? parentsQuery(emb, genre, { k: kv ?? 5, minCos: number(a, '--min-cos'), normRatio: number(a, '--norm-ratio') })
      : neighboursQuery(emb, genre, kv ?? 10);
  if (json) out(JSON.stringify({ genre: r.query.name, norm: r.query.norm, [cmd]: r.hits.map(hitJson) }) + '\n');
  else printHits(cmd === 'parents' ? 'Likely parents' : 'Nearest genres', r.query, r.hits);
  return 0;
}

async function cmdEvaluateParents(a: Args): Promise<number> {
  const json = a.flags.has('--json');
  const emb = await loadEmbedding(str(a, '--embedding', 'evaluate-parents needs --embedding emb.json')!);
  if (emb.model !== 'poincare') throw new AppError('bad-request', '--embedding must be a Poincaré embedding; give a Euclidean one with --euclidean FILE');
  const taxonomy = await readText(str(a, '--taxonomy', 'evaluate-parents needs --taxonomy FILE (parent---child<TAB>count rows)')!, 'taxonomy');
  const eucFile = str(a, '--euclidean');
  const euclidean = eucFile ? await loadEmbedding(eucFile) : undefined;
  const match = (str(a, '--match') ?? 'exact') as 'exact' | 'compact';
  if (match !== 'exact' && match !== 'compact') throw new AppError('bad-request', '--match is exact or compact');
  const minCos = number(a, '--min-cos') ?? 0;
  if (!(minCos >= -1 && minCos <= 1)) throw new AppError('bad-request', '--min-cos must lie in [-1, 1]');
  const r = evaluateParents(emb, taxonomy, { minCos, match, euclidean });
  if (r.taxonomyPairs === 0) throw new AppError('bad-request', 'The taxonomy holds no parent---child rows');
  const doc = { pairs: r.pairs, taxonomyPairs: r.taxonomyPairs, constrained: r.constrained, plain: r.plain, euclidean: r.euclidean, euclideanSource: r.euclideanSource, minCos, match };
  if (json) out(JSON.stringify(doc) + '\n');
  else {
    const row = (name: string, h: HitRates) => `  ${name.padEnd(34)} ${h.hit1.toFixed(3)}   ${h.hit5.toFixed(3)}   ${h.hit10.toFixed(3)}\n`;
    out(`${r.pairs} of ${r.taxonomyPairs} parent–child pairs have both names in the embedding (${match} names)\n`);
    out(`  ${'retrieval'.padEnd(34)} hit@1   hit@5   hit@10\n`);
    out(row(`Poincaré, constrained (cos ≥ ${minCos})`, r.constrained));
    out(row('Poincaré, nearest neighbours', r.plain));
    out(row(r.euclideanSource === 'euclidean-embedding' ? 'Euclidean embedding' : 'Euclidean distance, same vectors', r.euclidean));
  }
  return 0;
}

/** Run one hyperbolic command; errors are thrown as AppError for the CLI's common handler. */
export async function hyperCli(cmd: HyperCommand, argv: string[]): Promise<number> {
  const a = parse(cmd, argv);
  switch (cmd) {
    case 'poincare':
      return cmdPoincare(a);
    case 'parents':
    case 'neighbours':
      return cmdQuery(cmd, a);
    case 'evaluate-parents':
      return cmdEvaluateParents(a);
  }
}
