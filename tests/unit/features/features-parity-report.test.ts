import { describe, expect, it } from 'vitest';
import { keyedTable, parseCsv } from '../../../src/main/engine/features/csv';
import { median, parityMarkdown, parityReport, pearson, tempoAgreement } from '../../../src/main/engine/features/parity';

describe('pearson / median', () => {
  it('closed forms: r = 1 for an increasing linear map, -1 for a decreasing one, NaN for a constant', () => {
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 14);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    // numpy.corrcoef([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])[0, 1] = 0.8
    expect(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 14);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('parityReport', () => {
  const table = keyedTable(
    parseCsv('filename,a,tempo\nx.wav,1,120\ny.wav,2,100\nz.wav,4,90\nw.wav,8,80\n'),
  );
  const rows = [
    { filename: 'x.wav', values: [1, 120] },
    { filename: 'y.wav', values: [2.2, 101] },
    { filename: 'z.wav', values: [4, 95] },
    { filename: 'q.wav', values: [9, 9] }, // not in the table: ignored
  ];
  it('per column: n, r, median / max relative error and the worst row', () => {
    const [a] = parityReport(rows, table, ['a', 'tempo']);
    expect(a.n).toBe(3);
    expect(a.medRel).toBeCloseTo(0, 14);
    expect(a.maxRel).toBeCloseTo(0.1, 12);
    expect(a.worst).toBe('y.wav');
    expect(a.r).toBeCloseTo(pearson([1, 2.2, 4], [1, 2, 4]), 14);
  });
  it('tempo agreement counts identical, within 2 BPM and within 4 %', () => {
    const t = tempoAgreement(rows, table, 1);
    expect(t).toEqual({ n: 3, identical: 1 / 3, within2bpm: 2 / 3, within4pct: 2 / 3 });
  });
  it('renders a Markdown table', () => {
    const md = parityMarkdown(parityReport(rows, table, ['a']));
    expect(md.split('\n')[2]).toMatch(/^\| a \| 3 \| 0\.99\d+ \| 0\.0e\+0 \| 1\.0e-1 \| y\.wav \|$/);
  });
});
