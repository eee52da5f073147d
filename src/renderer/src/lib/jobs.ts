// Turning job progress and results into one line of text. Pure functions.
import type { IngestSummary, JobInfo, JobProgress } from '../../../shared/types';
import { formatElapsed, formatInt, plural } from './format';

export function isIngestSummary(x: unknown): x is IngestSummary {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<IngestSummary>;
  return typeof s.extracted === 'number' && typeof s.unchanged === 'number' && Array.isArray(s.failed);
}

/** "412 / 1,000 files · decoding blues.00012.wav" */
export function progressLine(p: JobProgress): string {
  const counts = p.total > 0 ? `${formatInt(p.done)} / ${plural(p.total, 'file')}` : 'Starting…';
  return p.message ? `${counts} · ${p.message}` : counts;
}

/** Fraction done in [0, 1], or null when the total is not known yet. */
export function progressFraction(p: Pick<JobProgress, 'done' | 'total'>): number | null {
  if (!(p.total > 0)) return null;
  return Math.min(1, Math.max(0, p.done / p.total));
}

export type SummaryTone = 'ok' | 'warn' | 'error';
export interface JobSummary {
  tone: SummaryTone;
  text: string;
}

const KIND_NAMES: Record<string, string> = {
  ingest: 'Ingest',
  'library.ingest': 'Ingest',
  rescan: 'Rescan',
  'library.rescan': 'Rescan',
  demo: 'Demo library',
  'library.demo': 'Demo library',
};

export function jobTitle(kind: string): string {
  return KIND_NAMES[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

/**
 * One line about a finished job: what it did, and whether it was cancelled or failed. `title` names
 * what the user asked for ("Rescan"), where the job's kind alone cannot tell.
 */
export function summarizeJob(job: JobInfo, title = jobTitle(job.kind)): JobSummary {
  const secs = job.finishedAt !== null ? (job.finishedAt - job.startedAt) / 1000 : null;
  const r = job.result;
  if (isIngestSummary(r)) {
    const parts = [
      `extracted ${formatInt(r.extracted)}`,
      `unchanged ${formatInt(r.unchanged)}`,
      `failed ${formatInt(r.failed.length)}`,
    ];
    if (r.removed > 0) parts.push(`removed ${formatInt(r.removed)}`);
    const body = `${parts.join(', ')} · ${formatElapsed(r.seconds)}`;
    if (job.state === 'cancelled' || r.cancelled) {
      return { tone: 'warn', text: `${title} cancelled after ${plural(job.progress.done, 'file')}: ${body}` };
    }
    return { tone: r.failed.length > 0 ? 'warn' : 'ok', text: `${title} finished: ${body}` };
  }
  const took = secs !== null ? ` · ${formatElapsed(secs)}` : '';
  switch (job.state) {
    case 'cancelled':
      return { tone: 'warn', text: `${title} cancelled after ${plural(job.progress.done, 'file')}${took}` };
    case 'failed':
      return { tone: 'error', text: `${title} failed: ${job.error?.message ?? 'unknown error'}${took}` };
    default:
      return { tone: 'ok', text: `${title} finished${took}` };
  }
}
