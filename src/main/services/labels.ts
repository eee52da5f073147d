// Labels, in order: a labels.csv sidecar (path,label) in the library folder, the file's genre tag,
// else the name of its parent folder (the GTZAN layout blues/blues.00000.wav).
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import type { LabelSource } from '../../shared/types';
import { parseCsv } from '../engine/features/csv';

export const SIDECAR = 'labels.csv';

/** Map of absolute normalised path → label from `<root>/labels.csv`, or an empty map. */
export async function readSidecar(root: string): Promise<{ labels: Map<string, string>; problem: string | null }> {
  let text: string;
  try {
    text = await readFile(join(root, SIDECAR), 'utf8');
  } catch {
    return { labels: new Map(), problem: null };
  }
  const labels = new Map<string, string>();
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (e) {
    return { labels, problem: `${SIDECAR}: ${(e as Error).message}` };
  }
  let start = 0;
  const head = rows[0]?.map((c) => c.trim().toLowerCase());
  if (head && head[0] === 'path' && head[1] === 'label') start = 1;
  for (const r of rows.slice(start)) {
    if (r.length < 2) continue;
    const p = r[0]!.trim();
    const label = r[1]!.trim();
    if (!p || !label) continue;
    labels.set(normalize(isAbsolute(p) ? p : join(root, p)), label);
  }
  return { labels, problem: null };
}

export function folderLabel(path: string): string | null {
  const parent = basename(dirname(path));
  return parent && parent !== '.' && parent !== '/' ? parent : null;
}

export function resolveLabel(
  path: string,
  sidecar: Map<string, string>,
  tag: string | null,
): { label: string | null; source: LabelSource | null } {
  const s = sidecar.get(normalize(path));
  if (s) return { label: s, source: 'sidecar' };
  if (tag) return { label: tag, source: 'tag' };
  const f = folderLabel(path);
  return f ? { label: f, source: 'folder' } : { label: null, source: null };
}
