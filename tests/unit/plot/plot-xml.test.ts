import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { confusionSvg } from '../../../src/main/engine/plot/confusion';
import { lineChartSvg } from '../../../src/main/engine/plot/lines';
import { findAll, parseXml, textOf } from './plot-xml';

const PYTHON = '/usr/bin/python3';

// The test-side XML checker must itself reject malformed documents, or the SVG tests prove nothing.
describe('plot-xml checker', () => {
  it('accepts well-formed documents and unescapes entities', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<svg a="1" b=\'x &amp; y\'><!-- c --><text x="2">R&amp;B &lt;3 &#233;&#x41;</text><g/></svg>\n');
    expect(doc.name).toBe('svg');
    expect(doc.attrs).toEqual({ a: '1', b: 'x & y' });
    expect(textOf(findAll(doc, 'text')[0]!)).toBe('R&B <3 éA');
    expect(findAll(doc, 'g').length).toBe(1);
  });

  it.each([
    ['unclosed element', '<svg><g></svg>'],
    ['mismatched close', '<svg><g></h></svg>'],
    ['never closed', '<svg>'],
    ['bare ampersand', '<svg><text>R&B</text></svg>'],
    ['unknown entity', '<svg><text>&nbsp;</text></svg>'],
    ['< in attribute', '<svg a="<"/>'],
    ['unquoted attribute', '<svg a=1/>'],
    ['duplicate attribute', '<svg a="1" a="2"/>'],
    ['missing space between attributes', '<svg a="1"b="2"/>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['control character', '<svg><text>\u0001</text></svg>'],
    ['raw < in text', '<svg><text>a < b</text></svg>'],
  ])('rejects %s', (_, src) => {
    expect(() => parseXml(src)).toThrow(/XML/);
  });

  it("agrees with Python's expat parser (xml.etree) on our SVGs, text for text", (ctx) => {
    if (!existsSync(PYTHON)) {
      console.warn(`skipped: ${PYTHON} not installed`);
      ctx.skip();
    }
    const labels = ['R&B', '<noise>', 'say "hi"', "rock 'n' roll", 'Música', 'ctrl\u0001char', '中文'];
    const svgs = [
      confusionSvg({ title: 'A & B <c>', labels, matrix: labels.map((_, i) => labels.map((_, j) => (i === j ? 9 : i))), normalise: true }),
      lineChartSvg({ title: 'gaps', xLabel: 'x <1>', yLabel: 'y & z', series: [{ name: 'a"b', x: [0, 1, 2, 3], y: [1, NaN, 2, 3] }] }),
    ];
    const py = spawnSync(PYTHON, ['-c', 'import json,sys,xml.etree.ElementTree as E\nprint(json.dumps([["".join(t.itertext()) for t in E.fromstring(s.encode()).iter("{http://www.w3.org/2000/svg}text")] for s in json.load(sys.stdin)]))'], {
      input: JSON.stringify(svgs),
      encoding: 'utf8',
    });
    expect(py.status, py.stderr).toBe(0);
    const theirs = JSON.parse(py.stdout) as string[][];
    svgs.forEach((svg, k) => expect(findAll(parseXml(svg), 'text').map(textOf)).toEqual(theirs[k]));
    expect(theirs[0]).toContain('<noise>');
  });
});
