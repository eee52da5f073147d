// Serving library audio to the renderer, with HTTP Range support. Only files that are tracks of a
// library folder are served: the route takes a track id, never a path.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../../shared/errors';
import type { LibraryStore } from '../store/library';

const MIME: Record<string, string> = {
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.mp4': 'audio/mp4',
  '.aac': 'audio/aac',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.webm': 'audio/webm',
};

export interface AudioPlan {
  path: string;
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Inclusive byte range to send (absent for 416). */
  start?: number;
  end?: number;
}

/** Parse a single `bytes=` range against a size. Returns null when unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

export async function planAudio(store: LibraryStore, trackId: number, range: string | undefined): Promise<AudioPlan> {
  if (!Number.isInteger(trackId) || trackId <= 0) throw new AppError('bad-request', 'bad track id');
  const track = store.track(trackId);
  if (!track || track.status === 'no-audio') throw new AppError('not-found', `No audio for track ${trackId}`);
  let size: number;
  try {
    size = (await stat(track.path)).size;
  } catch {
    throw new AppError('not-found', `File is gone: ${track.path}`);
  }
  const type = MIME[extname(track.path).toLowerCase()] ?? 'application/octet-stream';
  const base = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  if (range) {
    const r = parseRange(range, size);
    if (!r) return { path: track.path, status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } };
    return {
      path: track.path,
      status: 206,
      start: r.start,
      end: r.end,
      headers: { ...base, 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': String(r.end - r.start + 1) },
    };
  }
  return { path: track.path, status: 200, start: 0, end: size - 1, headers: { ...base, 'Content-Length': String(size) } };
}
