// Framing constants shared by every profile (librosa / GTZAN conventions).

/** Sample rate every profile expects (the decoder delivers mono Float32 at this rate). */
export const SAMPLE_RATE = 22050;
/** Frame (FFT) length in samples. */
export const N_FFT = 2048;
/** Hop between frames in samples. */
export const HOP = 512;
/** Number of rfft bins: N_FFT / 2 + 1. */
export const N_BINS = N_FFT / 2 + 1;
/** Smallest normal float32 (numpy.finfo(float32).tiny): librosa's "is zero" threshold. */
export const TINY32 = 1.1754943508222875e-38;
