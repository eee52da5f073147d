// Test-only WAV writer for awkward files: any channel count, rate and bit depth, and headers that lie.
import { writeFileSync } from 'node:fs';

export interface PcmSpec {
  sampleRate: number;
  channels: number;
  /** Frames per channel. */
  frames: number;
  /** Sample value for channel c at frame i, in [-1, 1]. */
  sample?: (i: number, c: number) => number;
  /** Override the data chunk's declared size (a lying header). */
  declaredDataBytes?: number;
  /** Keep only this many bytes of the file (a truncated file). */
  truncateTo?: number;
}

export function pcm16Wav(spec: PcmSpec): Buffer {
  const { sampleRate, channels, frames } = spec;
  const sample = spec.sample ?? ((i: number) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const dataBytes = frames * channels * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(spec.declaredDataBytes ?? dataBytes, 40);
  let o = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const v = Math.max(-1, Math.min(1, sample(i, c)));
      buf.writeInt16LE(Math.round(v * 32767), o);
      o += 2;
    }
  }
  return spec.truncateTo !== undefined ? buf.subarray(0, spec.truncateTo) : buf;
}

export function writePcm16Wav(path: string, spec: PcmSpec): void {
  writeFileSync(path, pcm16Wav(spec));
}

/** A chord-ish test signal whose spectrum depends on `seed`, so that tracks differ. */
export function toneSample(seed: number, sampleRate: number) {
  const f1 = 110 * (1 + (seed % 7) / 7);
  const f2 = f1 * 1.5;
  return (i: number) => {
    const t = i / sampleRate;
    return 0.3 * Math.sin(2 * Math.PI * f1 * t) + 0.2 * Math.sin(2 * Math.PI * f2 * t) + 0.05 * Math.sin(2 * Math.PI * 3000 * t * (1 + 0.1 * Math.sin(t)));
  };
}
