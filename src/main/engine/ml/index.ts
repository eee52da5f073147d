// The machine-learning engine: tfjs backend selection, data checks, splits, metrics, classifiers
// behind one registry, and the cross-validation runner. Pure: typed arrays in and out, no Electron.
export { initBackend, initBackendInfo, activeBackend, switchBackend, wasmBinaryDir, type BackendName, type BackendInfo } from './backend';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS, WASM_FIXED_KERNELS } from './wasm-kernels';
export { StandardScaler, type ScalerJSON } from './scaler';
export { validateDataset, assertFinite, encodeLabels, selectColumns, DatasetError, type DatasetProblem, type ValidatedDataset, type ValidateInput } from './validate';
export { stratifiedKFold, groupedStratifiedKFold, holdoutSplit, foldIndices, type FoldAssignment } from './splits';
export { accuracy, confusionMatrix, perClassMetrics, classificationReport, aggregateByGroup, type ClassMetrics, type ConfusionMatrix, type ClassificationReport, type GroupAggregate } from './metrics';
export { registry, createRegistry, ModelRegistry, type ModelSpec } from './registry';
export { readManifest, resolveParams, MANIFEST_FILE, type ModelManifest, type ParamSpec, type ParamType, type Params } from './manifest';
export { crossValidate, type CrossValidateOptions, type CrossValResult, type LevelMetrics } from './crossval';
export { featureTable, trackOfSegment, type FeatureTable } from './table';
export { prepareFit, type FitSetup } from './fitting';
export { JsAdam, type AdamOptions } from './adam';
export { DEFAULT_ENSEMBLE_MEMBERS, REGULARISED_DENSE, type EnsembleMember } from './ensemble';
export { matrix, takeRows, takeLabels, argmaxRows, type Matrix, type Classifier, type FitOptions, type FitInfo, type EpochLog, type SaveMeta } from './types';
