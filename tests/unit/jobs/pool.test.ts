import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/main/jobs/pool';
import { JobManager } from '../../../src/main/jobs/manager';
import { AppError } from '../../../src/shared/errors';

let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.destroy();
  pool = null;
});

describe('WorkerPool', () => {
  it('runs tasks on separate worker threads and returns their results', async () => {
    pool = new WorkerPool(2);
    const out = await Promise.all([0, 1, 2, 3].map((v) => pool!.run('spin', { ms: 50, value: v })));
    expect(out.map((o) => o.value)).toEqual([0, 1, 2, 3]);
    const threads = new Set(out.map((o) => o.thread));
    expect(threads.size).toBe(2);
    expect([...threads].every((t) => t > 0)).toBe(true); // not the main thread (0)
  });

  it('cancels a running task within a second by terminating its worker, then keeps working', async () => {
    pool = new WorkerPool(1);
    const ac = new AbortController();
    const long = pool.run('spin', { ms: 20_000, value: 1 }, ac.signal);
    const queued = pool.run('spin', { ms: 10, value: 2 }, ac.signal);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    ac.abort();
    await expect(long).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(queued).rejects.toMatchObject({ kind: 'cancelled' });
    expect(Date.now() - t0).toBeLessThan(1000);
    const after = await pool.run('spin', { ms: 10, value: 3 });
    expect(after.value).toBe(3);
  });

  it('forwards progress reported by a task to the caller', async () => {
    pool = new WorkerPool(1);
    const seen: number[] = [];
    await pool.run('spin', { ms: 80, value: 0 }, undefined, (ms) => seen.push(ms));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((v, i) => i === 0 || v > seen[i - 1]!)).toBe(true);
  });

  it('reports a bad task name as an error value', async () => {
    pool = new WorkerPool(1);
    await expect(pool.run('nope' as 'spin', { ms: 1, value: 0 })).rejects.toBeInstanceOf(AppError);
  });
});

describe('JobManager', () => {
  it('reports progress, finishes with the result, and cancels through the AbortSignal', async () => {
    const jobs = new JobManager();
    const seen: number[] = [];
    jobs.on('progress', (p) => seen.push(p.done));
    const ok = jobs.start('t', async (ctx) => {
      for (let i = 1; i <= 3; i++) ctx.progress(i, 3, `step ${i}`);
      return 42;
    });
    const info = await ok.done;
    expect(info.state).toBe('done');
    expect(info.result).toBe(42);
    expect(seen.at(-1)).toBe(3);

    const slow = jobs.start('t', async (ctx) => {
      while (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, 10));
      ctx.checkCancelled();
      return 0;
    });
    expect(jobs.cancel(slow.jobId)).toBe(true);
    const c = await slow.done;
    expect(c.state).toBe('cancelled');
    expect(jobs.cancel(slow.jobId)).toBe(false);
  });

  it('turns a thrown error into a failed job with the error as a value', async () => {
    const jobs = new JobManager();
    const j = jobs.start('t', async () => {
      throw new AppError('io', 'disk on fire');
    });
    const info = await j.done;
    expect(info.state).toBe('failed');
    expect(info.error).toEqual({ kind: 'io', message: 'disk on fire' });
  });
});
