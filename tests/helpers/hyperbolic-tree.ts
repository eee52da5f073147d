// A small genre co-occurrence table with a known hierarchy, for the hyperbolic service, CLI and
// end-to-end tests: four parent genres with four subgenres each. Every artist lists a subgenre with
// its parent (Python-list style, as the Spotify tables), some list a parent alone, and a few link
// two parents. Bad rows are added on request: an empty list, a malformed list, a repeated genre.

export const TREE: Record<string, string[]> = {
  rock: ['punk rock', 'hard rock', 'indie rock', 'psychedelic rock'],
  'hip hop': ['queens hip hop', 'east coast hip hop', 'southern hip hop', 'jazz rap'],
  jazz: ['bebop', 'cool jazz', 'free jazz', 'swing'],
  electronic: ['house', 'techno', 'ambient', 'drum and bass'],
};

export const PARENTS = Object.keys(TREE);
export const CHILDREN = PARENTS.flatMap((p) => TREE[p]!);

const quote = (g: string): string => `'${g.replace(/'/g, "\\'")}'`;

export interface TreeTable {
  csv: string;
  /** 1-based file line numbers of the rows made bad on purpose. */
  emptyLine: number | null;
  malformedLine: number | null;
  rows: number;
}

/** The item table (header `artist,genres`). */
export function genreTreeCsv(opts: { badRows?: boolean; copies?: number } = {}): TreeTable {
  const lines = ['artist,genres'];
  const copies = opts.copies ?? 3;
  let a = 0;
  const add = (genres: string[]): void => {
    lines.push(`artist ${++a},"[${genres.map(quote).join(', ')}]"`);
  };
  for (let c = 0; c < copies; c++) {
    for (const p of PARENTS) {
      for (const ch of TREE[p]!) add([ch, p]);
      add([p]);
    }
  }
  add(['rock', 'electronic']);
  add(['jazz', 'hip hop']);
  add(['jazz rap', 'jazz', 'hip hop']);
  let emptyLine: number | null = null;
  let malformedLine: number | null = null;
  if (opts.badRows) {
    lines.push(`artist ${++a},[]`);
    emptyLine = lines.length;
    lines.push(`artist ${++a},"['rock', 'punk rock"`);
    malformedLine = lines.length;
    add(['swing', 'swing', 'jazz']);
  }
  return { csv: lines.join('\n') + '\n', emptyLine, malformedLine, rows: lines.length - 1 };
}

/** The taxonomy of the tree in the AcousticBrainz `.stats` layout (`parent---child<TAB>count`). */
export function genreTreeTaxonomy(): string {
  const rows = ['genre/subgenre\tcount'];
  for (const p of PARENTS) {
    rows.push(`${p}\t10`);
    for (const ch of TREE[p]!) rows.push(`${p}---${ch}\t3`);
  }
  return rows.join('\n') + '\n';
}
