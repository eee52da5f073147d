// Gaussian mixture by expectation–maximisation, following sklearn.mixture.GaussianMixture:
// responsibilities initialised from k-means labels (one k-means++ run), M-step with reg_covar
// added to the covariance diagonal, E-step through Cholesky factors of the precisions, stop
// when the mean log-likelihood changes by less than tol, labels from a final E-step.

import { mulberry32, type Rng } from '../random';
import { kmeans } from './kmeans';
import { checkMatrix, choleskyInPlace } from './linalg';

export type CovarianceType = 'full' | 'diag';

export interface GMMOptions {
  covarianceType?: CovarianceType;
  /** Added to the covariance diagonal (default 1e-6). */
  regCovar?: number;
  /** EM iterations (default 100). */
  maxIter?: number;
  /** Convergence threshold on the change of the mean log-likelihood (default 1e-3). */
  tol?: number;
  /** Random source for the k-means initialisation (default mulberry32(0)). */
  rng?: Rng;
  /** Start from these labels (n values in [0, k)) instead of k-means. */
  initLabels?: Int32Array;
}

export interface GMMResult {
  k: number;
  covarianceType: CovarianceType;
  /** Mixing weights, length k. */
  weights: Float64Array;
  /** k × d */
  means: Float64Array;
  /** full: k × d × d; diag: k × d. */
  covariances: Float64Array;
  /** Hard labels (argmax responsibility). */
  labels: Int32Array;
  /** Responsibilities, n × k. */
  resp: Float64Array;
  /** Mean log-likelihood per sample at the last E-step of the loop (sklearn's lower_bound_). */
  lowerBound: number;
  /** Mean log-likelihood per sample of the fitted model (sklearn's score(X)). */
  logLikelihood: number;
  bic: number;
  aic: number;
  converged: boolean;
  nIter: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
const EPS = 2.220446049250313e-16;

export function gaussianMixture(X: Float64Array, n: number, d: number, k: number, opts: GMMOptions = {}): GMMResult {
  checkMatrix('gaussianMixture', X, n, d);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`gaussianMixture: k must be an integer in [1, ${n}], got ${k}`);
  const type = opts.covarianceType ?? 'full';
  const reg = opts.regCovar ?? 1e-6;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-3;
  let labels0 = opts.initLabels;
  if (labels0) {
    if (labels0.length !== n) throw new RangeError('gaussianMixture: initLabels must have n entries');
    for (let i = 0; i < n; i++) {
      if (!(labels0[i] >= 0 && labels0[i] < k)) throw new RangeError(`gaussianMixture: initLabels[${i}] is not in [0, ${k})`);
    }
  } else {
    labels0 = kmeans(X, n, d, k, { nInit: 1, rng: opts.rng ?? mulberry32(0) }).labels;
  }
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + labels0[i]] = 1;

  const model = new Model(X, n, d, k, type, reg);
  model.mStep(resp);
  let lowerBound = -Infinity;
  let converged = false;
  let nIter = 0;
  for (let it = 1; it <= maxIter; it++) {
    nIter = it;
    const prev = lowerBound;
    lowerBound = model.eStep(resp);
    model.mStep(resp);
    if (Math.abs(lowerBound - prev) < tol) {
      converged = true;
      break;
    }
  }
  const logLikelihood = model.eStep(resp);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < k; c++) {
      if (resp[i * k + c] > best) {
        best = resp[i * k + c];
        labels[i] = c;
      }
    }
  }
  const nParams = (type === 'full' ? (k * d * (d + 1)) / 2 : k * d) + k * d + k - 1;
  return {
    k,
    covarianceType: type,
    weights: model.weights,
    means: model.means,
    covariances: model.cov,
    labels,
    resp,
    lowerBound,
    logLikelihood,
    bic: -2 * logLikelihood * n + nParams * Math.log(n),
    aic: -2 * logLikelihood * n + 2 * nParams,
    converged,
    nIter,
  };
}

class Model {
  weights: Float64Array;
  means: Float64Array;
  cov: Float64Array;
  /** full: lower Cholesky factor L of each covariance (k × d × d); diag: 1/sqrt(variance). */
  private fac: Float64Array;
  private logDet: Float64Array;
  private nk: Float64Array;
  private diff: Float64Array;

  constructor(
    private X: Float64Array,
    private n: number,
    private d: number,
    private k: number,
    private type: CovarianceType,
    private reg: number,
  ) {
    this.weights = new Float64Array(k);
    this.means = new Float64Array(k * d);
    this.cov = new Float64Array(type === 'full' ? k * d * d : k * d);
    this.fac = new Float64Array(this.cov.length);
    this.logDet = new Float64Array(k);
    this.nk = new Float64Array(k);
    this.diff = new Float64Array(d);
  }

  mStep(resp: Float64Array): void {
    const { X, n, d, k, nk, means, cov, weights } = this;
    nk.fill(0);
    means.fill(0);
    cov.fill(0);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        nk[c] += r;
        for (let t = 0; t < d; t++) means[c * d + t] += r * X[i * d + t];
      }
    }
    for (let c = 0; c < k; c++) {
      nk[c] += 10 * EPS;
      for (let t = 0; t < d; t++) means[c * d + t] /= nk[c];
      weights[c] = nk[c] / n;
    }
    const diff = this.diff;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        for (let t = 0; t < d; t++) diff[t] = X[i * d + t] - means[c * d + t];
        if (this.type === 'full') {
          const o = c * d * d;
          for (let a = 0; a < d; a++) {
            const ra = r * diff[a];
            for (let b = 0; b <= a; b++) cov[o + a * d + b] += ra * diff[b];
          }
        } else {
          for (let t = 0; t < d; t++) cov[c * d + t] += r * diff[t] * diff[t];
        }
      }
    }
    for (let c = 0; c < k; c++) {
      if (this.type === 'full') {
        const o = c * d * d;
        for (let a = 0; a < d; a++) {
          for (let b = 0; b <= a; b++) {
            const v = cov[o + a * d + b] / nk[c] + (a === b ? this.reg : 0);
            cov[o + a * d + b] = v;
            cov[o + b * d + a] = v;
          }
        }
        const L = this.fac.subarray(o, o + d * d);
        L.set(cov.subarray(o, o + d * d));
        if (!choleskyInPlace(L, d)) {
          throw new RangeError(
            'gaussianMixture: a covariance matrix is not positive definite; try fewer components, more data, a larger regCovar, or diagonal covariances',
          );
        }
        let ld = 0;
        for (let a = 0; a < d; a++) ld += Math.log(L[a * d + a]);
        this.logDet[c] = ld; // log sqrt(det Σ)
      } else {
        let ld = 0;
        for (let t = 0; t < d; t++) {
          const v = cov[c * d + t] / nk[c] + this.reg;
          cov[c * d + t] = v;
          this.fac[c * d + t] = 1 / Math.sqrt(v);
          ld += 0.5 * Math.log(v);
        }
        this.logDet[c] = ld;
      }
    }
  }

  /** Fills resp with responsibilities; returns the mean log-likelihood per sample. */
  eStep(resp: Float64Array): number {
    const { X, n, d, k, means, fac, weights, logDet } = this;
    const diff = this.diff;
    const logw = new Float64Array(k);
    for (let c = 0; c < k; c++) logw[c] = Math.log(weights[c]);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let c = 0; c < k; c++) {
        let maha = 0;
        if (this.type === 'full') {
          // Solve L y = x − μ (forward substitution); maha = |y|².
          const o = c * d * d;
          for (let a = 0; a < d; a++) {
            let s = X[i * d + a] - means[c * d + a];
            for (let b = 0; b < a; b++) s -= fac[o + a * d + b] * diff[b];
            const y = s / fac[o + a * d + a];
            diff[a] = y;
            maha += y * y;
          }
        } else {
          for (let t = 0; t < d; t++) {
            const y = (X[i * d + t] - means[c * d + t]) * fac[c * d + t];
            maha += y * y;
          }
        }
        const lp = -0.5 * (d * LOG_2PI + maha) - logDet[c] + logw[c];
        resp[i * k + c] = lp;
        if (lp > mx) mx = lp;
      }
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(resp[i * k + c] - mx);
      const norm = mx + Math.log(s);
      total += norm;
      for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(resp[i * k + c] - norm);
    }
    return total / n;
  }
}
