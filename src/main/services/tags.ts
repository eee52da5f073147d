// Genre tags through music-metadata: one of the three sources of labels.
import { parseFile } from 'music-metadata';

/** The file's first genre tag, trimmed, or null (no tag, or tags unreadable). */
export async function readGenreTag(path: string): Promise<string | null> {
  try {
    const meta = await parseFile(path, { duration: false, skipCovers: true, skipPostHeaders: true });
    const g = meta.common.genre?.find((x) => typeof x === 'string' && x.trim() !== '');
    return g ? g.trim() : null;
  } catch {
    return null;
  }
}
