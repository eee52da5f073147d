// Library service: add a folder, ingest it (decode + features in the worker pool), rescan, list.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { FailedFile, IngestSummary } from '../../shared/types';
import { getProfile, listProfiles, DEFAULT_PROFILE } from '../engine/features';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { FeatureWrite, LibraryStore, TrackWrite } from '../store/library';
import { readSidecar, resolveLabel } from './labels';
import { scanFolder } from './scan';

export const SEGMENT_SECONDS = 3;
export const SAMPLE_RATE = 22050;

/** The settings that, with the profile name, key a cached feature set. */
export function featureSettings(): string {
  return JSON.stringify({ sampleRate: SAMPLE_RATE, segmentSeconds: SEGMENT_SECONDS, frame: 2048, hop: 512 });
}

export function featureSetFor(store: LibraryStore, profileName: string): number {
  const profile = getProfile(profileName);
  return store.featureSetId(profile.name, featureSettings(), profile.columns);
}

/** The profile by name, or a bad-request error that lists the profiles there are. */
export function checkProfile(name: string | undefined): string {
  const n = name ?? DEFAULT_PROFILE;
  const names = listProfiles().map((p) => p.name);
  if (!names.includes(n)) throw new AppError('bad-request', `Unknown feature profile "${n}" (profiles: ${names.join(', ')})`);
  return n;
}

/** Resolve and check a folder path given by a user: it must exist and be a readable directory. */
export async function checkFolder(path: string): Promise<string> {
  if (typeof path !== 'string' || path.trim() === '') throw new AppError('bad-request', 'No folder given');
  const abs = resolve(path.trim());
  let s;
  try {
    s = await stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('not-found', `Folder not found: ${abs}`);
    throw new AppError('io', `Cannot read ${abs}: ${code ?? String(e)}`);
  }
  if (!s.isDirectory()) throw new AppError('bad-request', `Not a folder: ${abs}`);
  return abs;
}

export interface IngestOptions {
  /** Called for every file written (tests, CLI verbose). */
  onFile?: (path: string, ok: boolean) => void;
}

/**
 * Ingest one library folder. Each track is written together with its features in one transaction,
 * so a cancelled or crashed ingest leaves only whole tracks behind; files not reached are simply
 * not in the store yet, and a rescan picks them up. Unchanged files (same size and mtime, features
 * present for this profile) are not decoded again.
 */
export async function runIngest(
  store: LibraryStore,
  pool: WorkerPool,
  folderId: number,
  ctx: JobContext,
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const t0 = performance.now();
  const folder = store.folder(folderId);
  if (!folder) throw new AppError('not-found', `No library folder ${folderId}`);
  const profile = getProfile(folder.profile || DEFAULT_PROFILE);
  const setId = featureSetFor(store, profile.name);
  const summary: IngestSummary = {
    folderId,
    tracks: 0,
    extracted: 0,
    unchanged: 0,
    failed: [],
    removed: 0,
    seconds: 0,
    decodeSeconds: 0,
    featureSeconds: 0,
    workers: pool.size,
    profile: profile.name,
    cancelled: false,
    backend: `js (${pool.size} worker thread${pool.size > 1 ? 's' : ''})`,
  };

  ctx.progress(0, 0, `scanning ${folder.path}`);
  const { files, problems } = await scanFolder(folder.path, ctx.signal);
  summary.failed.push(...problems);
  summary.tracks = files.length;
  const { labels: sidecar, problem } = await readSidecar(folder.path);
  if (problem) summary.failed.push({ path: folder.path, reason: `corrupt: ${problem}` });
  const stamps = store.stamps(folderId, setId);

  const todo = [];
  for (const f of files) {
    const st = stamps.get(f.path);
    if (st && st.size === f.size && st.mtimeMs === f.mtimeMs && (st.status === 'failed' || st.hasFeatures)) {
      summary.unchanged++;
      if (st.status === 'failed') summary.failed.push({ path: f.path, reason: st.reason ?? 'failed' });
      // Labels from the sidecar or folder can change without the audio changing.
      if (st.labelSource !== 'tag') {
        const { label, source } = resolveLabel(f.path, sidecar, null);
        if (label !== st.label) store.updateLabel(st.id, label, source);
      }
      continue;
    }
    todo.push(f);
  }
  // Files that were ingested before and are gone now.
  const present = new Set(files.map((f) => f.path));
  const gone = [...stamps.values()].filter((s) => !present.has(s.path) && s.status !== 'no-audio').map((s) => s.id);

  let done = summary.unchanged;
  const total = files.length;
  ctx.progress(done, total, todo.length ? `decoding ${todo.length} files` : 'nothing new to decode');
  const inflight = new Set<Promise<void>>();
  const maxInflight = pool.size * 2;
  const failedNow: FailedFile[] = [];

  for (const f of todo) {
    if (ctx.signal.aborted) break;
    const wantTag = !sidecar.has(f.path);
    // One writer for the three outcomes (extracted, failed, worker crashed): the file's stamp and label
    // always, the audio facts and features only for a decoded file.
    const write = (tag: string | null, audio: Pick<TrackWrite, 'duration' | 'sampleRate' | 'channels' | 'format'> | null, reason: string | null, features: FeatureWrite | null) => {
      const { label, source } = resolveLabel(f.path, sidecar, tag);
      store.writeTrack(
        {
          folderId, path: f.path, relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs, label, labelSource: source,
          ...(audio ?? { duration: null, sampleRate: null, channels: null, format: null }),
          status: features ? 'ok' : 'failed',
          reason,
        },
        features,
      );
    };
    const failed = (reason: string) => {
      write(null, null, reason, null);
      failedNow.push({ path: f.path, reason });
    };
    const p = pool
      .run('ingest-file', { path: f.path, profile: profile.name, segmentSeconds: SEGMENT_SECONDS, wantTag }, ctx.signal)
      .then((res) => {
        if (ctx.signal.aborted) return; // results that race a cancel are dropped, never half-written
        summary.decodeSeconds += res.decodeSeconds;
        if (res.ok) {
          summary.featureSeconds += res.featureSeconds;
          write(
            res.tag,
            { duration: res.duration, sampleRate: res.sampleRate, channels: res.channels, format: res.format },
            res.warnings.length ? `warning: ${res.warnings.join('; ')}` : null,
            { setId, track: res.track, segments: res.segments },
          );
          summary.extracted++;
        } else failed(res.reason);
        opts.onFile?.(f.path, res.ok);
        done++;
        ctx.progress(done, total, `${res.ok ? 'extracted' : 'failed'} ${f.relPath}`);
      })
      .catch((err: unknown) => {
        if (err instanceof AppError && err.kind === 'cancelled') return;
        if (ctx.signal.aborted) return;
        // A worker crash on one file is that file's failure, not the folder's.
        failed(`corrupt: ${(err as Error)?.message ?? String(err)}`);
        done++;
        ctx.progress(done, total, `failed ${f.relPath}`);
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= maxInflight) await Promise.race(inflight);
  }
  await Promise.all(inflight);

  summary.failed.push(...failedNow);
  if (ctx.signal.aborted) {
    summary.cancelled = true;
  } else if (gone.length) {
    store.deleteTracks(gone);
    summary.removed = gone.length;
  }
  summary.seconds = (performance.now() - t0) / 1000;
  ctx.progress(done, total, summary.cancelled ? 'cancelled' : 'done');
  return summary;
}
