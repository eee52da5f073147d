// The shared GTZAN clips decode exactly as soundfile/librosa read them (int16 / 32768), which the
// feature parity with the GTZAN table depends on.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../src/main/engine/audio/index';
import { loadRefs, sharedData } from '../unit/audio/audio-helpers';

const audioDir = path.join(sharedData, 'gtzan-audio');
const HAVE_DATA = existsSync(audioDir);
if (!HAVE_DATA) console.warn(`[audio-gtzan] ${audioDir} not found: the GTZAN decode checks are skipped`);

describe.skipIf(!HAVE_DATA)('GTZAN clips', () => {
  const refs = loadRefs();

  it('match soundfile.read(dtype="float32") sample for sample (fixture from make_audio_refs.py)', async () => {
    expect(refs.gtzan.length).toBeGreaterThan(0);
    for (const ref of refs.gtzan) {
      const out = await decodeFile(path.join(audioDir, ref.file));
      expect(out.format).toBe('wav');
      expect(out.originalSampleRate).toBe(ref.sampleRate);
      expect(out.channels).toBe(1);
      expect(out.samples.length).toBe(ref.length);
      expect(ref.indices.map((i) => out.samples[i])).toEqual(ref.values);
      let s = 0;
      let s2 = 0;
      for (const v of out.samples) {
        s += v;
        s2 += v * v;
      }
      // numpy sums pairwise, we sum left to right: agreement to rounding of float64 sums.
      expect(Math.abs(s - ref.sum)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.sum)) + 1e-9);
      expect(Math.abs(s2 - ref.sumSquares) / ref.sumSquares).toBeLessThan(1e-12);
    }
  });

  it('every shared clip decodes to the sample count in the `length` column of features_30_sec.csv', async () => {
    const table = readFileSync(path.join(sharedData, 'gtzan-features/features_30_sec.csv'), 'utf8').trim().split('\n');
    const lengthOf = new Map(table.slice(1).map((line) => {
      const [name, length] = line.split(',');
      return [name, Number(length)] as const;
    }));
    let checked = 0;
    for (const genre of readdirSync(audioDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(path.join(audioDir, genre.name)).filter((f) => f.endsWith('.wav'))) {
        const out = await decodeFile(path.join(audioDir, genre.name, name));
        expect(out.samples.length, name).toBe(lengthOf.get(name));
        expect(out.duration).toBeCloseTo(out.samples.length / 22050, 12);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(50);
  });
});
