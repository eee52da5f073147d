// Issue 3 parity bar: the gtzan57 profile on every GTZAN clip in ../shared/data/gtzan-audio against the
// published table (features_30_sec.csv, made with librosa 0.7/0.8), and on 3-second segments against
// features_3_sec_subset_classical_jazz_rock.csv. Prints the per-column report.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src/main/engine/features';
import { keyedTable, readCsv } from '../../src/main/engine/features/csv';
import { type ComputedRow, parityMarkdown, parityReport, tempoAgreement } from '../../src/main/engine/features/parity';
import { readWavInt16, repoRoot } from '../unit/features/helpers';

const data = path.resolve(repoRoot, '../shared/data');
const audioDir = path.join(data, 'gtzan-audio');
const table30 = path.join(data, 'gtzan-features/features_30_sec.csv');
const table3 = path.join(data, 'gtzan-features/features_3_sec_subset_classical_jazz_rock.csv');

function wavs(): string[] {
  try {
    return readdirSync(audioDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.wav'))
      .sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  } catch {
    return [];
  }
}

const files = wavs();
const present = files.length > 0;
if (!present) console.warn(`features-parity: skipped, no GTZAN audio at ${audioDir} (../shared/data is absent)`);

const BAR_R = 0.9999;
const BAR_MED_REL = 1e-4;

function check(label: string, rows: ComputedRow[], tablePath: string): void {
  const p = getProfile('gtzan57');
  const table = keyedTable(readCsv(tablePath));
  const report = parityReport(rows, table, p.columns);
  const tempo = tempoAgreement(rows, table, p.columns.indexOf('tempo'));
  console.log(`\n${label}: ${rows.length} rows vs ${path.basename(tablePath)}\n${parityMarkdown(report)}\n` +
    `tempo: identical ${tempo.identical.toFixed(3)}, within 2 BPM ${tempo.within2bpm.toFixed(3)}, within 4 % ${tempo.within4pct.toFixed(3)} (n = ${tempo.n})`);
  expect(report.every((c) => c.n === rows.length)).toBe(true);
  const failing = report.filter((c) => c.column !== 'tempo' && !(c.r >= BAR_R && c.medRel <= BAR_MED_REL));
  expect(failing.map((c) => `${c.column}: r ${c.r}, median rel ${c.medRel}`)).toEqual([]);
  expect(tempo.within2bpm).toBeGreaterThanOrEqual(0.95);
}

describe.skipIf(!present)('gtzan57 parity with the GTZAN tables', () => {
  it(`30-second table: every clip (${files.length}), r >= ${BAR_R}, median rel. err <= ${BAR_MED_REL}, tempo within 2 BPM on >= 95 %`, () => {
    const p = getProfile('gtzan57');
    const rows = files.map((f) => {
      const { samples, sampleRate } = readWavInt16(path.join(audioDir, f));
      expect(sampleRate).toBe(22050);
      return { filename: path.basename(f), values: p.extract(samples).track };
    });
    expect(rows.length).toBe(56);
    check('30-second clips', rows, table30);
  }, 900_000);

  it('3-second table: the 10 segments of 2 clips per genre (classical, jazz, rock), same bars', () => {
    const p = getProfile('gtzan57');
    const picks = files.filter((f) => /^(classical|jazz|rock)\.0000[01]\.wav$/.test(path.basename(f)));
    expect(picks.length).toBe(6);
    const table = keyedTable(readCsv(table3));
    const rows: ComputedRow[] = [];
    for (const f of picks) {
      const base = path.basename(f, '.wav');
      const { segments } = p.extract(readWavInt16(path.join(audioDir, f)).samples, { segmentSeconds: 3 });
      // as many segments as the table has rows for this clip
      expect(segments.length).toBe([...table.rows.keys()].filter((k) => k.startsWith(`${base}.`)).length);
      segments.forEach((v, i) => rows.push({ filename: `${base}.${i}.wav`, values: v }));
    }
    check('3-second segments', rows, table3);
  }, 900_000);
});
