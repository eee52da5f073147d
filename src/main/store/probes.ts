// Latent probes and out-of-domain placements: one row each, the detail as JSON (placement points as a
// Float32 BLOB). A probe or placement is written in one statement when its job finishes, so a
// cancelled job leaves nothing behind.
import type { MapPlacement, ProbeDetail, ProbeSummary } from '../../shared/probes';
import { fromBlob, toBlob, type DB } from './db';

type ProbeWrite = Omit<ProbeDetail, 'id' | 'createdAt'>;
type PlacementWrite = Omit<MapPlacement, 'id' | 'createdAt' | 'points'> & { points: Float32Array };

const SUMMARY_KEYS: (keyof ProbeSummary)[] = ['id', 'name', 'createdAt', 'model', 'runId', 'source', 'clips', 'dims', 'pitch', 'tempo', 'seconds', 'headline'];

export class ProbeStore {
  constructor(readonly db: DB) {}

  insert(p: ProbeWrite): number {
    return Number(
      this.db
        .prepare('INSERT INTO probes (name, created_at, run_id, model, source, clips, dims, seconds, detail) VALUES (?,?,?,?,?,?,?,?,?)')
        .run(p.name, new Date().toISOString(), p.runId, p.model, p.source, p.clips, p.dims, p.seconds, JSON.stringify(p)).lastInsertRowid,
    );
  }

  get(id: number): ProbeDetail | undefined {
    const r = this.db.prepare('SELECT id, created_at, run_id, detail FROM probes WHERE id = ?').get(id) as
      | { id: number; created_at: string; run_id: number | null; detail: string }
      | undefined;
    if (!r) return undefined;
    return { ...(JSON.parse(r.detail) as ProbeWrite), id: r.id, createdAt: r.created_at, runId: r.run_id };
  }

  list(): ProbeSummary[] {
    const rows = this.db.prepare('SELECT id FROM probes ORDER BY id DESC').all() as { id: number }[];
    return rows.map((r) => {
      const d = this.get(r.id)!;
      return Object.fromEntries(SUMMARY_KEYS.map((k) => [k, d[k]])) as unknown as ProbeSummary;
    });
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM probes WHERE id = ?').run(id).changes > 0;
  }

  insertPlacement(p: PlacementWrite): number {
    const { points, ...rest } = p;
    return Number(
      this.db
        .prepare('INSERT INTO map_placements (map_id, name, created_at, folder_id, folder_path, method, n, dims, points, detail) VALUES (?,?,?,?,?,?,?,?,?,?)')
        .run(p.mapId, p.name, new Date().toISOString(), p.folderId, p.folderPath, p.method, p.n, p.dims, toBlob(points), JSON.stringify(rest)).lastInsertRowid,
    );
  }

  placements(mapId: number): MapPlacement[] {
    const rows = this.db.prepare('SELECT id, created_at, folder_id, points, detail FROM map_placements WHERE map_id = ? ORDER BY id').all(mapId) as {
      id: number;
      created_at: string;
      folder_id: number | null;
      points: Buffer;
      detail: string;
    }[];
    return rows.map((r) => {
      const pts = fromBlob(r.points);
      return {
        ...(JSON.parse(r.detail) as Omit<MapPlacement, 'id' | 'createdAt' | 'points'>),
        id: r.id,
        createdAt: r.created_at,
        folderId: r.folder_id,
        points: Buffer.from(pts.buffer, pts.byteOffset, pts.byteLength).toString('base64'),
      };
    });
  }

  placementMap(id: number): number | undefined {
    return (this.db.prepare('SELECT map_id FROM map_placements WHERE id = ?').get(id) as { map_id: number } | undefined)?.map_id;
  }

  deletePlacement(id: number): boolean {
    return this.db.prepare('DELETE FROM map_placements WHERE id = ?').run(id).changes > 0;
  }
}
