// Recursive folder scan: audio files by extension, symlinks followed once (loops detected by the
// real path of every directory visited), unreadable sub-folders reported, never fatal.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isAudioPath } from '../engine/audio';
import type { FailedFile } from '../../shared/types';

export interface ScannedFile {
  path: string;
  relPath: string;
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  /** Directories or links that could not be read, and symlink loops skipped. */
  problems: FailedFile[];
}

export async function scanFolder(root: string, signal?: AbortSignal): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const problems: FailedFile[] = [];
  const seenDirs = new Set<string>();
  const stack: string[] = [root];
  while (stack.length > 0) {
    if (signal?.aborted) break;
    const dir = stack.pop()!;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      problems.push({ path: dir, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    if (seenDirs.has(real)) {
      if (dir !== root) problems.push({ path: dir, reason: 'unreadable: symlink loop (folder already scanned), skipped' });
      continue;
    }
    seenDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ path: dir, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // popped in name order
    for (const ent of entries) {
      if (ent.name.startsWith('.')) continue;
      const full = join(dir, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        try {
          const s = await stat(full);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch (e) {
          if (isAudioPath(full)) problems.push({ path: full, reason: `unreadable: broken link (${(e as NodeJS.ErrnoException).code})` });
          continue;
        }
      }
      if (isDir) stack.push(full);
      else if (isFile && isAudioPath(full)) {
        try {
          const s = await stat(full);
          files.push({ path: full, relPath: relative(root, full).split(sep).join('/'), size: s.size, mtimeMs: s.mtimeMs });
        } catch (e) {
          problems.push({ path: full, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
        }
      }
    }
  }
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, problems };
}
