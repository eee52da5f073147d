// The Training form and a model's required rows (ModelInfo.requires, e.g. the CNN: profile logmel,
// 3-s segments): choosing such a model fills them in, and a form that breaks them is not sent.
import type { ModelInfo } from '../../../shared/types';
import type { TrainForm } from './training';

/** Extra form changes when `patch` picks a model with requirements (its profile, segment rows). */
export function requirementPatch(form: TrainForm, patch: Partial<TrainForm>, models: readonly ModelInfo[]): Partial<TrainForm> {
  if (patch.model === undefined || patch.model === form.model) return {};
  const r = models.find((m) => m.name === patch.model)?.requires;
  if (!r) return {};
  return { ...(r.profile ? { profile: r.profile } : {}), ...(r.segments ? { segments: true } : {}) };
}

/** Why the form cannot train its model (the requirement's note), or null. */
export function unmetRequirement(form: TrainForm, model: ModelInfo | undefined): string | null {
  const r = model?.requires;
  if (!r) return null;
  if ((r.profile && form.profile !== r.profile) || (r.segments && !form.segments)) return r.note;
  return null;
}
