import { describe, expect, it } from 'vitest';
import { featureTable, trackOfSegment } from '../../../src/main/engine/ml/table';

describe('featureTable', () => {
  it('keeps feature columns in order, excludes filename/length/label, turns blanks and text into NaN', () => {
    const rows = [
      ['filename', 'length', 'a', 'b', 'label'],
      ['x.00000.0.wav', '66149', '1.5', '', 'rock'],
      ['x.00000.1.wav', '66149', 'oops', '2', ' rock '],
      ['short', 'row'],
    ];
    const t = featureTable(rows);
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.X.rows).toBe(2);
    expect(t.X.data[0]).toBe(1.5);
    expect(Number.isNaN(t.X.data[1]!)).toBe(true);
    expect(Number.isNaN(t.X.data[2]!)).toBe(true);
    expect(t.X.data[3]).toBe(2);
    expect(t.rowLabels).toEqual(['rock', 'rock']);
    expect(t.ids).toEqual(['x.00000.0.wav', 'x.00000.1.wav']);
    expect(() => featureTable([['filename', 'genre']])).toThrow(/no "label" column/);
  });

  it('maps GTZAN 3-s segment ids to their track', () => {
    expect(trackOfSegment('classical.00000.3.wav')).toBe('classical.00000');
    expect(trackOfSegment('jazz.00054.wav')).toBe('jazz.00054');
    expect(trackOfSegment('my song.flac')).toBe('my song.flac');
    expect(trackOfSegment('rock.00012.9.au')).toBe('rock.00012');
  });
});
