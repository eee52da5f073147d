// Audio engine: decode any supported file to mono Float32 at 22,050 Hz, resample, write WAV,
// synthesise the demo library. Pure Node (no Electron), usable from worker threads.
//   decode.ts   format sniffing, native WAV/AIFF readers, @audio/decode for the compressed
//               formats, down-mix, resampling, validation (DecodeError kinds)
//   wav.ts      WAV reader and writer; aiff.ts AIFF/AIFF-C reader; pcm.ts sample conversion
//   resample.ts Kaiser-windowed sinc resampler (rational polyphase; simd.ts = its WASM SIMD loop)
//   synth.ts    demo-library synthesiser (seeded by ../random.ts)
export { TARGET_SAMPLE_RATE, MIN_SAMPLES, DecodeError, type DecodedAudio } from './types';
export { decodeFile, decodeBytes, isAudioPath, AUDIO_EXTENSIONS, sniffFormat } from './decode';
export { resample, resamplerDesign, type ResamplerDesign } from './resample';
export { encodeWav, decodeWavPcm, type PcmAudio } from './wav';
export { synthesiseClip, DEMO_STYLES, type DemoStyle } from './synth';
