// The probe's worker tasks run directly (no pool) on WAV files the test writes: the excerpt is the
// middle of a long file, the three versions' features come back finite (the tempo-shifted version
// has 1/1.5 of the segments), a version renders as a WAV of the asked length, a too-short file is
// refused with a reason, and the fits task reports its rows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/main/engine/audio';
import { decodeWavPcm } from '../../../src/main/engine/audio/wav';
import { getProfile } from '../../../src/main/engine/features';
import { mulberry32, normal } from '../../../src/main/engine/random';
import { probeAudioTask, probeClipTask, probeExcerpt, probeFitTask, probeVersion } from '../../../src/main/jobs/probes';
import { SR, peakFrequency, tone } from './probe-signal';

const dir = mkdtempSync(join(tmpdir(), 'genrelab-probe-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wav(name: string, y: Float32Array): string {
  const file = join(dir, name);
  writeFileSync(file, encodeWav(y, SR, 16));
  return file;
}

describe('probe tasks', () => {
  it('the excerpt is the middle maxSeconds of a longer clip, the clip itself otherwise', () => {
    const y = Float32Array.from({ length: 10 * SR }, (_, i) => i);
    const e = probeExcerpt(y, 4);
    expect(e.length).toBe(4 * SR);
    expect(e[0]).toBe(3 * SR);
    expect(probeExcerpt(y, 30)).toBe(y);
    expect(probeVersion(y.subarray(0, SR), 'original', 1.5).length).toBe(SR);
  });

  it('probe-clip: three versions, finite gtzan57 features, segments in proportion to duration', async () => {
    const partials: [number, number][] = [1, 2, 3].map((k) => [220 * k, 0.3 / k]);
    const file = wav('tone.wav', tone(partials, 9.5));
    const r = await probeClipTask({ path: file, profile: 'gtzan57', segments: true, segmentSeconds: 3, pitch: 1.5, tempo: 1.5, maxSeconds: 30 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.seconds).toBeCloseTo(9.5, 6);
    const cols = getProfile('gtzan57').columns.length;
    for (const v of ['original', 'pitch', 'tempo'] as const) {
      expect(r[v].track).toHaveLength(cols);
      expect(r[v].track.every((x) => Number.isFinite(x))).toBe(true);
    }
    expect(r.original.segments).toHaveLength(3); // 9.5 s → three whole 3-s segments
    expect(r.pitch.segments).toHaveLength(3); // same duration
    expect(r.tempo.segments).toHaveLength(2); // 6.33 s
    // the pitch shift raises the spectral centroid; the tempo shift leaves it about where it was
    const c = getProfile('gtzan57').columns.indexOf('spectral_centroid_mean');
    expect(r.pitch.track[c]! / r.original.track[c]!).toBeGreaterThan(1.3);
    expect(Math.abs(r.tempo.track[c]! / r.original.track[c]! - 1)).toBeLessThan(0.05);
  });

  it('probe-audio: a version as WAV, its first seconds, shifted', async () => {
    const file = wav('a440.wav', tone([[440, 0.5]], 6));
    const r = await probeAudioTask({ path: file, version: 'pitch', factor: 1.5, maxSeconds: 30, seconds: 2 });
    const pcm = decodeWavPcm(r.wav);
    expect(pcm.sampleRate).toBe(SR);
    expect(pcm.channelData[0]!.length).toBe(2 * SR);
    expect(Math.abs(peakFrequency(pcm.channelData[0]!, 4096, 2 * SR - 4096) / 660 - 1)).toBeLessThan(0.02);
    const t = await probeAudioTask({ path: file, version: 'tempo', factor: 1.5, maxSeconds: 30, seconds: 3 });
    expect(decodeWavPcm(t.wav).channelData[0]!.length).toBe(3 * SR);
  });

  it('refuses a clip shorter than a second, and an unreadable file, with a reason', async () => {
    const short = await probeClipTask({ path: wav('short.wav', tone([[440, 0.5]], 0.5)), profile: 'gtzan57', segments: false, segmentSeconds: 3, pitch: 1.5, tempo: 1.5, maxSeconds: 30 });
    expect(short).toMatchObject({ ok: false });
    expect((short as { reason: string }).reason).toMatch(/^too-short/);
    const missing = await probeClipTask({ path: join(dir, 'nope.wav'), profile: 'gtzan57', segments: false, segmentSeconds: 3, pitch: 1.5, tempo: 1.5, maxSeconds: 30 });
    expect(missing.ok).toBe(false);
  });

  it('probe-fit: the six rows, progress per row', async () => {
    const rng = mulberry32(4);
    const n = 12;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => normal(rng));
    const Y = X.map((v) => 2 * v + 1);
    const seen: unknown[] = [];
    const r = await probeFitTask({ X, Y, n, d, seed: 1 }, { progress: (p) => seen.push(p) });
    expect(r.rows).toHaveLength(6);
    expect(seen).toHaveLength(6);
    expect(r.rows.find((x) => x.kind === 'uniform')!.scale).toBeCloseTo(2, 12);
    expect(r.rows.find((x) => x.kind === 'uniform')!.heldOut!.r2).toBeCloseTo(1, 12);
  });
});
