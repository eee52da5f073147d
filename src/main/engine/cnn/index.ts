// The convolutional model over log-mel patches (issue #8, part 1): the front end (LOGMEL settings,
// logMel / logMelPatch, the mel filter bank), the `logmel` feature profile, the `cnn` classifier with
// its tfjs models for dreams and probes, and the wasm kernels that make it train at speed.
//
// For gradient work through the model: `clf.embeddingModel()` / `clf.logitsModel()` / `clf.tfModel()`
// take [batch, LOGMEL.nMels, LOGMEL.patchFrames, 1] raw-dB patches (logMelPatch(...).data reshaped;
// the per-band standardisation is the model's first, frozen layer `input_norm`).
export { LOGMEL, logMel, logMelPatch, logMelFilterbank, logMelColumns, parseLogMelColumn, segmentPatches, type LogMel } from './logmel';
export { melFilterbank, melDense, applyMel, hzToMel, melToHz, type MelFilterbank } from '../features/mel';
export { logmelProfile, LOGMEL_COLUMNS } from './profile';
export { CnnClassifier, CNN_SPEC, CNN_PARAMS, CNN_LABEL, CNN_DESCRIPTION, CNN_LAYERS, gridOf, type CnnParams, type CnnGrid } from './model';
export { registerCnnWasmKernels, CNN_WASM_KERNELS, originalCnnWasmKernel } from './wasm-kernels';
