// Genre dreams (table `dreams`, migrations.ts): settings, the distance curve, the figures, the WAV (a BLOB, so a dream is stored in
// one INSERT: a cancelled or failed dream leaves nothing behind) and a small spectrogram picture.
import type { DreamDetail, DreamFiguresInfo, DreamSettings, DreamSummary } from '../../shared/dream';
import { fromBlob, toBlob, type DB } from './db';

export interface DreamWrite {
  name: string;
  settings: DreamSettings;
  labels: string[];
  curve: ArrayLike<number>;
  refineFrom: number | null;
  figures: DreamFiguresInfo;
  elapsed: number;
  timings: Record<string, number>;
  wav: Uint8Array;
  spectrogram: { rows: number; cols: number; data: Uint8Array };
}

interface Row {
  id: number;
  name: string;
  created_at: string;
  run_id: number | null;
  genre: string;
  seconds: number;
  settings: string;
  target_probability: number;
  distance_start: number;
  distance_audio: number;
  nearest_genre: string;
  elapsed: number;
}

const SUMMARY = 'id, name, created_at, run_id, genre, seconds, settings, target_probability, distance_start, distance_audio, nearest_genre, elapsed';

function summary(r: Row): DreamSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    runId: r.run_id,
    genre: r.genre,
    seconds: r.seconds,
    settings: JSON.parse(r.settings) as DreamSettings,
    targetProbability: r.target_probability,
    distanceStart: r.distance_start,
    distanceAudio: r.distance_audio,
    nearestGenre: r.nearest_genre,
    elapsed: r.elapsed,
  };
}

export class DreamStore {
  constructor(readonly db: DB) {}

  insert(d: DreamWrite): number {
    const f = d.figures;
    return Number(
      this.db
        .prepare(
          `INSERT INTO dreams (name, created_at, run_id, genre, seconds, settings, labels, curve, refine_from, figures,
             target_probability, distance_start, distance_audio, nearest_genre, elapsed, timings, wav, spec_rows, spec_cols, spectrogram)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          d.name,
          new Date().toISOString(),
          d.settings.runId,
          d.settings.genre,
          d.settings.seconds,
          JSON.stringify(d.settings),
          JSON.stringify(d.labels),
          toBlob(d.curve),
          d.refineFrom,
          JSON.stringify(f),
          f.targetProbability,
          f.distanceStart,
          f.distanceAudio,
          f.nearestGenre,
          d.elapsed,
          JSON.stringify(d.timings),
          Buffer.from(d.wav.buffer, d.wav.byteOffset, d.wav.byteLength),
          d.spectrogram.rows,
          d.spectrogram.cols,
          Buffer.from(d.spectrogram.data.buffer, d.spectrogram.data.byteOffset, d.spectrogram.data.byteLength),
        ).lastInsertRowid,
    );
  }

  list(): DreamSummary[] {
    return (this.db.prepare(`SELECT ${SUMMARY} FROM dreams ORDER BY id DESC`).all() as Row[]).map(summary);
  }

  get(id: number): DreamDetail | undefined {
    const r = this.db
      .prepare(`SELECT ${SUMMARY}, labels, curve, refine_from, figures, timings, spec_rows, spec_cols, spectrogram FROM dreams WHERE id = ?`)
      .get(id) as
      | (Row & { labels: string; curve: Buffer; refine_from: number | null; figures: string; timings: string; spec_rows: number; spec_cols: number; spectrogram: Buffer })
      | undefined;
    if (!r) return undefined;
    return {
      ...summary(r),
      labels: JSON.parse(r.labels) as string[],
      figures: JSON.parse(r.figures) as DreamFiguresInfo,
      curve: Array.from(fromBlob(r.curve)),
      refineFrom: r.refine_from,
      timings: JSON.parse(r.timings) as Record<string, number>,
      spectrogram: { rows: r.spec_rows, cols: r.spec_cols, data: Buffer.from(r.spectrogram).toString('base64') },
    };
  }

  /** The WAV file's bytes. */
  wav(id: number): Uint8Array | undefined {
    const r = this.db.prepare('SELECT wav FROM dreams WHERE id = ?').get(id) as { wav: Buffer } | undefined;
    return r ? new Uint8Array(r.wav) : undefined;
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM dreams WHERE id = ?').run(id).changes > 0;
  }
}
