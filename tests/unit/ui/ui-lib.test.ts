// The renderer's pure helpers: formatting, filtering, sorting, label counts, the virtual window,
// job summaries and the browser-mode token hand-off.
import { describe, expect, it } from 'vitest';
import type { JobInfo, TrackRow } from '../../../src/shared/types';
import { formatDuration, formatElapsed, formatInt, formatRate, plural } from '../../../src/renderer/src/lib/format';
import {
  filterTracks,
  labelCounts,
  nextSort,
  parseQuery,
  sortTracks,
  visibleRange,
} from '../../../src/renderer/src/lib/tracks';
import { progressFraction, progressLine, summarizeJob } from '../../../src/renderer/src/lib/jobs';
import { takeToken } from '../../../src/renderer/src/client/index';

function track(id: number, relPath: string, label: string | null, extra: Partial<TrackRow> = {}): TrackRow {
  return {
    id,
    folderId: 1,
    path: `/music/${relPath}`,
    relPath,
    label,
    labelSource: label ? 'folder' : null,
    duration: 30,
    sampleRate: 22050,
    channels: 1,
    status: 'ok',
    reason: null,
    segments: 10,
    ...extra,
  };
}

const TRACKS: TrackRow[] = [
  track(1, 'blues/blues.00010.wav', 'blues', { duration: 30.01 }),
  track(2, 'blues/blues.00002.wav', 'blues', { duration: 29.9 }),
  track(3, 'jazz/jazz.00001.wav', 'jazz', { duration: 12, sampleRate: 44100, channels: 2 }),
  track(4, 'jazz/broken.wav', 'jazz', { status: 'failed', reason: 'corrupt: RIFF header missing', duration: null, sampleRate: null, channels: null }),
  track(5, 'hip hop/beat.wav', 'hip hop', { duration: 61 }),
  track(6, 'loose.wav', null, { duration: 5 }),
];

describe('format', () => {
  it('formats durations as m:ss, flooring seconds (closed form: m = ⌊s/60⌋, ss = ⌊s⌋ mod 60)', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(29.999)).toBe('0:29');
    expect(formatDuration(30)).toBe('0:30');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(599.5)).toBe('9:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });
  it('round-trips every whole second below 2 h (property: parse(format(s)) = s)', () => {
    for (let s = 0; s < 7200; s += 7) {
      const parts = formatDuration(s).split(':').map(Number);
      const back = parts.reduce((acc, x) => acc * 60 + x, 0);
      expect(back).toBe(s);
    }
  });
  it('formats counts, rates, elapsed time and plurals', () => {
    expect(formatInt(1000)).toBe('1,000');
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatRate(22050)).toBe('22.05 kHz');
    expect(formatRate(44100)).toBe('44.1 kHz');
    expect(formatRate(48000)).toBe('48 kHz');
    expect(formatRate(null)).toBe('–');
    expect(formatElapsed(0.44)).toBe('0.4 s');
    expect(formatElapsed(125)).toBe('2 min 05 s');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(1000, 'file')).toBe('1,000 files');
  });
});

describe('filter', () => {
  it('parses field terms, quoted phrases and bare words', () => {
    expect(parseQuery('label:blues  "hip hop" status:FAILED foo:bar')).toEqual([
      { field: 'label', text: 'blues' },
      { field: null, text: 'hip hop' },
      { field: 'status', text: 'failed' },
      { field: null, text: 'foo:bar' },
    ]);
    expect(parseQuery('   ')).toEqual([]);
  });
  it('matches every term, case-insensitively, on path, label, status or reason', () => {
    const ids = (q: string) => filterTracks(TRACKS, q).map((t) => t.id);
    expect(ids('')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids('BLUES')).toEqual([1, 2]);
    expect(ids('failed')).toEqual([4]);
    expect(ids('corrupt')).toEqual([4]);
    expect(ids('label:jazz status:ok')).toEqual([3]);
    expect(ids('label:"hip hop"')).toEqual([5]);
    expect(ids('path:jazz')).toEqual([3, 4]);
    expect(ids('jazz 00001')).toEqual([3]);
    expect(ids('nothing-like-this')).toEqual([]);
  });
  it('never returns rows that a narrower query excludes (property: adding a term only removes rows)', () => {
    const queries = ['', 'jazz', 'wav', 'ok', 'label:blues', 'status:ok'];
    for (const a of queries) {
      for (const b of queries) {
        const wide = new Set(filterTracks(TRACKS, a).map((t) => t.id));
        for (const t of filterTracks(TRACKS, `${a} ${b}`)) expect(wide.has(t.id)).toBe(true);
      }
    }
  });
});

describe('sort', () => {
  it('sorts paths naturally (00002 before 00010) and flips direction', () => {
    const asc = sortTracks(TRACKS, { key: 'relPath', dir: 'asc' }).map((t) => t.id);
    expect(asc).toEqual([2, 1, 5, 4, 3, 6]);
    const desc = sortTracks(TRACKS, { key: 'relPath', dir: 'desc' }).map((t) => t.id);
    expect(desc).toEqual([6, 3, 4, 5, 1, 2]);
  });
  it('sorts numbers numerically and keeps missing values last in both directions', () => {
    expect(sortTracks(TRACKS, { key: 'duration', dir: 'asc' }).map((t) => t.id)).toEqual([6, 3, 2, 1, 5, 4]);
    expect(sortTracks(TRACKS, { key: 'duration', dir: 'desc' }).map((t) => t.id)).toEqual([5, 1, 2, 3, 6, 4]);
    expect(sortTracks(TRACKS, { key: 'label', dir: 'desc' }).map((t) => t.label)).toEqual([
      'jazz', 'jazz', 'hip hop', 'blues', 'blues', null,
    ]);
  });
  it('returns a permutation and leaves the input untouched (property)', () => {
    const before = TRACKS.map((t) => t.id);
    for (const key of ['relPath', 'label', 'duration', 'sampleRate', 'channels', 'status', 'reason'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const out = sortTracks(TRACKS, { key, dir }).map((t) => t.id);
        expect([...out].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      }
    }
    expect(TRACKS.map((t) => t.id)).toEqual(before);
  });
  it('orders like a direct Intl.Collator sort, whatever subsets were sorted before (property)', () => {
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const names = ['Blues', 'blues', 'jazz', 'Jazz Fusion', 'rock', 'émo'];
    const many = Array.from({ length: 300 }, (_, i) =>
      track(100 + i, `${names[Math.floor(rand() * names.length)]}/t${Math.floor(rand() * 1000)}.wav`, names[i % 6]!, {
        duration: rand() < 0.1 ? null : Math.floor(rand() * 20),
      }),
    );
    const direct = (rows: TrackRow[]) =>
      [...rows].sort((a, b) => collator.compare(a.relPath, b.relPath) || a.id - b.id).map((t) => t.id);
    const subsets = [many.slice(0, 100), many.slice(200), many, many.filter((_, i) => i % 3 === 0), many.slice(50, 250)];
    for (const sub of subsets) {
      expect(sortTracks(sub, { key: 'relPath', dir: 'asc' }).map((t) => t.id)).toEqual(direct(sub));
      const byDur = sortTracks(sub, { key: 'duration', dir: 'desc' });
      for (let i = 1; i < byDur.length; i++) {
        const a = byDur[i - 1]!;
        const b = byDur[i]!;
        if (a.duration === null) expect(b.duration).toBeNull();
        else if (b.duration !== null) {
          expect(a.duration).toBeGreaterThanOrEqual(b.duration);
          if (a.duration === b.duration) expect(collator.compare(a.relPath, b.relPath) <= 0).toBe(true);
        }
      }
    }
  });
  it('a header click sorts a new column ascending and flips the current one', () => {
    expect(nextSort({ key: 'relPath', dir: 'asc' }, 'label')).toEqual({ key: 'label', dir: 'asc' });
    expect(nextSort({ key: 'label', dir: 'asc' }, 'label')).toEqual({ key: 'label', dir: 'desc' });
    expect(nextSort({ key: 'label', dir: 'desc' }, 'label')).toEqual({ key: 'label', dir: 'asc' });
  });
});

describe('labelCounts', () => {
  it('counts playable tracks per label, most frequent first, unlabelled last', () => {
    expect(labelCounts(TRACKS)).toEqual([
      { label: 'blues', count: 2 },
      { label: 'hip hop', count: 1 },
      { label: 'jazz', count: 1 },
      { label: null, count: 1 },
    ]);
  });
});

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the list (closed form)', () => {
    // rows of 32 px, viewport 320 px at scrollTop 640: first visible row 20, 11 rows, 5 overscan each side.
    expect(visibleRange(640, 320, 32, 2000, 5)).toEqual({ start: 15, end: 36 });
    expect(visibleRange(0, 320, 32, 2000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(0, 320, 32, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(10_000_000, 320, 32, 2000, 5)).toEqual({ start: 2000, end: 2000 });
    expect(visibleRange(0, 320, 32, 0, 5)).toEqual({ start: 0, end: 0 });
  });
  it('always includes every row that intersects the viewport (property)', () => {
    for (let top = 0; top < 5000; top += 37) {
      const { start, end } = visibleRange(top, 300, 32, 150, 2);
      for (let i = 0; i < 150; i++) {
        const y0 = i * 32;
        const intersects = y0 + 32 > top && y0 < top + 300;
        if (intersects) expect(i >= start && i < end).toBe(true);
      }
    }
  });
});

describe('job lines', () => {
  const base: JobInfo = {
    id: 'j',
    kind: 'ingest',
    state: 'done',
    progress: { jobId: 'j', kind: 'ingest', done: 412, total: 1000, message: 'decoding blues.00012.wav' },
    startedAt: 1000,
    finishedAt: 4200,
    result: null,
    error: null,
  };
  it('shows progress as done / total files and message', () => {
    expect(progressLine(base.progress)).toBe('412 / 1,000 files · decoding blues.00012.wav');
    expect(progressFraction(base.progress)).toBeCloseTo(0.412, 12);
    expect(progressFraction({ ...base.progress, total: 0 })).toBeNull();
  });
  it('summarises ingest results, cancellations and failures in one line', () => {
    const result = {
      folderId: 1, tracks: 9, extracted: 8, unchanged: 0, failed: [{ path: 'x', reason: 'corrupt' }], removed: 0,
      seconds: 3.24, decodeSeconds: 1, featureSeconds: 2, workers: 2, profile: 'gtzan57', cancelled: false, backend: 'wasm',
    };
    expect(summarizeJob({ ...base, result })).toEqual({
      tone: 'warn',
      text: 'Ingest finished: extracted 8, unchanged 0, failed 1 · 3.2 s',
    });
    expect(summarizeJob({ ...base, state: 'cancelled', result: { ...result, cancelled: true } }).text).toBe(
      'Ingest cancelled after 412 files: extracted 8, unchanged 0, failed 1 · 3.2 s',
    );
    expect(summarizeJob({ ...base, result }, 'Rescan').text).toBe('Rescan finished: extracted 8, unchanged 0, failed 1 · 3.2 s');
    expect(summarizeJob({ ...base, state: 'cancelled' }).text).toBe('Ingest cancelled after 412 files · 3.2 s');
    expect(summarizeJob({ ...base, state: 'failed', error: { kind: 'io', message: 'disk gone' } })).toEqual({
      tone: 'error',
      text: 'Ingest failed: disk gone · 3.2 s',
    });
  });
});

describe('takeToken', () => {
  function fakeWindow(href: string) {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as unknown as Storage;
    const loc = { href } as Location;
    const replaced: string[] = [];
    const history = {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url),
    } as unknown as History;
    return { storage, loc, history, replaced };
  }
  it('takes the token from the address, keeps it for reloads and removes it from the address bar', () => {
    const w = fakeWindow('http://127.0.0.1:5000/?token=abc_123&x=1#/library');
    expect(takeToken(w.loc, w.storage, w.history)).toBe('abc_123');
    expect(w.replaced).toEqual(['/?x=1#/library']);
    const reload = { ...w, loc: { href: 'http://127.0.0.1:5000/?x=1#/library' } as Location };
    expect(takeToken(reload.loc, w.storage, w.history)).toBe('abc_123');
    expect(w.replaced.length).toBe(1);
  });
  it('returns null when there is no token anywhere', () => {
    const w = fakeWindow('http://127.0.0.1:5000/');
    expect(takeToken(w.loc, w.storage, w.history)).toBeNull();
  });
});
