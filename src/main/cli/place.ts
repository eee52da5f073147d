// `genrelab place` and `genrelab map --place` — out-of-domain placement from the command line: the
// tracks of a second folder (music the map never saw) placed into a map stored in the database, by
// the same service and worker tasks as the Map view (PCA exact projection, UMAP transform, t-SNE
// k-NN mean). Prints where the tracks land among the training genres; writes the placement as JSON.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { MapPlacement } from '../../shared/probes';
import { unwrap, type Services } from '../services';
import { decodePoints } from '../services/maps';
import { probeStore, startPlace } from '../services/probeHandlers';
import { follow } from './common';

export const PLACE_FLAGS = ['--place', '--map-id', '--run'] as const;

export const PLACE_USAGE = `  genrelab place --db FILE [--map-id N] <folder> [--k 10] [--out placement.json] [--json]
      Place a second folder's tracks (music the map never saw) into a map stored in FILE (default: the
      newest map): added to the library with the map's feature profile and analysed first if needed,
      embedded by the map's model, placed (PCA: exact projection; UMAP: its transform; t-SNE: mean of the
      k nearest map points). Prints how many land nearest each training genre; --out writes the points.
      \`genrelab map --db FILE … --place <folder>\` makes a map and places a folder into it in one go.`;

/** A placement as JSON: points in the folder's track order, names, nearest genres, landing counts. */
export function placementJson(pl: MapPlacement): Record<string, unknown> {
  const pts = decodePoints(pl.points);
  return {
    mapId: pl.mapId,
    name: pl.name,
    folder: pl.folderPath,
    method: pl.method,
    note: pl.note,
    n: pl.n,
    dims: pl.dims,
    points: Array.from({ length: pl.n }, (_, i) => Array.from(pts.subarray(i * pl.dims, (i + 1) * pl.dims))),
    filenames: pl.meta.map((m) => m.name),
    labels: pl.meta.map((m) => m.label),
    nearest: pl.meta.map((m) => m.nearest),
    landing: pl.landing,
    warnings: pl.warnings,
  };
}

/** One line per training genre: how many placed tracks land nearest it. */
export function landingText(pl: MapPlacement): string {
  const width = Math.max(...pl.landing.map((l) => l.label.length), 5);
  return pl.landing.map((l) => `  ${l.label.padEnd(width)}  ${String(l.count).padStart(4)}  ${'█'.repeat(Math.round((40 * l.count) / Math.max(1, pl.n)))}\n`).join('');
}

/** Place `folder` into stored map `mapId` as a job (Ctrl-C cancels it); the stored placement. */
export async function placeFolder(services: Services, mapId: number, folder: string, k: number | undefined, json: boolean): Promise<MapPlacement> {
  const { jobId, done } = await startPlace(services, { mapId, path: resolve(folder), k });
  const out = await follow(services, jobId, unwrap(done), json);
  const pl = probeStore(services).placements(mapId).find((p) => p.id === out.placementId);
  if (!pl) throw new AppError('internal', `placement ${out.placementId} was not stored`);
  return pl;
}

function whole(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 1) throw new AppError('bad-request', `${name} must be a whole number ≥ 1`);
  return n;
}

/** `genrelab place`: the services (with --db) are opened by the caller. */
export async function cmdPlace(services: Services, positional: string[], flags: Map<string, string | true>): Promise<number> {
  const json = flags.has('--json');
  const folder = positional[1];
  if (!folder) throw new AppError('bad-request', 'place needs a folder: genrelab place --db FILE [--map-id N] <folder>');
  if (!flags.has('--db')) throw new AppError('bad-request', 'place needs --db FILE (the database holding the map)');
  const maps = services.maps.list();
  if (!maps.length) throw new AppError('not-found', 'The database holds no map: make one first (genrelab map --db FILE …)');
  const mapId = whole(flags, '--map-id') ?? maps.reduce((a, b) => (b.id > a.id ? b : a)).id;
  const k = whole(flags, '--k');
  const pl = await placeFolder(services, mapId, folder, k, json);
  const out = flags.get('--out');
  if (out === true) throw new AppError('bad-request', '--out needs a file');
  const doc = placementJson(pl);
  if (out) await writeFile(resolve(out), JSON.stringify(doc));
  if (json) process.stdout.write(JSON.stringify({ ...doc, points: undefined, out: out ? resolve(out) : null }) + '\n');
  else {
    process.stdout.write(
      `${pl.name}: ${pl.n} tracks placed into map #${mapId} (${pl.method})\n${pl.note}\nnearest training genre:\n${landingText(pl)}` +
        pl.warnings.map((w) => `  warning: ${w}\n`).join('') +
        (out ? `wrote ${resolve(out)}\n` : ''),
    );
  }
  return 0;
}
