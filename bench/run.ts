// `npm run bench`: runs every bench/*.bench.ts module and writes BENCHMARKS.md.
// Each module default-exports { title, run(): Promise<string /* Markdown section */> }.
// Usage: npm run bench [-- name-filter ...]   (a filter keeps only matching modules; the other
// sections of BENCHMARKS.md are kept as they were, so one area can be re-measured alone)
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  title: string;
  run: () => Promise<string>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'BENCHMARKS.md');
const BEGIN = (name: string) => `<!-- bench:${name} -->`;
const END = (name: string) => `<!-- /bench:${name} -->`;

async function previousSections(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let text = '';
  try {
    text = await readFile(OUT, 'utf8');
  } catch {
    return map;
  }
  const re = /<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (let m = re.exec(text); m; m = re.exec(text)) map.set(m[1]!, m[2]!);
  return map;
}

export async function runBenchmarks(filters: string[]): Promise<void> {
  const files = (await readdir(join(root, 'bench'))).filter((f) => f.endsWith('.bench.ts')).sort();
  const sections = await previousSections();
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, '');
    if (filters.length && !filters.some((x) => name.includes(x))) continue;
    const mod = (await import(pathToFileURL(join(root, 'bench', f)).href)) as { default: BenchModule };
    process.stderr.write(`bench: ${name} — ${mod.default.title}\n`);
    const t0 = performance.now();
    let body: string;
    try {
      body = await mod.default.run();
    } catch (err) {
      body = `**This benchmark failed:** ${(err as Error)?.stack ?? String(err)}\n`;
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    sections.set(name, `## ${mod.default.title}\n\n${body.trim()}\n\n_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${secs} s._\n`);
    process.stderr.write(`bench: ${name} done in ${secs} s\n`);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const head = [
    '# Genrelab benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts runs every `bench/*.bench.ts`; `npm run bench -- NAME` re-runs one',
    'section and keeps the others). Speed is compared with the reference tools as ratios taken in the same run,',
    'because these machines are shared and noisy. Figures in each section say how they were measured.',
    '',
    `Last run on: ${machine}.`,
    '',
  ].join('\n');
  const body = [...sections.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, text]) => `${BEGIN(name)}\n${text.trimEnd()}\n${END(name)}`)
    .join('\n\n');
  await writeFile(OUT, `${head}\n${body}\n`);
  process.stderr.write(`bench: wrote ${OUT}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runBenchmarks(process.argv.slice(2));
}
