// What the command-line commands share: reading a flag's value, finding a saved model's folder, and
// following a job (a progress bar on a terminal, stderr; Ctrl-C cancels the job, leaving the store
// consistent, and a second Ctrl-C exits).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { JobProgress } from '../../shared/types';
import { MANIFEST_FILE } from '../engine/ml/manifest';
import type { Services } from '../services';

export type Flags = ReadonlyMap<string, string | true>;

/** A flag's value; a flag given without one is a clear error. */
export function flagValue(flags: Flags, name: string): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new AppError('bad-request', `${name} needs a value`);
  return v;
}

/** A `train --out` folder holds the model in model/; accept either. */
export function modelFolder(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(join(abs, MANIFEST_FILE)) && existsSync(join(abs, 'model', MANIFEST_FILE))) return join(abs, 'model');
  return abs;
}

export function progressPrinter(enabled: boolean): (p: JobProgress) => void {
  let lastLen = 0;
  return (p) => {
    if (!enabled) return;
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
    const width = 24;
    const fill = p.total > 0 ? Math.round((width * p.done) / p.total) : 0;
    const line = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${p.done}/${p.total} ${p.message}`.slice(0, 110);
    process.stderr.write('\r' + line + ' '.repeat(Math.max(0, lastLen - line.length)));
    lastLen = line.length;
  };
}

/** Ctrl-C cancels the running job (the store stays consistent), a second Ctrl-C exits. */
export function cancelOnSigint(services: Services, jobId: string): () => void {
  let hits = 0;
  const onSig = () => {
    hits++;
    if (hits === 1) {
      process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
      services.jobs.cancel(jobId);
    } else process.exit(130);
  };
  process.on('SIGINT', onSig);
  return () => process.off('SIGINT', onSig);
}

/** Wait for a job, drawing a progress bar on a terminal and cancelling it on Ctrl-C. */
export async function follow<T>(services: Services, jobId: string, done: Promise<T>, json: boolean): Promise<T> {
  const tty = !json && process.stderr.isTTY === true;
  const show = progressPrinter(tty);
  services.jobs.on('progress', show);
  const off = cancelOnSigint(services, jobId);
  try {
    return await done;
  } finally {
    off();
    services.jobs.off('progress', show);
    if (tty) process.stderr.write('\n');
  }
}

