// The CNN's row requirements (profile logmel, 3-s segments): filled into training requests by the
// services and the CLI, refused when another profile is asked for, and applied by the Training form
// (choosing the model fills them in; a form that breaks them is not sent).
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../src/shared/types';
import { checkModelRequirements, modelRequirements } from '../../../src/main/services/modelRequirements';
import { requirementPatch, unmetRequirement } from '../../../src/renderer/src/lib/modelRequirements';
import { buildTrainRequest, type TrainForm } from '../../../src/renderer/src/lib/training';

const cnn: ModelInfo = { name: 'cnn', label: 'CNN', description: '', usesTensors: true, params: [], ...modelRequirements('cnn') };
const knn: ModelInfo = { name: 'knn', label: 'kNN', description: '', usesTensors: false, params: [] };

const form: TrainForm = {
  profile: 'gtzan57',
  segments: false,
  columns: null,
  folderIds: null,
  model: 'knn',
  params: {},
  evaluation: 'cv',
  folds: '5',
  testFraction: '0.2',
  groupByFolder: false,
  seed: '1',
  name: '',
};

describe('model requirements', () => {
  it('only the cnn has them', () => {
    expect(cnn.requires).toMatchObject({ profile: 'logmel', segments: true });
    expect(modelRequirements('dense')).toEqual({});
  });

  it('fills profile and segments into a request, keeps other models’ requests, refuses another profile', () => {
    expect(checkModelRequirements({ model: 'cnn' })).toEqual({ model: 'cnn', profile: 'logmel', segments: true });
    expect(checkModelRequirements({ model: 'cnn', profile: 'logmel', segments: false }).segments).toBe(true);
    const dense = { model: 'dense', profile: 'meyda', segments: false };
    expect(checkModelRequirements(dense)).toBe(dense);
    expect(() => checkModelRequirements({ model: 'cnn', profile: 'gtzan57' })).toThrow(/cnn cannot train on the gtzan57 profile/);
  });

  it('the form: choosing the cnn switches to logmel and segments; breaking them is an error on the model field', () => {
    expect(requirementPatch(form, { model: 'cnn' }, [cnn, knn])).toEqual({ profile: 'logmel', segments: true });
    expect(requirementPatch(form, { model: 'knn' }, [cnn, knn])).toEqual({});
    expect(requirementPatch({ ...form, model: 'cnn' }, { segments: false }, [cnn, knn])).toEqual({});
    expect(unmetRequirement({ ...form, model: 'cnn', profile: 'logmel', segments: true }, cnn)).toBeNull();
    expect(unmetRequirement({ ...form, model: 'cnn', profile: 'logmel', segments: false }, cnn)).toMatch(/3-second segments/);
    const bad = buildTrainRequest({ ...form, model: 'cnn', profile: 'gtzan57', segments: true }, [cnn, knn]);
    expect(bad.request).toBeNull();
    expect(bad.errors.model).toMatch(/logmel profile/);
    const ok = buildTrainRequest({ ...form, model: 'cnn', profile: 'logmel', segments: true }, [cnn, knn]);
    expect(ok.request).toMatchObject({ model: 'cnn', profile: 'logmel', segments: true });
  });
});
