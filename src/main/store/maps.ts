// Latent maps: coordinates (Float32 BLOB), per-point metadata and clustering sweeps.
import type { ClusterSweep, MapDetail, MapPoint, MapRequest, MapSummary } from '../../shared/types';
import { fromBlob, toBlob, type DB } from './db';

export interface MapWrite {
  name: string;
  method: MapRequest['method'];
  dims: 2 | 3;
  source: string;
  request: MapRequest;
  points: Float32Array;
  meta: MapPoint[];
  labels: string[];
  warnings: string[];
  trustworthiness: number | null;
  seconds: number;
}

interface MapRow {
  id: number;
  name: string;
  created_at: string;
  method: MapRequest['method'];
  dims: 2 | 3;
  n: number;
  source: string;
  trustworthiness: number | null;
  seconds: number;
  has_clusters: number;
}

const SUMMARY = `id, name, created_at, method, dims, n, source, trustworthiness, seconds, clusters IS NOT NULL AS has_clusters`;

function summary(r: MapRow): MapSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    method: r.method,
    dims: r.dims,
    n: r.n,
    source: r.source,
    trustworthiness: r.trustworthiness,
    seconds: r.seconds,
    hasClusters: !!r.has_clusters,
  };
}

export class MapStore {
  constructor(readonly db: DB) {}

  insert(m: MapWrite): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO maps (name, created_at, method, dims, n, source, request, points, meta, labels, warnings, trustworthiness, seconds)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          m.name,
          new Date().toISOString(),
          m.method,
          m.dims,
          m.meta.length,
          m.source,
          JSON.stringify(m.request),
          toBlob(m.points),
          JSON.stringify(m.meta),
          JSON.stringify(m.labels),
          JSON.stringify(m.warnings),
          m.trustworthiness,
          m.seconds,
        ).lastInsertRowid,
    );
  }

  list(): MapSummary[] {
    return (this.db.prepare(`SELECT ${SUMMARY} FROM maps ORDER BY id DESC`).all() as MapRow[]).map(summary);
  }

  get(id: number): MapDetail | undefined {
    const r = this.db.prepare(`SELECT ${SUMMARY}, request, points, meta, labels, warnings, clusters FROM maps WHERE id = ?`).get(id) as
      | (MapRow & { request: string; points: Buffer; meta: string; labels: string; warnings: string; clusters: string | null })
      | undefined;
    if (!r) return undefined;
    const pts = fromBlob(r.points);
    return {
      ...summary(r),
      request: JSON.parse(r.request) as MapRequest,
      points: Buffer.from(pts.buffer, pts.byteOffset, pts.byteLength).toString('base64'),
      meta: JSON.parse(r.meta) as MapPoint[],
      labels: JSON.parse(r.labels) as string[],
      warnings: JSON.parse(r.warnings) as string[],
      clusters: r.clusters ? (JSON.parse(r.clusters) as ClusterSweep) : null,
    };
  }

  coordinates(id: number): { points: Float32Array; dims: number } | undefined {
    const r = this.db.prepare('SELECT points, dims FROM maps WHERE id = ?').get(id) as { points: Buffer; dims: number } | undefined;
    return r ? { points: fromBlob(r.points), dims: r.dims } : undefined;
  }

  setClusters(id: number, c: ClusterSweep): void {
    this.db.prepare('UPDATE maps SET clusters = ? WHERE id = ?').run(JSON.stringify(c), id);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM maps WHERE id = ?').run(id).changes > 0;
  }
}
