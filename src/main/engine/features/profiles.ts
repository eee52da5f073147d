// Registry of feature profiles.

import type { FeatureProfile } from './index';
import { gtzan57Profile } from './gtzan57';
import { meydaProfile } from './meyda-profile';
import { logmelProfile } from '../cnn/profile';

export const DEFAULT_PROFILE = 'gtzan57';

const PROFILES: readonly FeatureProfile[] = [gtzan57Profile, meydaProfile, logmelProfile];

export function listProfiles(): FeatureProfile[] {
  return [...PROFILES];
}

export function getProfile(name: string = DEFAULT_PROFILE): FeatureProfile {
  const p = PROFILES.find((q) => q.name === name);
  if (!p) throw new Error(`unknown feature profile "${name}" (have: ${PROFILES.map((q) => q.name).join(', ')})`);
  return p;
}
