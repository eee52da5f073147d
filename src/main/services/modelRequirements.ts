// Rows a model needs (ModelInfo.requires): the CNN reads 3-second log-mel patches, so it trains on
// the `logmel` profile's segment rows. The requirement travels to the Training form (a note, and the
// form fills it in) and is applied to every training request before its job starts.
import { AppError } from '../../shared/errors';
import type { ModelRequirements, TrainRequest } from '../../shared/types';
import { CNN_SPEC } from '../engine/cnn/model';

const REQUIREMENTS: Record<string, ModelRequirements> = {
  [CNN_SPEC.name]: {
    profile: 'logmel',
    segments: true,
    note: 'The CNN reads 64 × 130 log-mel patches of 3-second segments: train it on folders ingested with the logmel profile, on 3-s segments (a track is predicted by averaging its segments).',
  },
};

/** `{ requires }` for the model's ModelInfo, or nothing. */
export function modelRequirements(model: string): { requires?: ModelRequirements } {
  const r = REQUIREMENTS[model];
  return r ? { requires: { ...r } } : {};
}

/**
 * The request with the model's requirements applied: segment rows switched on, the profile filled in
 * when the request names none; a request for another profile is refused with the reason.
 */
export function checkModelRequirements(req: TrainRequest): TrainRequest {
  const r = REQUIREMENTS[req.model];
  if (!r) return req;
  if (r.profile && req.profile && req.profile !== r.profile) {
    throw new AppError('bad-request', `${req.model} cannot train on the ${req.profile} profile. ${r.note}`);
  }
  return { ...req, profile: req.profile ?? r.profile, segments: r.segments ? true : req.segments };
}
