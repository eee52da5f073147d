// Feature tables as CSV in the layout of the published GTZAN table:
// filename,length,<feature columns>,label — so a table made from audio and the published one are
// interchangeable. Segment rows are named like the table's 3-second companion (blues.00000.3.wav).
import { basename, extname } from 'node:path';
import type { LibraryStore } from '../store/library';
import { SAMPLE_RATE, SEGMENT_SECONDS } from './library';

export function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Shortest decimal that reads back as the same float32 (features are stored as Float32). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  const f = Math.fround(x);
  for (let p = 6; p < 10; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

export interface ExportRowsOptions {
  setId: number;
  folderId?: number;
  segments?: boolean;
}

/** Write the CSV text; returns it with the number of data rows. */
export function featuresCsv(store: LibraryStore, opts: ExportRowsOptions): { csv: string; rows: number } {
  const { columns } = store.featureSet(opts.setId);
  const lines: string[] = [['filename', 'length', ...columns, 'label'].map(csvField).join(',')];
  const all = [...store.iterateFeatures(opts.setId, opts.folderId)];
  // Basenames when they are unique (as in the published table), relative paths otherwise.
  const names = new Map<string, number>();
  for (const t of all) names.set(basename(t.path), (names.get(basename(t.path)) ?? 0) + 1);
  const segLen = Math.round(SEGMENT_SECONDS * SAMPLE_RATE) - 1; // 66149, the table's `length` of a segment
  for (const t of all) {
    const name = names.get(basename(t.path))! > 1 ? t.relPath : basename(t.path);
    const length = t.duration != null ? Math.round(t.duration * SAMPLE_RATE) : '';
    if (opts.segments) {
      const ext = extname(name);
      const stem = name.slice(0, name.length - ext.length);
      t.segments.forEach((seg, i) => {
        lines.push([csvField(`${stem}.${i}${ext}`), String(segLen), ...Array.from(seg, formatNumber), csvField(t.label ?? '')].join(','));
      });
    } else {
      lines.push([csvField(name), String(length), ...Array.from(t.track, formatNumber), csvField(t.label ?? '')].join(','));
    }
  }
  return { csv: lines.join('\n') + '\n', rows: lines.length - 1 };
}
