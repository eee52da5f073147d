import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/main/cli';

describe('parseArgs', () => {
  it('separates positionals, valued options and boolean flags', () => {
    const p = parseArgs(['analyze', '/music', '--db', 'x.sqlite', '--json', '--out=f.csv', '--segments', '3']);
    expect(p.positional).toEqual(['analyze', '/music']);
    expect(p.flags.get('--db')).toBe('x.sqlite');
    expect(p.flags.get('--json')).toBe(true);
    expect(p.flags.get('--out')).toBe('f.csv');
    expect(p.flags.get('--segments')).toBe('3');
  });
  it('refuses a valued option without a value', () => {
    expect(() => parseArgs(['analyze', '--db'])).toThrow(/--db needs a value/);
    expect(() => parseArgs(['analyze', '--out', '--json'])).toThrow(/--out needs a value/);
  });
});
