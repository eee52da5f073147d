// Damaged files must fail with a DecodeError (or decode to finite samples) — never with some
// other exception, a hang or a crash. Truncations and byte flips of small files in every format.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBytes, DecodeError, encodeWav } from '../../src/main/engine/audio/index';
import { mulberry32 } from '../../src/main/engine/random';
import { hasTool, intBytes, rawAiff, run, sine, sineCodes, tempDir } from '../unit/audio/audio-helpers';

const HAVE_FFMPEG = hasTool('ffmpeg');
if (!HAVE_FFMPEG) console.warn('[audio-fuzz] ffmpeg not found on PATH: only WAV and AIFF are fuzzed');

const tmp = tempDir('audio-fuzz');
afterAll(() => tmp.cleanup());

/** 'ok', the DecodeError kind (with its message when FUZZ_VERBOSE is set), or what went wrong. */
async function outcome(bytes: Uint8Array): Promise<string> {
  try {
    const out = await decodeBytes(bytes, 'fuzz');
    for (const v of out.samples) if (!Number.isFinite(v)) return 'non-finite output';
    return 'ok';
  } catch (e) {
    if (e instanceof DecodeError) return process.env.FUZZ_VERBOSE ? `${e.kind}: ${e.message}` : e.kind;
    return `other exception: ${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
}

function variants(file: Uint8Array, seed: number): Uint8Array[] {
  const rng = mulberry32(seed);
  const out: Uint8Array[] = [];
  for (const frac of [0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9]) out.push(file.slice(0, Math.floor(file.length * frac)));
  for (let k = 0; k < 12; k++) {
    const copy = file.slice();
    const flips = 1 + Math.floor(rng() * 20);
    // Damage concentrated in the first kilobyte (headers), then anywhere.
    for (let j = 0; j < flips; j++) copy[Math.floor(rng() * Math.min(copy.length, k < 6 ? 1024 : copy.length))] = Math.floor(rng() * 256);
    out.push(copy);
  }
  return out;
}

describe('damaged files', () => {
  const tone = () => encodeWav(sine(440, 44100, 3 * 44100, 0.5), 44100);
  const sources: [string, () => Uint8Array][] = [
    ['wav', tone],
    ['aiff', () => rawAiff({ channels: 1, sampleRate: 22050, bitsPerSample: 16, frames: 22050, data: intBytes(sineCodes(440, 22050, 22050, 16), 2, false) })],
  ];
  if (HAVE_FFMPEG) {
    for (const [ext, args] of [
      ['flac', []],
      ['mp3', ['-b:a', '128k']],
      ['ogg', ['-c:a', 'libvorbis']],
      ['opus', ['-c:a', 'libopus']],
      ['m4a', ['-c:a', 'aac']],
    ] as const) {
      sources.push([
        ext,
        () => {
          const src = path.join(tmp.dir, `src-${ext}.wav`);
          const dst = path.join(tmp.dir, `fuzz.${ext}`);
          writeFileSync(src, tone());
          run('ffmpeg', ['-loglevel', 'error', '-y', '-i', src, ...args, dst]);
          // A plain copy: a Buffer's slice() would be a view, and the flips would accumulate.
          return new Uint8Array(readFileSync(dst));
        },
      ]);
    }
  }

  for (const [name, make] of sources) {
    it(`${name}: truncations and byte flips end in a DecodeError or finite audio`, async () => {
      const tally = new Map<string, number>();
      for (const v of variants(make(), name.length * 7919)) {
        const o = await outcome(v);
        tally.set(o, (tally.get(o) ?? 0) + 1);
        expect(o, `${name}, ${v.length} bytes`).not.toMatch(/other exception|non-finite/);
      }
      console.info(`[audio-fuzz] ${name}: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    });
  }
});
