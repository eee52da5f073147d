// Small dense linear algebra for this folder's regressions (Kernel SHAP, logistic regression): the
// engine's Cholesky solve (engine/cholesky.ts).
export { solveSPD } from '../cholesky';
