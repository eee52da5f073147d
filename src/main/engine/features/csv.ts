// Small RFC-4180 CSV reader: quoted fields ("" is a literal quote), commas and line breaks inside
// quotes, CRLF or LF line ends, an optional UTF-8 BOM. No type conversion.
import { readFileSync } from 'node:fs';

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * Parse CSV text into rows of fields. A final line break does not make an extra empty row; an empty
 * line in the middle gives a row with one empty field. Throws CsvError on an unterminated quote or a
 * quote inside an unquoted field.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvError(`bad delimiter ${JSON.stringify(delimiter)}`);
  }
  const rows: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row: string[] = [];
  let line = 1;
  if (i >= n) return rows;
  for (;;) {
    // one field starting at i
    let field = '';
    if (text[i] === '"') {
      const startLine = line;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvError(`unterminated quoted field starting on line ${startLine}`);
        const chunk = text.slice(i, q);
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
        field += chunk;
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvError(`unexpected character after a closing quote on line ${line}`);
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text[j];
        if (c === delimiter || c === '\n' || c === '\r') break;
        if (c === '"') throw new CsvError(`quote inside an unquoted field on line ${line}`);
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      return rows;
    }
    const c = text[i];
    if (c === delimiter) {
      i++;
      if (i >= n) {
        row.push('');
        rows.push(row);
        return rows;
      }
      continue;
    }
    // line end (\n, \r\n or a lone \r)
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    rows.push(row);
    row = [];
    if (i >= n) return rows;
  }
}

/** Read and parse a CSV file (UTF-8). */
export function readCsv(file: string, delimiter = ','): string[][] {
  return parseCsv(readFileSync(file, 'utf8'), delimiter);
}

/** A table with a header row, rows keyed by one column (e.g. `filename`). */
export interface KeyedTable {
  header: string[];
  /** key -> the row's fields, in header order. */
  rows: Map<string, string[]>;
  /** Numeric value of `column` in the row keyed `key` (NaN when missing or not a number). */
  value(key: string, column: string): number;
  /** Finite numeric values of `column` over all rows. */
  columnValues(column: string): number[];
}

export function keyedTable(rows: string[][], keyColumn = 'filename'): KeyedTable {
  if (rows.length === 0) throw new CsvError('empty table');
  const header = rows[0].map((h) => h.trim());
  const ki = header.indexOf(keyColumn);
  if (ki < 0) throw new CsvError(`no "${keyColumn}" column`);
  const map = new Map<string, string[]>();
  for (const r of rows.slice(1)) if (r.length === header.length) map.set(r[ki].trim(), r);
  const idx = (c: string): number => header.indexOf(c);
  const num = (s: string | undefined): number => (s === undefined || s.trim() === '' ? NaN : Number(s));
  return {
    header,
    rows: map,
    value(key, column) {
      const r = map.get(key);
      const j = idx(column);
      return r && j >= 0 ? num(r[j]) : NaN;
    },
    columnValues(column) {
      const j = idx(column);
      if (j < 0) return [];
      const out: number[] = [];
      for (const r of map.values()) {
        const v = num(r[j]);
        if (Number.isFinite(v)) out.push(v);
      }
      return out;
    },
  };
}
