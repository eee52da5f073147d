// Ingest throughput on the shared GTZAN clips: decode and feature seconds per 30-second clip, and the
// speed-up of the worker pool (2 workers vs 1), through the real service (SQLite, worker threads).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Services } from '../src/main/services';

const audio = resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'gtzan-audio');

async function ingestOnce(workers: number, profile: string) {
  const dir = mkdtempSync(join(tmpdir(), 'genrelab-bench-ingest-'));
  const s = new Services({ dbPath: join(dir, 'b.sqlite'), dataDir: dir, workers });
  try {
    // Warm the workers (module loading, wasm) so that start-up is not counted as ingest time.
    await Promise.all(Array.from({ length: workers }, () => s.pool.run('spin', { ms: 1, value: 0 })));
    const { done } = await s.startIngest(audio, profile);
    const r = await done;
    if (r.failed.length) throw new Error(`ingest failed on ${r.failed.length} files: ${r.failed[0]!.reason}`);
    return r;
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  title: 'Ingest throughput (decode + features + store, shared GTZAN clips)',
  async run(): Promise<string> {
    if (!existsSync(audio)) return `Skipped: ${audio} is absent.`;
    const lines = [
      `Command: \`npm run bench -- ingest\`. Full ingest of the ${'{n}'} shared 30-second GTZAN clips (22,050 Hz mono WAV)`,
      'into a fresh SQLite file through the library service and the worker pool, profile `gtzan57` (all 57 columns',
      'plus 3-second segments). Decode and feature figures are worker-thread seconds per clip (summed over workers);',
      'wall time is the whole ingest. The pool was warmed first. The machine has ' + availableParallelism() + ' cores.',
      '',
      '| workers | clips | wall s | wall s / clip | decode s / clip | features s / clip | speed-up vs 1 worker |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    ];
    const one = await ingestOnce(1, 'gtzan57');
    const two = await ingestOnce(2, 'gtzan57');
    const n = one.tracks;
    for (const [w, r] of [
      [1, one],
      [2, two],
    ] as const) {
      lines.push(
        `| ${w} | ${r.extracted} | ${r.seconds.toFixed(2)} | ${(r.seconds / r.extracted).toFixed(3)} | ${(r.decodeSeconds / r.extracted).toFixed(4)} | ` +
          `${(r.featureSeconds / r.extracted).toFixed(3)} | ${(one.seconds / r.seconds).toFixed(2)}× |`,
      );
    }
    const speedup = one.seconds / two.seconds;
    lines.push('', `Worker-pool speed-up on 2 workers: **${speedup.toFixed(2)}×** (target ≥ 1.8×: ${speedup >= 1.8 ? 'met' : 'NOT met'}).`);
    return lines.join('\n').replace('{n}', String(n));
  },
};
