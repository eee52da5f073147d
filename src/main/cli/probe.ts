// `genrelab probe` — the latent probe from the command line: pitch- and tempo-shifted clips embedded
// by a saved model (or a stored run), transforms fitted between the embeddings, the table printed and
// written as JSON. Runs the same service and worker tasks as the app.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ProbeRequest } from '../../shared/probes';
import { Services, unwrap } from '../services';
import { startProbe, probeStore } from '../services/probeHandlers';
import { probeJson, probeTableText } from '../services/probes';
import { flagValue, follow, modelFolder } from './common';

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


export async function cmdProbe(flags: Map<string, string | true>): Promise<number> {
  const json = flags.has('--json');
  const out = flagValue(flags, '--out');
  if (!out) throw new AppError('bad-request', 'probe needs --out probe.json');
  const model = flagValue(flags, '--model');
  const runId = num(flags, '--run', true);
  if (!model === (runId === undefined)) throw new AppError('bad-request', 'probe needs --model DIR (a saved model) or --run N (a stored run, with --db)');
  const dbArg = flagValue(flags, '--db');
  if (runId !== undefined && !dbArg) throw new AppError('bad-request', '--run needs --db FILE (the database holding the run)');
  const folder = flagValue(flags, '--folder');
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
    name: flagValue(flags, '--name'),
  };
  const workers = num(flags, '--workers', true);
  // Without --db the probe goes to a scratch database: the result is the --out file.
  const scratch = dbArg ? null : await mkdtemp(join(tmpdir(), 'genrelab-probe-'));
  const services = new Services({ dbPath: dbArg ? resolve(dbArg) : join(scratch!, 'probe.sqlite'), dataDir: scratch ?? undefined, workers, transport: 'browser' });
  try {
    const { jobId, done } = await startProbe(services, req);
    const outcome = await follow(services, jobId, unwrap(done), json);
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
