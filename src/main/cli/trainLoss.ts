// `genrelab train ... --loss hyperbolic --embedding emb.json [--lambda 1] [--label-map map.csv]
// [--hyperbolic-mode weighted|expected] [--no-baseline | --baseline-run N]`: the flags turned into
// the TrainRequest's `loss`, and the lines the command prints about it.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { LossKind, LossRequest } from '../../shared/loss';
import type { RunMetrics } from '../../shared/types';
import { parseLabelMapCsv } from '../engine/hyperbolic/labelmap';
import { flagValue } from './common';

/** Flags of `train` that take a value (added to the CLI's VALUED set). */
export const LOSS_FLAGS = ['--loss', '--embedding', '--embedding-id', '--lambda', '--label-map', '--hyperbolic-mode', '--baseline-run', '--distance-norm'] as const;

export const LOSS_USAGE = `                 [--loss ce|hyperbolic [--hyperbolic-mode weighted|expected] [--lambda 1] [--distance-norm max|range]
                  --embedding emb.json|emb.tsv | --embedding-id N] [--label-map map.csv]
                 [--no-baseline | --baseline-run RUN]`;

export const LOSS_HELP = `      --loss hyperbolic trains with the hyperbolic-distance-weighted cross-entropy (weighted) or
      cross-entropy + λ·expected distance (expected) between genres of a Poincaré embedding; labels
      map to genres by name ("hiphop" → "hip hop"), --label-map label,genre overrides; a plain
      cross-entropy baseline is trained on the same folds unless --no-baseline (or --baseline-run N).
      Costs are distances ÷ the largest (max) or rescaled from the nearest to the farthest pair (range).
      --embedding alone attaches an embedding to a plain run for its mistake severity.`;

type Flags = ReadonlyMap<string, string | true>;


/** The `loss` part of a training request from the command line (undefined: none asked for). */
export async function lossFromFlags(flags: Flags): Promise<LossRequest | undefined> {
  const lossFlag = flagValue(flags, '--loss');
  const mode = flagValue(flags, '--hyperbolic-mode');
  const path = flagValue(flags, '--embedding');
  const idText = flagValue(flags, '--embedding-id');
  const lambdaText = flagValue(flags, '--lambda');
  const mapPath = flagValue(flags, '--label-map');
  const baselineText = flagValue(flags, '--baseline-run');
  const norm = flagValue(flags, '--distance-norm');
  const any = lossFlag ?? mode ?? path ?? idText ?? lambdaText ?? mapPath ?? baselineText ?? norm;
  if (any === undefined && !flags.has('--no-baseline')) return undefined;
  let kind: LossKind;
  switch (lossFlag ?? (mode ? 'hyperbolic' : 'ce')) {
    case 'ce':
    case 'cross-entropy':
      if (mode) throw new AppError('bad-request', '--hyperbolic-mode goes with --loss hyperbolic');
      kind = 'ce';
      break;
    case 'hyperbolic':
      if (mode && mode !== 'weighted' && mode !== 'expected') throw new AppError('bad-request', '--hyperbolic-mode is weighted or expected');
      kind = mode === 'expected' ? 'hyperbolic-expected' : 'hyperbolic-weighted';
      break;
    case 'hyperbolic-weighted':
    case 'hyperbolic-expected':
      kind = lossFlag as LossKind;
      break;
    default:
      throw new AppError('bad-request', '--loss is ce or hyperbolic (or hyperbolic-weighted, hyperbolic-expected)');
  }
  if (path && idText) throw new AppError('bad-request', 'use --embedding FILE or --embedding-id N, not both');
  if (!path && !idText) {
    throw new AppError('bad-request', kind === 'ce' ? 'these options need an embedding: --embedding emb.json or --embedding-id N' : '--loss hyperbolic needs --embedding emb.json (or .tsv) or --embedding-id N');
  }
  const req: LossRequest = { kind };
  if (path) req.embeddingPath = resolve(path);
  if (idText !== undefined) {
    const id = Number(idText);
    if (!Number.isInteger(id) || id < 1) throw new AppError('bad-request', '--embedding-id must be a stored embedding id');
    req.embeddingId = id;
  }
  if (lambdaText !== undefined) {
    const l = Number(lambdaText);
    if (!Number.isFinite(l) || l < 0 || l > 100) throw new AppError('bad-request', '--lambda must be a number from 0 to 100');
    req.lambda = l;
  }
  if (mapPath) {
    const file = resolve(mapPath);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new AppError('not-found', `No such label map: ${file}`);
    });
    try {
      req.labelMap = parseLabelMapCsv(text);
    } catch (err) {
      throw new AppError('bad-request', `${file}: ${(err as Error).message}`);
    }
  }
  if (norm !== undefined) {
    if (norm !== 'max' && norm !== 'range') throw new AppError('bad-request', '--distance-norm is max or range');
    req.normalise = norm;
  }
  if (flags.has('--no-baseline')) req.baseline = false;
  if (baselineText !== undefined) {
    const id = Number(baselineText);
    if (!Number.isInteger(id) || id < 1) throw new AppError('bad-request', '--baseline-run must be a run id');
    req.baselineRunId = id;
  }
  return req;
}

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** Lines printed after a run's summary: the label map, mistake severity, the baseline and ΔF1. */
export function lossSummaryText(m: RunMetrics): string {
  const h = m.hyperbolic;
  if (!h) return '';
  const lines = [
    `  loss: ${h.loss}${h.loss !== 'ce' ? ` (λ ${h.lambda}${h.normalise === 'range' ? ', range-normalised distances' : ''})` : ''}; embedding ${h.embedding.name} (${h.embedding.model}, ${h.embedding.dim}-D, ${h.embedding.nodes} genres)`,
    `  labels → genres: ${h.mapping.map((x) => `${x.label} → ${x.genre ?? '(unmapped)'}${x.how === 'token' ? ' (by words)' : ''}`).join(', ')}`,
    `  mistake severity: ${f3(h.mistakeSeverity)} over ${h.mistakes} mistakes (mean Poincaré distance between true and predicted genre)`,
  ];
  if (h.baseline) {
    const b = h.baseline;
    lines.push(`  cross-entropy baseline (${b.source === 'run' ? `run #${b.runId}` : 'same folds'}): accuracy ${(b.accuracy * 100).toFixed(1)} %, macro-F1 ${b.macroF1.toFixed(3)}, mistake severity ${f3(b.mistakeSeverity)}`);
  }
  if (h.deltaF1) lines.push(`  ΔF1 against mean distance to the other genres: Pearson r = ${h.deltaF1Correlation === null ? 'undefined' : h.deltaF1Correlation.toFixed(3)}`);
  return lines.join('\n') + '\n';
}
