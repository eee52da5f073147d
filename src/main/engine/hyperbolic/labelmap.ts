// A library's labels mapped to the genres (nodes) of an embedding, so that a classifier's classes get
// hyperbolic distances. Automatic by name, in order: an override from the user's `label,genre` table;
// the exact name (then case-insensitive); the same name after normalisation (shared/hyperbolic.ts
// normaliseGenre: lower case, accents and every character that is not a letter or digit removed:
// "Hip-Hop", "hiphop", "hip hop" → "hiphop"); the genre whose words best overlap the label's (Jaccard
// over words, ties → fewer words, then the name).
import { normaliseGenre, suggestGenres } from '../../../shared/hyperbolic';
import type { LabelGenreRow as LabelGenre } from '../../../shared/loss';
import { parseCsv } from '../features/csv';

export type { LabelGenreRow as LabelGenre, LabelMatch as MatchHow } from '../../../shared/loss';

/** The words of a name: lower case, split at anything that is not a letter or digit, and at camelCase. */
export function genreWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Index of an embedding's names for the lookups above (first occurrence wins). */
export class GenreIndex {
  private readonly exact = new Map<string, string>();
  private readonly lower = new Map<string, string>();
  private readonly norm = new Map<string, string>();
  private readonly byWord = new Map<string, string[]>();
  private readonly words = new Map<string, string[]>();

  constructor(readonly names: readonly string[]) {
    for (const n of names) {
      if (!this.exact.has(n)) this.exact.set(n, n);
      const l = n.toLowerCase();
      if (!this.lower.has(l)) this.lower.set(l, n);
      const k = normaliseGenre(n);
      if (k && !this.norm.has(k)) this.norm.set(k, n);
      if (this.words.has(n)) continue;
      const w = [...new Set(genreWords(n))];
      this.words.set(n, w);
      for (const x of w) {
        let list = this.byWord.get(x);
        if (!list) this.byWord.set(x, (list = []));
        list.push(n);
      }
    }
  }

  /** The embedded name for `name` by exact, case-insensitive or normalised equality. */
  find(name: string): { genre: string; how: 'exact' | 'normalised' } | null {
    const e = this.exact.get(name) ?? this.lower.get(name.toLowerCase());
    if (e !== undefined) return { genre: e, how: 'exact' };
    const k = normaliseGenre(name);
    const n = k ? this.norm.get(k) : undefined;
    return n !== undefined ? { genre: n, how: 'normalised' } : null;
  }

  /** The best word-overlap match (Jaccard), or null when no word is shared. */
  bestTokenMatch(name: string): { genre: string; score: number } | null {
    const w = [...new Set(genreWords(name))];
    if (w.length === 0) return null;
    const shared = new Map<string, number>();
    for (const x of w) for (const g of this.byWord.get(x) ?? []) shared.set(g, (shared.get(g) ?? 0) + 1);
    let best: { genre: string; score: number; size: number } | null = null;
    for (const [g, s] of shared) {
      const size = this.words.get(g)!.length;
      const score = s / (w.length + size - s);
      if (!best || score > best.score || (score === best.score && (size < best.size || (size === best.size && g < best.genre)))) best = { genre: g, score, size };
    }
    return best ? { genre: best.genre, score: best.score } : null;
  }

  /** Up to `limit` names close to `query` (shared/hyperbolic.ts suggestGenres). */
  search(query: string, limit = 20): string[] {
    return suggestGenres(this.names, query, limit);
  }
}

/**
 * Map every label to a genre of the embedding. `overrides` (label → genre) win; an override naming a
 * genre the embedding lacks leaves the label unmapped, with a note and close names.
 */
export function mapLabelsToGenres(labels: readonly string[], names: readonly string[] | GenreIndex, overrides: Readonly<Record<string, string>> = {}): LabelGenre[] {
  const index = names instanceof GenreIndex ? names : new GenreIndex(names);
  return labels.map((label): LabelGenre => {
    if (Object.prototype.hasOwnProperty.call(overrides, label)) {
      const want = overrides[label]!.trim();
      const hit = index.find(want);
      if (hit) return { label, genre: hit.genre, how: 'override', score: 1 };
      const close = index.search(want, 3);
      return { label, genre: null, how: 'none', score: 0, note: `the label map names "${want}", which the embedding does not hold${close.length ? ` (close: ${close.join(', ')})` : ''}` };
    }
    const hit = index.find(label);
    if (hit) return { label, genre: hit.genre, how: hit.how, score: 1 };
    const tok = index.bestTokenMatch(label);
    if (tok) return { label, genre: tok.genre, how: 'token', score: tok.score };
    return { label, genre: null, how: 'none', score: 0, note: 'no genre of the embedding shares a word with this label' };
  });
}

/** Labels left without a genre, as one readable line (empty when every label is mapped). */
export function unmappedReport(mapping: readonly LabelGenre[]): string {
  const bad = mapping.filter((m) => m.genre === null);
  if (bad.length === 0) return '';
  return `${bad.length} label${bad.length === 1 ? '' : 's'} not mapped to a genre of the embedding: ${bad.map((m) => `"${m.label}"${m.note ? ` (${m.note})` : ''}`).join('; ')}`;
}

/**
 * A `label,genre` table (header optional: a first row "label,genre" is skipped; quoted fields as in
 * RFC 4180; blank lines and lines starting with # ignored) as label → genre.
 */
export function parseLabelMapCsv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rows = parseCsv(text);
  rows.forEach((row, i) => {
    if (row.length === 1 && row[0]!.trim() === '') return;
    if (row[0]!.trim().startsWith('#')) return;
    if (i === 0 && row[0]!.trim().toLowerCase() === 'label' && (row[1] ?? '').trim().toLowerCase() === 'genre') return;
    if (row.length !== 2) throw new Error(`label map line ${i + 1}: expected "label,genre", found ${row.length} field${row.length === 1 ? '' : 's'}`);
    const label = row[0]!.trim();
    const genre = row[1]!.trim();
    if (!label || !genre) throw new Error(`label map line ${i + 1}: the label and the genre must both be given`);
    if (Object.prototype.hasOwnProperty.call(out, label) && out[label] !== genre) throw new Error(`label map line ${i + 1}: "${label}" is mapped twice`);
    out[label] = genre;
  });
  return out;
}
