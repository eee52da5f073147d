// `genrelab map --place` and `genrelab place`: out-of-domain placement from the command line, on the
// demo synthesiser's clips (no ../shared needed). A library is analysed and a model trained with the
// CLI into one database; a PCA map of the features gets a second folder placed into it in the same
// command, and a map of the run's hidden layer gets a third folder by `place`. The PCA placement is an
// exact projection: a folder holding copies of library tracks lands on those tracks' own points.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { runCli } from '../helpers/cli';

let dir: string;
let db: string;
const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];

function writeClips(root: string, styles: DemoStyle[], per: number, seed: number): void {
  styles.forEach((style, si) => {
    mkdirSync(join(root, style), { recursive: true });
    for (let i = 0; i < per; i++) writeFileSync(join(root, style, `${style}.${i}.wav`), encodeWav(synthesiseClip(style, seed + 37 * si + i, 5), 22050));
  });
}


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-place-cli-'));
  db = join(dir, 'g.sqlite');
  writeClips(join(dir, 'music'), STYLES, 4, 700);
  writeClips(join(dir, 'other'), ['disco', 'reggae'], 2, 900);
  writeClips(join(dir, 'more'), ['hiphop'], 3, 1300);
  // copies of two library tracks, under other names
  mkdirSync(join(dir, 'copies'));
  copyFileSync(join(dir, 'music', 'rock', 'rock.0.wav'), join(dir, 'copies', 'a.wav'));
  copyFileSync(join(dir, 'music', 'jazz', 'jazz.1.wav'), join(dir, 'copies', 'b.wav'));
  const a = await runCli(['analyze', join(dir, 'music'), '--db', db, '--workers', '1', '--json']);
  expect(a.code, a.err).toBe(0);
  // trained before anything is placed (placing adds the folder to the library, and a run without
  // named folders trains on every labelled folder)
  const t = await runCli(['train', '--db', db, '--model', 'dense', '--params', '{"hidden":[8],"maxEpochs":30}', '--test-split', '0.25', '--workers', '1', '--out', join(dir, 'run'), '--json']);
  expect(t.code, t.err).toBe(0);
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('genrelab map --place / place', () => {
  it('makes a PCA map and places a second folder into it in one command', async () => {
    const out = join(dir, 'map.json');
    const r = await runCli(['map', '--db', db, '--method', 'pca', '--dims', '2', '--place', join(dir, 'other'), '--workers', '1', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!) as { mapId: number; placement: { n: number; method: string; landing: { label: string; count: number }[] } };
    expect(summary.placement.n).toBe(4);
    expect(summary.placement.method).toBe('pca-projection');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { points: number[][]; placement: { points: number[][]; filenames: string[]; nearest: string[]; landing: { count: number }[] } };
    expect(doc.points).toHaveLength(12);
    expect(doc.placement.points).toHaveLength(4);
    expect(doc.placement.points.flat().every(Number.isFinite)).toBe(true);
    expect(doc.placement.filenames.sort()).toEqual(['disco/disco.0.wav', 'disco/disco.1.wav', 'reggae/reggae.0.wav', 'reggae/reggae.1.wav']);
    expect(doc.placement.nearest.every((g) => STYLES.includes(g as DemoStyle))).toBe(true);
    expect(doc.placement.landing.reduce((a, b) => a + b.count, 0)).toBe(4);
  }, 120_000);

  it('places copies of library tracks exactly onto their own PCA points (place --map-id, text output)', async () => {
    const mapOut = join(dir, 'map2.json');
    const m = await runCli(['map', '--db', db, '--method', 'pca', '--dims', '3', '--workers', '1', '--out', mapOut, '--json']);
    expect(m.code, m.err).toBe(0);
    const { mapId } = JSON.parse(m.out.trim().split('\n').pop()!) as { mapId: number };
    const out = join(dir, 'placement.json');
    const r = await runCli(['place', '--db', db, '--map-id', String(mapId), join(dir, 'copies'), '--workers', '1', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 tracks placed into map #\d+ \(pca-projection\)/);
    expect(r.out).toMatch(/rock\s+1/);
    const map = JSON.parse(readFileSync(mapOut, 'utf8')) as { points: number[][]; filenames: string[] };
    const pl = JSON.parse(readFileSync(out, 'utf8')) as { points: number[][]; filenames: string[]; nearest: string[] };
    const own = { 'a.wav': 'rock.0.wav', 'b.wav': 'jazz.1.wav' } as Record<string, string>;
    pl.filenames.forEach((f, i) => {
      const j = map.filenames.findIndex((n) => n.endsWith(own[f]!));
      expect(j, f).toBeGreaterThanOrEqual(0);
      // same audio, same features, same standardisation: the projection lands on the point (float32)
      for (let c = 0; c < 3; c++) expect(pl.points[i]![c]!).toBeCloseTo(map.points[j]![c]!, 4);
    });
    expect(pl.nearest.sort()).toEqual(['jazz', 'rock']);
  }, 120_000);

  it('maps a stored run’s hidden layer (--run) and places into the newest map by default; bad requests are clear', async () => {
    const m = await runCli(['map', '--db', db, '--run', '1', '--method', 'pca', '--dims', '2', '--workers', '1', '--out', join(dir, 'map3.json'), '--json']);
    expect(m.code, m.err).toBe(0);
    // the run names no folders, so its map holds every labelled track of the library now: the 12 it
    // trained on, and those of folders the other tests placed
    const map3 = JSON.parse(readFileSync(join(dir, 'map3.json'), 'utf8')) as { points: number[][]; filenames: string[] };
    for (const st of STYLES) for (let i = 0; i < 4; i++) expect(map3.filenames).toContain(`${st}/${st}.${i}.wav`);
    expect(map3.points.flat().every(Number.isFinite)).toBe(true);
    const r = await runCli(['place', '--db', db, join(dir, 'more'), '--workers', '1', '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out.trim().split('\n').pop()!) as { mapId: number; n: number; method: string };
    expect(doc.mapId).toBe((JSON.parse(m.out.trim().split('\n').pop()!) as { mapId: number }).mapId);
    expect(doc).toMatchObject({ n: 3, method: 'pca-projection' });

    const missing = await runCli(['place', '--db', db, join(dir, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nowhere/);
    const noMap = await runCli(['place', '--db', join(dir, 'empty.sqlite'), join(dir, 'other')]);
    expect(noMap.code).toBe(2);
    expect(noMap.err).toMatch(/no map/);
    const table = await runCli(['map', '--features', join(dir, 'x.csv'), '--place', join(dir, 'other'), '--out', join(dir, 'x.json')]);
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/--place needs a map of the library/);
  }, 180_000);
});
