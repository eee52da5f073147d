// The genrelab command as a user runs it: exit codes, JSON output, the feature table it writes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared';
import { toneSample, writePcm16Wav } from '../helpers/wav';

let dir: string;
const bin = join(repoRoot, 'bin', 'genrelab.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') }, timeout: 180_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-cli-'));
  for (const g of ['blues', 'metal']) {
    mkdirSync(join(dir, 'lib', g), { recursive: true });
    for (let i = 0; i < 2; i++) {
      writePcm16Wav(join(dir, 'lib', g, `${g}.0000${i}.wav`), { sampleRate: 22050, channels: 1, frames: 22050 * 7, sample: toneSample(i + (g === 'metal' ? 5 : 0), 22050) });
    }
  }
  writeFileSync(join(dir, 'lib', 'metal', 'broken.mp3'), 'not audio at all');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('genrelab CLI', () => {
  it('analyze --json prints one JSON object and writes the table; bad files do not fail the command', () => {
    const out = join(dir, 'features.csv');
    const r = run('analyze', join(dir, 'lib'), '--db', join(dir, 'a.sqlite'), '--json', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.tracks).toBe(5);
    expect(j.extracted).toBe(4);
    expect(j.failed).toHaveLength(1);
    expect(j.failed[0].path).toContain('broken.mp3');
    expect(j.failed[0].reason).toMatch(/^unsupported/);
    expect(typeof j.seconds).toBe('number');
    expect(typeof j.backend).toBe('string');
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    expect(header[0]).toBe('filename');
    expect(header[1]).toBe('length');
    expect(header.at(-1)).toBe('label');
    expect(csv).toHaveLength(5);
    const row = csv.find((l) => l.startsWith('blues.00000.wav'))!.split(',');
    expect(row[1]).toBe(String(22050 * 7));
    expect(row.at(-1)).toBe('blues');
    expect(row.slice(2, -1).every((x) => Number.isFinite(Number(x)) && x !== '')).toBe(true);
  });

  it('analyze --segments 3 writes one row per 3-second segment', () => {
    const out = join(dir, 'seg.csv');
    const r = run('analyze', join(dir, 'lib'), '--db', join(dir, 'a.sqlite'), '--segments', '3', '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const names = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(names).toContain('blues.00000.0.wav');
    expect(names).toContain('blues.00000.1.wav');
  });

  it('demo synthesises a labelled library of synthetic clips and ingests it', () => {
    const r = run('demo', join(dir, 'demo'), '--db', join(dir, 'demo.sqlite'), '--clips', '1', '--seconds', '4', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout.trim());
    expect(j.tracks).toBe(6);
    expect(j.extracted).toBe(6);
    expect(j.failed).toEqual([]);
  });

  it('exits non-zero only when the command itself cannot run', () => {
    expect(run('analyze', join(dir, 'no-such-folder'), '--db', join(dir, 'b.sqlite')).status).toBe(2);
    expect(run('analyze').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    expect(run('analyze', join(dir, 'lib'), '--workers', 'lots').status).toBe(2);
    expect(run('--help').status).toBe(0);
  });
});
