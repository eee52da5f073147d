// Service integration: a real SQLite file, real audio files written by the test, the worker pool.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Services } from '../../src/main/services';
import { featureSetFor } from '../../src/main/services/library';
import { pcm16Wav, toneSample, writePcm16Wav } from '../helpers/wav';

const SR = 22050;
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
if (!hasFfmpeg) console.warn('[skip] genre-tag test: ffmpeg is not installed');
let dir: string;
let lib: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-ingest-'));
  lib = join(dir, 'library');
  for (const g of ['rock', 'jazz', 'odd cases ñ']) mkdirSync(join(lib, g), { recursive: true });
  writePcm16Wav(join(lib, 'rock', 'rock.1.wav'), { sampleRate: SR, channels: 1, frames: SR * 4, sample: toneSample(1, SR) });
  writePcm16Wav(join(lib, 'rock', 'rock.2.wav'), { sampleRate: SR, channels: 2, frames: SR * 4, sample: toneSample(2, SR) });
  writePcm16Wav(join(lib, 'jazz', 'jazz.1.wav'), { sampleRate: SR, channels: 1, frames: SR * 7, sample: toneSample(3, SR) });
  writePcm16Wav(join(lib, 'jazz', 'sidecar-labelled.wav'), { sampleRate: SR, channels: 1, frames: SR * 2, sample: toneSample(4, SR) });
  const odd = join(lib, 'odd cases ñ');
  writePcm16Wav(join(odd, 'spaces and ünïcödé — clip.wav'), { sampleRate: SR, channels: 1, frames: SR * 2, sample: toneSample(5, SR) });
  writePcm16Wav(join(odd, 'silence.wav'), { sampleRate: SR, channels: 1, frames: SR * 3, sample: () => 0 });
  writePcm16Wav(join(odd, 'eight-k.wav'), { sampleRate: 8000, channels: 1, frames: 8000 * 3, sample: toneSample(6, 8000) });
  writePcm16Wav(join(odd, 'ninety-six-k.wav'), { sampleRate: 96000, channels: 1, frames: 96000 * 2, sample: toneSample(7, 96000) });
  writePcm16Wav(join(odd, 'six-channel.wav'), { sampleRate: 48000, channels: 6, frames: 48000 * 2, sample: (i, c) => 0.1 * (c + 1) * Math.sin((2 * Math.PI * 220 * i) / 48000) });
  writeFileSync(join(odd, 'zero-bytes.wav'), Buffer.alloc(0));
  writeFileSync(join(odd, 'not-audio.mp3'), 'This is a text file pretending to be an MP3.\n'.repeat(40));
  writeFileSync(join(odd, 'truncated.wav'), pcm16Wav({ sampleRate: SR, channels: 1, frames: SR, truncateTo: 30 }));
  writeFileSync(join(odd, 'lying-header.wav'), pcm16Wav({ sampleRate: SR, channels: 1, frames: SR * 2, declaredDataBytes: 50_000_000 }));
  writePcm16Wav(join(odd, 'too-short.wav'), { sampleRate: SR, channels: 1, frames: 500 });
  symlinkSync('..', join(odd, 'loop')); // a symlink loop inside the folder
  writeFileSync(join(lib, 'labels.csv'), 'path,label\njazz/sidecar-labelled.wav,bossa nova\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest', () => {
  it('ingests a folder with bad files: every good file extracted, every bad one stored with its reason', async () => {
    const dbPath = join(dir, 'g.sqlite');
    const s = new Services({ dbPath, dataDir: dir, workers: 2 });
    try {
      const progress: number[] = [];
      s.jobs.on('progress', (p) => progress.push(p.done));
      const { done, folderId } = await s.startIngest(lib, 'gtzan57');
      const summary = await done;
      expect(summary.cancelled).toBe(false);
      expect(summary.tracks).toBe(14);
      const tracks = s.store.tracks(folderId, featureSetFor(s.store, 'gtzan57'));
      const by = new Map(tracks.map((t) => [t.relPath.split('/').pop()!, t]));
      for (const name of ['rock.1.wav', 'rock.2.wav', 'jazz.1.wav', 'sidecar-labelled.wav', 'spaces and ünïcödé — clip.wav', 'silence.wav', 'eight-k.wav', 'ninety-six-k.wav', 'six-channel.wav']) {
        const t = by.get(name);
        expect(t, name).toBeDefined();
        expect(t!.status, `${name}: ${t!.reason}`).toBe('ok');
        expect(t!.segments).toBeGreaterThan(0);
      }
      expect(by.get('rock.2.wav')!.channels).toBe(2);
      expect(by.get('six-channel.wav')!.channels).toBe(6);
      expect(by.get('six-channel.wav')!.sampleRate).toBe(48000);
      expect(by.get('eight-k.wav')!.duration).toBeCloseTo(3, 3);
      expect(by.get('ninety-six-k.wav')!.duration).toBeCloseTo(2, 3);
      // Labels: sidecar first, else the parent folder.
      expect(by.get('sidecar-labelled.wav')!.label).toBe('bossa nova');
      expect(by.get('sidecar-labelled.wav')!.labelSource).toBe('sidecar');
      expect(by.get('rock.1.wav')!.label).toBe('rock');
      expect(by.get('rock.1.wav')!.labelSource).toBe('folder');
      // Failures with their reasons.
      const reason = (n: string) => by.get(n)?.reason ?? '';
      expect(by.get('zero-bytes.wav')!.status).toBe('failed');
      expect(reason('zero-bytes.wav')).toMatch(/^(corrupt|unsupported|too-short)/);
      expect(reason('not-audio.mp3')).toMatch(/^unsupported/);
      expect(reason('truncated.wav')).toMatch(/^(corrupt|too-short)/);
      expect(reason('too-short.wav')).toMatch(/^too-short/);
      // The lying header is decoded as far as the data goes (or failed with a reason) — never silently lost.
      const lying = by.get('lying-header.wav')!;
      expect(lying.status === 'ok' || /^corrupt/.test(lying.reason ?? '')).toBe(true);
      expect(summary.failed.some((f) => /symlink loop/.test(f.reason))).toBe(true);
      // Silence gives finite features (NaN would have failed the track).
      const setId = featureSetFor(s.store, 'gtzan57');
      const sil = s.store.features(by.get('silence.wav')!.id, setId)!;
      expect([...sil.track].every(Number.isFinite)).toBe(true);
      expect(progress.at(-1)).toBe(14);
    } finally {
      await s.close();
    }

    // Reopen: the library is there at once; a rescan decodes nothing unchanged.
    const s2 = new Services({ dbPath, dataDir: dir, workers: 2 });
    try {
      const folder = s2.store.folders()[0]!;
      expect(folder.tracks).toBe(14);
      const again = await s2.startFolderJob(folder.id).done;
      expect(again.extracted).toBe(0);
      expect(again.unchanged).toBe(14);
      // A changed file and a new file are picked up by a rescan.
      writePcm16Wav(join(lib, 'rock', 'rock.1.wav'), { sampleRate: SR, channels: 1, frames: SR * 5, sample: toneSample(9, SR) });
      utimesSync(join(lib, 'rock', 'rock.1.wav'), new Date(), new Date(Date.now() + 5000));
      writePcm16Wav(join(lib, 'rock', 'rock.3.wav'), { sampleRate: SR, channels: 1, frames: SR * 3, sample: toneSample(10, SR) });
      const third = await s2.startFolderJob(folder.id).done;
      expect(third.extracted).toBe(2);
      expect(third.unchanged).toBe(13);
      const t1 = s2.store.tracks(folder.id).find((t) => t.relPath === 'rock/rock.1.wav')!;
      expect(t1.duration).toBeCloseTo(5, 3);
    } finally {
      await s2.close();
    }
  });

  it.skipIf(!hasFfmpeg)('labels a file by its genre tag when there is no sidecar entry', async () => {
    const tagged = join(dir, 'tagged', 'some folder');
    mkdirSync(tagged, { recursive: true });
    const wav = join(dir, 'plain.wav');
    writePcm16Wav(wav, { sampleRate: SR, channels: 1, frames: SR * 2, sample: toneSample(11, SR) });
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-metadata', 'genre=Shoegaze', join(tagged, 'tagged.flac')]);
    expect(r.status).toBe(0);
    const s = new Services({ dbPath: join(dir, 'tags.sqlite'), dataDir: dir, workers: 1 });
    try {
      const { done, folderId } = await s.startIngest(join(dir, 'tagged'), 'meyda');
      await done;
      const t = s.store.tracks(folderId)[0]!;
      expect(t.status).toBe('ok');
      expect(t.label).toBe('Shoegaze');
      expect(t.labelSource).toBe('tag');
    } finally {
      await s.close();
    }
  });

  it('a cancelled ingest stops within a second and leaves no partial rows', async () => {
    const big = join(dir, 'big');
    mkdirSync(join(big, 'pop'), { recursive: true });
    for (let i = 0; i < 16; i++) {
      writePcm16Wav(join(big, 'pop', `pop.${i}.wav`), { sampleRate: SR, channels: 1, frames: SR * 15, sample: toneSample(i, SR) });
    }
    const s = new Services({ dbPath: join(dir, 'cancel.sqlite'), dataDir: dir, workers: 2 });
    try {
      const { jobId, done, folderId } = await s.startIngest(big, 'gtzan57');
      await new Promise<void>((resolve) => {
        const on = (p: { done: number }) => {
          if (p.done >= 2) {
            s.jobs.off('progress', on);
            resolve();
          }
        };
        s.jobs.on('progress', on);
      });
      const t0 = performance.now();
      expect(s.jobs.cancel(jobId)).toBe(true);
      const summary = await done;
      const ms = performance.now() - t0;
      expect(summary.cancelled).toBe(true);
      expect(ms).toBeLessThan(1000);
      expect(s.jobs.get(jobId).state).toBe('cancelled');
      const setId = featureSetFor(s.store, 'gtzan57');
      const rows = s.store.tracks(folderId, setId);
      expect(rows.length).toBeLessThan(16);
      // Every stored track is whole: decoded tracks have their features, nothing is half-written.
      for (const r of rows) {
        expect(r.status).toBe('ok');
        expect(s.store.features(r.id, setId)).toBeDefined();
      }
      const orphans = s.db.prepare('SELECT COUNT(*) AS n FROM features WHERE track_id NOT IN (SELECT id FROM tracks)').get() as { n: number };
      expect(orphans.n).toBe(0);
      // Rescanning afterwards completes the folder.
      const rest = await s.startFolderJob(folderId).done;
      expect(rest.extracted + rest.unchanged).toBe(16);
    } finally {
      await s.close();
    }
  });

  it('ingests a folder of 2,000 files with bounded memory and moving progress', async () => {
    const many = join(dir, 'many');
    for (let g = 0; g < 4; g++) mkdirSync(join(many, `g${g}`), { recursive: true });
    const bytes = pcm16Wav({ sampleRate: SR, channels: 1, frames: Math.round(SR * 0.25), sample: toneSample(3, SR) });
    for (let i = 0; i < 2000; i++) writeFileSync(join(many, `g${i % 4}`, `clip.${i}.wav`), bytes);
    const s = new Services({ dbPath: join(dir, 'many.sqlite'), dataDir: dir, workers: 2 });
    try {
      const before = process.memoryUsage().rss;
      let peak = before;
      const ticks = new Set<number>();
      s.jobs.on('progress', (p) => {
        ticks.add(p.done);
        peak = Math.max(peak, process.memoryUsage().rss);
      });
      const { done } = await s.startIngest(many, 'gtzan57');
      const summary = await done;
      expect(summary.extracted).toBe(2000);
      expect(summary.failed).toEqual([]);
      expect(ticks.size).toBeGreaterThan(10);
      expect(peak - before).toBeLessThan(600 * 2 ** 20);
      expect(s.store.folders()[0]!.tracks).toBe(2000);
    } finally {
      await s.close();
    }
  }, 300_000);
});
