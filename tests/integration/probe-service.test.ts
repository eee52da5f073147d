// Latent probes and out-of-domain placement through the services, on synthetic clips (the project's
// synthesiser): a dense network and a kNN are trained on a small library; the probe shifts every clip's
// pitch and tempo in the worker pool, embeds the three versions with the dense network's hidden layer,
// fits the transforms and stores the table; cancelling stores nothing; a model without an embedding is
// refused; a version is served as WAV. A second folder is placed into PCA, t-SNE and UMAP maps of the
// features and into a PCA map of the model's hidden layer (the recomputed points must reproduce it).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaceOutcome, ProbeOutcome } from '../../src/shared/probes';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { decodeWavPcm } from '../../src/main/engine/audio/wav';
import { Services } from '../../src/main/services';
import { probeJson, probeTableText } from '../../src/main/services/probes';
import { main } from '../../src/main/cli';

let dir: string;
let s: Services;
let denseRun = 0;
let knnRun = 0;
let musicId = 0;
const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const PER = 4;

function writeClips(root: string, styles: DemoStyle[], per: number, seconds: number, seed: number): void {
  styles.forEach((style, si) => {
    for (let i = 0; i < per; i++) {
      const file = join(root, style, `${style}.${String(i).padStart(2, '0')}.wav`);
      mkdirSync(join(root, style), { recursive: true });
      writeFileSync(file, encodeWav(synthesiseClip(style, seed + 37 * si + i, seconds), 22050));
    }
  });
}

/** Little-endian Float32 from base64 (the wire form of map points). */
function f32(b64: string): Float32Array {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

async function job<R>(jobId: string): Promise<{ state: string; result: R | null; error: { kind: string; message: string } | null }> {
  const info = await s.jobs.wait(jobId);
  return { state: info.state, result: info.result as R | null, error: info.error };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-probe-'));
  writeClips(join(dir, 'music'), STYLES, PER, 6, 500);
  writeClips(join(dir, 'other'), ['disco', 'reggae'], 3, 6, 900);
  writeClips(join(dir, 'more'), ['hiphop'], 3, 6, 1300);
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
  const ing = await s.startIngest(join(dir, 'music'), 'gtzan57');
  musicId = ing.folderId;
  expect((await ing.done).extracted).toBe(STYLES.length * PER);
  const params = { hidden: [16], maxEpochs: 60, patience: 60, validationFraction: 0 };
  denseRun = (await s.startTraining({ model: 'dense', evaluation: { kind: 'holdout', testFraction: 0.25 }, params, seed: 1 }).done).runId;
  knnRun = (await s.startTraining({ model: 'knn', evaluation: { kind: 'holdout', testFraction: 0.25 }, seed: 1 }).done).runId;
}, 240_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('probe service', () => {
  it('probes the tracks a dense run trained on: both tables, in-sample and held-out, stored and listed', async () => {
    const progress: number[] = [];
    const onProgress = (p: { done: number }) => progress.push(p.done);
    s.jobs.on('progress', onProgress);
    const { jobId } = await s.handlers['probe.start']({ runId: denseRun, seed: 2 });
    const r = await job<ProbeOutcome>(jobId);
    s.jobs.off('progress', onProgress);
    expect(r.error).toBeNull();
    expect(r.state).toBe('done');
    const p = await s.handlers['probe.get']({ probeId: r.result!.probeId });
    const n = STYLES.length * PER;
    expect(p.clips).toBe(n);
    expect(p.clipList.map((c) => c.label).sort()).toEqual(STYLES.flatMap((st) => new Array(PER).fill(st)).sort());
    expect(p.dims).toBe(16);
    expect(p.layer).toMatch(/16 units/);
    expect(p.profile).toBe('gtzan57');
    expect(p.pitch).toBe(1.5);
    expect(p.tempo).toBe(1.5);
    for (const t of [p.pitchTable, p.tempoTable]) {
      expect(t.rows.map((x) => x.kind)).toEqual(['identity', 'translation', 'uniform', 'diagonal', 'orthogonal', 'affine']);
      expect(t.n).toBe(n);
      expect(t.train.length + t.test.length).toBe(n);
      for (const row of t.rows) {
        for (const sc of [row.inSample, row.heldOut!]) {
          expect(Number.isFinite(sc.mse) && sc.mse >= 0).toBe(true);
          expect(sc.r2).toBeLessThanOrEqual(1 + 1e-12);
          expect(sc.nnAccuracy).toBeGreaterThanOrEqual(0);
          expect(sc.nnAccuracy).toBeLessThanOrEqual(1);
        }
      }
      // nested in-sample fits: MSE never grows from translation to uniform to diagonal, or uniform to orthogonal
      const mse = Object.fromEntries(t.rows.map((x) => [x.kind, x.inSample.mse]));
      expect(mse.uniform!).toBeLessThanOrEqual(mse.translation! + 1e-9);
      expect(mse.diagonal!).toBeLessThanOrEqual(mse.uniform! + 1e-9);
      expect(mse.orthogonal!).toBeLessThanOrEqual(mse.uniform! + 1e-9);
    }
    // the shifts move the embeddings: the identity is not a perfect fit
    expect(p.pitchTable.rows[0]!.inSample.mse).toBeGreaterThan(0);
    expect(p.tempoTable.rows[0]!.inSample.mse).toBeGreaterThan(0);
    expect(progress.some((x) => x > 0)).toBe(true);
    const list = await s.handlers['probe.list'](undefined);
    expect(list[0]!.id).toBe(p.id);
    expect(list[0]!.headline.pitch).toBe(p.pitchTable.rows[5]!.heldOut!.nnAccuracy);
    // text table and JSON for the CLI
    const text = probeTableText(p);
    expect(text.split('\n')).toHaveLength(8);
    expect(text).toContain('scaled orthogonal (Procrustes)');
    expect((probeJson(p).pitchTable as unknown[]).length).toBe(6);

    // one version as WAV: 2 s at 22,050 Hz, not silent
    const wav = await s.handlers['probe.audio']({ probeId: p.id, clip: 0, version: 'pitch', seconds: 2 });
    expect(wav.mime).toBe('audio/wav');
    const pcm = decodeWavPcm(Buffer.from(wav.data, 'base64'));
    expect(pcm.sampleRate).toBe(22050);
    expect(pcm.channelData[0]!.length).toBe(44100);
    expect(pcm.channelData[0]!.some((v) => Math.abs(v) > 0.01)).toBe(true);
    await expect(s.handlers['probe.audio']({ probeId: p.id, clip: 999, version: 'tempo' })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('probes a folder of audio (a seeded sample) with a saved model folder', async () => {
    const modelDir = s.runs.modelDir(denseRun)!;
    const { jobId } = await s.handlers['probe.start']({ modelDir, folder: join(dir, 'other'), maxClips: 4, seed: 5 });
    const r = await job<ProbeOutcome>(jobId);
    expect(r.error).toBeNull();
    const p = await s.handlers['probe.get']({ probeId: r.result!.probeId });
    expect(p.clips).toBe(4);
    expect(p.runId).toBeNull();
    expect(p.warnings.join(' ')).toMatch(/sample of 4 of the 6/);
    expect(p.pitchTable.test).toHaveLength(2);
  });

  it('genrelab probe --model DIR --folder DIR --out probe.json --json (a scratch database)', async () => {
    const out = join(dir, 'probe.json');
    const writes: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['probe', '--model', s.runs.modelDir(denseRun)!, '--folder', join(dir, 'other'), '--max-clips', '4', '--workers', '1', '--out', out, '--json']);
    } finally {
      process.stdout.write = orig;
    }
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { clips: unknown[]; pitchTable: { kind: string }[]; tempoTable: unknown[]; dims: number };
    expect(doc.clips).toHaveLength(4);
    expect(doc.pitchTable.map((r) => r.kind)).toEqual(['identity', 'translation', 'uniform', 'diagonal', 'orthogonal', 'affine']);
    expect(doc.dims).toBe(16);
    expect(JSON.parse(writes.join('').trim().split('\n').pop()!)).toEqual(doc);
    // a bad invocation: a clear message and a non-zero status
    const err: string[] = [];
    const origErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['probe', '--model', s.runs.modelDir(denseRun)!, '--out', out])).toBe(2);
    } finally {
      process.stderr.write = origErr;
    }
    expect(err.join('')).toMatch(/needs --folder/);
  });

  it('cancelling stores nothing; a model without an embedding and a bad request are refused', async () => {
    const before = (await s.handlers['probe.list'](undefined)).length;
    const { jobId } = await s.handlers['probe.start']({ runId: denseRun });
    s.jobs.cancel(jobId);
    expect((await job(jobId)).state).toBe('cancelled');
    expect(await s.handlers['probe.list'](undefined)).toHaveLength(before);

    const knn = await job((await s.handlers['probe.start']({ runId: knnRun })).jobId);
    expect(knn.state).toBe('failed');
    expect(knn.error?.kind).toBe('unsupported');
    await expect(s.handlers['probe.start']({})).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(s.handlers['probe.start']({ runId: denseRun, pitch: 5 })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(s.handlers['probe.start']({ runId: 9999 })).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('out-of-domain placement', () => {
  let otherId = 0;
  it('adds a folder path to the library and places it into a PCA map of the features (exact projection)', async () => {
    const map = await s.startMap({ source: { kind: 'features', folderIds: [musicId] }, method: 'pca', dims: 3 }).done;
    const { jobId } = await s.handlers['maps.place']({ mapId: map.mapId, path: join(dir, 'other') });
    const r = await job<PlaceOutcome>(jobId);
    expect(r.error).toBeNull();
    expect(r.result!.method).toBe('pca-projection');
    expect(r.result!.n).toBe(6);
    const folders = await s.handlers['library.folders'](undefined);
    otherId = folders.find((f) => f.path === join(dir, 'other'))!.id;
    const [pl] = await s.handlers['maps.placements']({ mapId: map.mapId });
    expect(pl!.name).toBe('out of domain: other');
    expect(pl!.meta).toHaveLength(6);
    expect(pl!.meta.every((m) => m.group === 'out of domain: other' && m.trackId !== null && STYLES.includes(m.nearest as DemoStyle))).toBe(true);
    expect(pl!.landing.reduce((a, b) => a + b.count, 0)).toBe(6);
    expect(Buffer.from(pl!.points, 'base64').byteLength).toBe(6 * 3 * 4);
    // placing the map's own folder again: every track is already a point
    const again = await job((await s.handlers['maps.place']({ mapId: map.mapId, folderId: musicId })).jobId);
    expect(again.state).toBe('failed');
    expect(again.error?.message).toMatch(/already a point/);
  });

  it('t-SNE (neighbour mean, inside the cloud) and UMAP (transform) maps', async () => {
    for (const method of ['tsne', 'umap'] as const) {
      const map = await s.startMap({ source: { kind: 'features', folderIds: [musicId] }, method, dims: 2, perplexity: 3, neighbours: 5, iterations: 250, seed: 1 }).done;
      const r = await job<PlaceOutcome>((await s.handlers['maps.place']({ mapId: map.mapId, folderId: otherId, k: 3 })).jobId);
      expect(r.error, method).toBeNull();
      expect(r.result!.method).toBe(method === 'tsne' ? 'knn-mean' : 'umap-transform');
      const [pl] = await s.handlers['maps.placements']({ mapId: map.mapId });
      const pts = f32(pl!.points);
      expect(pts.every((v) => Number.isFinite(v))).toBe(true);
      if (method === 'tsne') {
        const detail = await s.handlers['maps.get']({ mapId: map.mapId });
        const mp = f32(detail.points);
        for (let c = 0; c < 2; c++) {
          const col = Array.from({ length: detail.n }, (_, i) => mp[i * 2 + c]!);
          for (let i = 0; i < 6; i++) {
            expect(pts[i * 2 + c]!).toBeGreaterThanOrEqual(Math.min(...col) - 1e-6);
            expect(pts[i * 2 + c]!).toBeLessThanOrEqual(Math.max(...col) + 1e-6);
          }
        }
        expect(pl!.note).toMatch(/t-SNE has no transform/);
      }
      // deleting a placement
      expect(await s.handlers['maps.deletePlacement']({ placementId: pl!.id })).toEqual({ deleted: true });
      expect(await s.handlers['maps.placements']({ mapId: map.mapId })).toHaveLength(0);
    }
  });

  it('a PCA map of the dense run’s hidden layer: the recomputed embeddings reproduce the map, so the projection is exact', async () => {
    // the run named no folders, so its map holds every labelled folder there is now (music and other)
    const map = await s.startMap({ source: { kind: 'run', runId: denseRun }, method: 'pca', dims: 3 }).done;
    expect((await s.handlers['maps.get']({ mapId: map.mapId })).n).toBe(STYLES.length * PER + 6);
    const r = await job<PlaceOutcome>((await s.handlers['maps.place']({ mapId: map.mapId, path: join(dir, 'more') })).jobId);
    expect(r.error?.message ?? null).toBeNull();
    expect(r.result!.method).toBe('pca-projection');
    const [pl] = await s.handlers['maps.placements']({ mapId: map.mapId });
    expect(pl!.n).toBe(3);
    expect(pl!.warnings).toEqual([]);
  });
});
