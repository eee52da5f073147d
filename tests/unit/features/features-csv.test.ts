import { describe, expect, it } from 'vitest';
import { CsvError, keyedTable, parseCsv } from '../../../src/main/engine/features/csv';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and rows; a final line break adds no row', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(parseCsv('a,b\r\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a\rb\r')).toEqual([['a'], ['b']]);
  });
  it('handles quotes: delimiters, line breaks and doubled quotes inside quoted fields', () => {
    expect(parseCsv('"x, y","say ""hi""","two\nlines"\n')).toEqual([['x, y', 'say "hi"', 'two\nlines']]);
    expect(parseCsv('"",a,""')).toEqual([['', 'a', '']]);
  });
  it('keeps empty fields, empty lines and a trailing delimiter', () => {
    expect(parseCsv('a,,b\n\nc,')).toEqual([['a', '', 'b'], [''], ['c', '']]);
  });
  it('strips a UTF-8 BOM and accepts another delimiter', () => {
    expect(parseCsv('\uFEFFa;b\n1;2', ';')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('')).toEqual([]);
  });
  it('rejects an unterminated quote, a stray quote and text after a closing quote', () => {
    expect(() => parseCsv('a,"b\n1,2')).toThrow(CsvError);
    expect(() => parseCsv('a,b"c')).toThrow(/quote inside/);
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
    expect(() => parseCsv('a', '"')).toThrow(CsvError);
  });
});

describe('keyedTable', () => {
  const t = keyedTable(parseCsv('filename,length,x,label\na.wav,10,1.5,rock\nb.wav,11,,jazz\nbad,1\n'));
  it('indexes rows by filename and reads numbers', () => {
    expect(t.header).toEqual(['filename', 'length', 'x', 'label']);
    expect(t.value('a.wav', 'x')).toBe(1.5);
    expect(t.value('b.wav', 'x')).toBeNaN();
    expect(t.value('c.wav', 'x')).toBeNaN();
    expect(t.value('a.wav', 'nope')).toBeNaN();
    expect(t.rows.has('bad')).toBe(false); // wrong field count
    expect(t.columnValues('length')).toEqual([10, 11]);
  });
  it('needs the key column', () => {
    expect(() => keyedTable(parseCsv('a,b\n1,2'))).toThrow(/filename/);
  });
});
