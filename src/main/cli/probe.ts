// `genrelab probe` — the latent probe from the command line: pitch- and tempo-shifted clips embedded
// by a saved model (or a stored run), transforms fitted between the embeddings, the table printed and
// written as JSON. Runs the same service and worker tasks as the app.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ProbeOutcome, ProbeRequest } from '../../shared/probes';
import type { JobProgress } from '../../shared/types';
import { MANIFEST_FILE } from '../engine/ml/manifest';
import { Services, unwrap } from '../services';
import { startProbe, probeStore } from '../services/probeHandlers';
import { probeJson, probeTableText } from '../services/probes';

export const PROBE_FLAGS = ['--folder', '--run', '--max-clips', '--pitch', '--tempo', '--max-seconds'] as const;

export const PROBE_USAGE = `  genrelab probe (--model DIR | --run N --db FILE) [--folder DIR] [--max-clips N] [--pitch 1.5] [--tempo 1.5]
                 [--max-seconds 30] [--seed N] --out probe.json [--json]
      Latent probe: every clip pitch-shifted (+50 %, same tempo) and tempo-shifted (+50 %, same pitch) by a
      phase vocoder, embedded by the model (dense hidden layer, CNN embedding), and X₊ ≈ A X + b fitted as
      translation, uniform / non-uniform scaling, scaled orthogonal and affine; prints MSE, R² and
      nearest-neighbour accuracy held-out (fit on half the clips, scored on the other half) and in-sample.
      --folder defaults to the library folders a --run trained on.`;

function num(flags: Map<string, string | true>, name: string, int: boolean): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || (int && !Number.isInteger(n))) throw new AppError('bad-request', `${name} must be ${int ? 'a whole number' : 'a number'}`);
  return n;
}

function str(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new AppError('bad-request', `${name} needs a value`);
  return v;
}

/** A `train --out` folder holds the model in model/; accept either. */
function modelFolder(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(join(abs, MANIFEST_FILE)) && existsSync(join(abs, 'model', MANIFEST_FILE))) return join(abs, 'model');
  return abs;
}

export async function cmdProbe(flags: Map<string, string | true>): Promise<number> {
  const json = flags.has('--json');
  const out = str(flags, '--out');
  if (!out) throw new AppError('bad-request', 'probe needs --out probe.json');
  const model = str(flags, '--model');
  const runId = num(flags, '--run', true);
  if (!model === (runId === undefined)) throw new AppError('bad-request', 'probe needs --model DIR (a saved model) or --run N (a stored run, with --db)');
  const dbArg = str(flags, '--db');
  if (runId !== undefined && !dbArg) throw new AppError('bad-request', '--run needs --db FILE (the database holding the run)');
  const folder = str(flags, '--folder');
  if (!folder && runId === undefined) throw new AppError('bad-request', 'probe --model needs --folder DIR (the audio to probe with)');
  const req: ProbeRequest = {
    runId,
    modelDir: model ? modelFolder(model) : undefined,
    folder: folder ? resolve(folder) : undefined,
    maxClips: num(flags, '--max-clips', true),
    pitch: num(flags, '--pitch', false),
    tempo: num(flags, '--tempo', false),
    maxSeconds: num(flags, '--max-seconds', false),
    seed: num(flags, '--seed', true),
    name: str(flags, '--name'),
  };
  const workers = num(flags, '--workers', true);
  // Without --db the probe goes to a scratch database: the result is the --out file.
  const scratch = dbArg ? null : await mkdtemp(join(tmpdir(), 'genrelab-probe-'));
  const services = new Services({ dbPath: dbArg ? resolve(dbArg) : join(scratch!, 'probe.sqlite'), dataDir: scratch ?? undefined, workers, transport: 'browser' });
  const tty = !json && process.stderr.isTTY === true;
  const show = (p: JobProgress) => {
    if (tty) process.stderr.write(`\r${`${p.done}/${p.total} ${p.message}`.slice(0, 100).padEnd(100)}`);
  };
  try {
    const { jobId, done } = await startProbe(services, req);
    services.jobs.on('progress', show);
    const onSig = () => services.jobs.cancel(jobId);
    process.once('SIGINT', onSig);
    let outcome: ProbeOutcome;
    try {
      outcome = await unwrap(done);
    } finally {
      process.off('SIGINT', onSig);
      services.jobs.off('progress', show);
      if (tty) process.stderr.write('\n');
    }
    const p = probeStore(services).get(outcome.probeId)!;
    const doc = probeJson(p);
    await writeFile(resolve(out), JSON.stringify(doc, null, 2));
    if (json) process.stdout.write(JSON.stringify(doc) + '\n');
    else {
      const held = p.pitchTable.test.length > 0;
      process.stdout.write(
        `${p.model}: ${p.layer}, ${p.clips} clips (${p.profile}${p.segments ? ', mean over 3-s segments' : ''}), pitch ×${p.pitch}, tempo ×${p.tempo}\n\n` +
          (held ? `held out (fit on ${p.pitchTable.train.length} clips, scored on the other ${p.pitchTable.test.length}):\n${probeTableText(p, 'heldOut')}\n\n` : '') +
          `in-sample (fit and scored on all ${p.clips} clips):\n${probeTableText(p, 'inSample')}\n\n` +
          p.warnings.map((w) => `  note: ${w}\n`).join('') +
          p.failed.map((f) => `  failed: ${f.path} — ${f.reason}\n`).join('') +
          `${p.seconds.toFixed(1)} s (clips ${p.timings.clips.toFixed(1)} s, embedding ${p.timings.embed.toFixed(1)} s, fits ${p.timings.fits.toFixed(1)} s) → ${resolve(out)}\n`,
      );
    }
    return 0;
  } finally {
    await services.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
