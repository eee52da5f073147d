import { describe, expect, it } from 'vitest';
import { contrastText, parseColour } from '../../../src/main/engine/plot/colour';
import { confusionPng, confusionScene, confusionSvg, type ConfusionOptions } from '../../../src/main/engine/plot/confusion';
import { decodePng, type DecodedPng } from '../../../src/main/engine/plot/png';
import { textWidth } from '../../../src/main/engine/plot/scene';
import { mulberry32 } from '../../../src/main/engine/random';
import { findAll, parseXml, textOf, type XmlElement } from './plot-xml';

const GTZAN = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];

function pixel(img: DecodedPng, x: number, y: number): string {
  const i = (Math.floor(y) * img.width + Math.floor(x)) * 4;
  return '#' + [0, 1, 2].map((k) => img.rgba[i + k]!.toString(16).padStart(2, '0')).join('');
}

function identity(n: number, k = 10): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? k : 0)));
}

function labelsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => GTZAN[i % 10]! + (n > 10 ? ` ${i}` : ''));
}

function randomMatrix(n: number, seed: number, scale = 50): number[][] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? scale + Math.floor(rng() * scale) : rng() < 0.4 ? Math.floor(rng() * scale * 0.3) : 0)));
}

/** Points in a cell away from the centred text and the diagonal frame: top and bottom centre. */
function probes(b: { x: number; y: number; w: number; h: number }): [number, number][] {
  return [[b.x + b.w / 2, b.y + 4], [b.x + b.w / 2, b.y + b.h - 5]];
}

const texts = (svg: XmlElement) => findAll(svg, 'text');

describe('confusion matrix PNG', () => {
  for (const n of [2, 5, 12, 40]) {
    for (const cmap of ['viridis', 'blues'] as const) {
      for (const normalise of [false, true]) {
        it(`identity ${n}×${n} (${cmap}${normalise ? ', normalised' : ''}): diagonal = top colour, the rest = bottom colour`, () => {
          const o: ConfusionOptions = { title: `Identity ${n}`, labels: labelsOf(n), matrix: identity(n), colourMap: cmap, normalise };
          const { layout } = confusionScene(o);
          const img = decodePng(confusionPng(o));
          expect([img.width, img.height]).toEqual([layout.width, layout.height]);
          expect(layout.topColour).not.toBe(layout.bottomColour);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const want = i === j ? layout.topColour : layout.bottomColour;
              for (const [x, y] of probes(layout.cells[i]![j]!)) expect(pixel(img, x, y), `cell ${i},${j} at ${x},${y}`).toBe(want);
            }
          }
        });
      }
    }
  }

  it('is not blank: many colours, text ink in the contrast colour inside each cell', () => {
    const o: ConfusionOptions = { title: 'GTZAN', labels: GTZAN, matrix: randomMatrix(10, 1) };
    const { layout } = confusionScene(o);
    const img = decodePng(confusionPng(o));
    const colours = new Set<string>();
    for (let y = 0; y < img.height; y += 2) for (let x = 0; x < img.width; x += 2) colours.add(pixel(img, x, y));
    expect(colours.size).toBeGreaterThan(20);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const b = layout.cells[i]![j]!;
        const fill = layout.cellColours[i]![j]!;
        const ink = layout.textColours[i]![j]!;
        expect(ink).toBe(contrastText(fill, '#1a1a1a', '#ffffff'));
        // Count pixels of the text colour in the middle band of the cell (the frame excluded).
        let hits = 0;
        for (let y = b.y + 3; y < b.y + b.h - 3; y++) for (let x = b.x + 3; x < b.x + b.w - 3; x++) if (pixel(img, x, y) === ink) hits++;
        expect(hits, `cell ${i},${j}`).toBeGreaterThan(5);
      }
    }
  });

  it('frames the diagonal: with equal counts everywhere, diagonal cells still differ at their border', () => {
    const o: ConfusionOptions = { title: 'flat', labels: GTZAN.slice(0, 4), matrix: Array.from({ length: 4 }, () => [5, 5, 5, 5]) };
    const { layout } = confusionScene(o);
    const img = decodePng(confusionPng(o));
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const b = layout.cells[i]![j]!;
        expect(layout.cellColours[i]![j]).toBe(layout.topColour);
        const edge = pixel(img, b.x + b.w / 2, b.y); // first row of the cell
        if (i === j) expect(edge).not.toBe(layout.cellColours[i]![j]);
        else expect(edge).toBe(layout.cellColours[i]![j]);
      }
    }
  });

  it('draws the colour bar from the bottom colour to the top colour', () => {
    const o: ConfusionOptions = { title: 'bar', labels: GTZAN, matrix: randomMatrix(10, 2) };
    const { layout } = confusionScene(o);
    const img = decodePng(confusionPng(o));
    const bar = layout.colourBar;
    const dist = (a: string, b: string) => Math.max(...[0, 1, 2].map((k) => Math.abs(parseColour(a)[k]! - parseColour(b)[k]!)));
    expect(dist(pixel(img, bar.x + bar.w / 2, bar.y + bar.h - 2), layout.bottomColour)).toBeLessThanOrEqual(12);
    expect(dist(pixel(img, bar.x + bar.w / 2, bar.y + 1), layout.topColour)).toBeLessThanOrEqual(12);
  });
});

describe('confusion matrix SVG', () => {
  it('is well-formed XML with every label and every count as text, each count centred in its cell', () => {
    const matrix = randomMatrix(10, 3);
    const o: ConfusionOptions = { title: 'GTZAN — SVM', subtitle: 'accuracy 0.74', labels: GTZAN, matrix };
    const { layout } = confusionScene(o);
    const svg = confusionSvg(o);
    const doc = parseXml(svg);
    expect(doc.name).toBe('svg');
    expect(Number(doc.attrs.width)).toBe(layout.width);
    expect(Number(doc.attrs.height)).toBe(layout.height);
    const all = texts(doc);
    const contents = all.map(textOf);
    for (const l of GTZAN) expect(contents.filter((c) => c === l).length).toBe(2); // both axes
    for (const s of ['GTZAN — SVM', 'accuracy 0.74', 'True label', 'Predicted label', 'Count']) expect(contents).toContain(s);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const b = layout.cells[i]![j]!;
        const inCell = all.filter((t) => {
          const x = Number(t.attrs.x), y = Number(t.attrs.y);
          return Math.abs(x - (b.x + b.w / 2)) < 0.01 && y > b.y && y < b.y + b.h;
        });
        expect(inCell.map(textOf), `cell ${i},${j}`).toEqual([String(matrix[i]![j])]);
        expect(inCell[0]!.attrs.fill).toBe(layout.textColours[i]![j]);
      }
    }
    const rects = findAll(doc, 'rect').filter((r) => r.attrs.fill === layout.cellColours[0]![0] && Number(r.attrs.width) === layout.cells[0]![0]!.w);
    expect(rects.length).toBeGreaterThan(0);
  });

  it('escapes & < > " \' in labels and titles, and strips characters XML forbids', () => {
    const labels = ['R&B', '<noise>', 'say "hi"', "rock 'n' roll", 'ctrl\u0001char'];
    const o: ConfusionOptions = { title: 'A & B <test> "q" \'s\'', labels, matrix: randomMatrix(5, 4) };
    const svg = confusionSvg(o);
    const doc = parseXml(svg);
    const contents = texts(doc).map(textOf);
    for (const l of labels.slice(0, 4)) expect(contents).toContain(l);
    expect(contents).toContain('ctrl\ufffdchar');
    expect(contents).toContain('A & B <test> "q" \'s\'');
    expect(textOf(findAll(doc, 'title')[0]!)).toBe('A & B <test> "q" \'s\'');
    expect(svg).not.toContain('<noise>');
  });

  it('handles rows with no items: no NaN anywhere, cells at the bottom colour, no percentages', () => {
    const matrix = randomMatrix(6, 5);
    matrix[2] = [0, 0, 0, 0, 0, 0];
    for (const normalise of [false, true]) {
      const o: ConfusionOptions = { title: 'zero row', labels: GTZAN.slice(0, 6), matrix, normalise };
      const svg = confusionSvg(o);
      expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
      parseXml(svg);
      const { layout } = confusionScene(o);
      expect(layout.cellColours[2]!.every((c) => c === layout.bottomColour)).toBe(true);
      expect(layout.cellTexts[2]!.every((t) => t.length === 1 && t[0] === '0')).toBe(true);
    }
    // An all-zero matrix, and non-finite entries.
    const z = confusionSvg({ title: 'empty', labels: ['a', 'b'], matrix: [[0, 0], [0, 0]], normalise: true });
    expect(z).not.toMatch(/NaN|Infinity/);
    const bad = confusionSvg({ title: 'bad', labels: ['a', 'b'], matrix: [[NaN, 1], [Infinity, -2]] });
    expect(bad).not.toMatch(/NaN|Infinity/);
    parseXml(bad);
  });

  it('normalised: colours by row share, percentages under the counts when there is room', () => {
    const matrix = [[30, 10, 0], [5, 5, 10], [0, 0, 7]];
    const o: ConfusionOptions = { title: 'norm', labels: ['a', 'b', 'c'], matrix, normalise: true };
    const { layout } = confusionScene(o);
    expect(layout.cellTexts[0]![0]).toEqual(['30', '75%']);
    expect(layout.cellTexts[1]![2]).toEqual(['10', '50%']);
    expect(layout.cellTexts[2]![2]).toEqual(['7', '100%']);
    expect(layout.cellColours[2]![2]).toBe(layout.topColour); // 100 % of its row
    expect(layout.cellColours[0]![2]).toBe(layout.bottomColour);
    const contents = texts(parseXml(confusionSvg(o))).map(textOf);
    for (const s of ['75%', '50%', '100%', 'Share of true label']) expect(contents).toContain(s);
    expect(confusionScene({ ...o, percentages: false }).layout.cellTexts[0]![0]).toEqual(['30']);
  });

  it('scales to 40 classes: smaller cells and fonts, long labels shortened with an ellipsis, x labels vertical', () => {
    const n = 40;
    const long = Array.from({ length: n }, (_, i) => `Electronic dance music subgenre number ${i}`);
    const matrix = randomMatrix(n, 6, 400);
    matrix[7]![7] = 12345; // too wide for a small cell: written compactly
    const o: ConfusionOptions = { title: 'forty', labels: long, matrix, maxLabelWidth: 150 };
    const { layout } = confusionScene(o);
    expect(layout.cells[0]![0]!.w).toBeGreaterThanOrEqual(16);
    expect(layout.width).toBeLessThan(1400);
    expect(layout.xLabelsRotated).toBe(true);
    expect(['6x10', '5x8']).toContain(layout.cellFont);
    for (const l of [...layout.xLabels, ...layout.yLabels]) {
      expect(l.endsWith('…')).toBe(true);
      expect(textWidth(l, '6x13')).toBeLessThanOrEqual(150);
    }
    expect(layout.cellTexts[7]![7]![0]).toBe('12k');
    // Every count fits its cell.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(textWidth(layout.cellTexts[i]![j]![0]!, layout.cellFont)).toBeLessThanOrEqual(layout.cells[i]![j]!.w);
    const doc = parseXml(confusionSvg(o));
    const rotated = texts(doc).filter((t) => (t.attrs.transform ?? '').includes('rotate(-90)'));
    expect(rotated.length).toBe(n + 2); // x labels, "True label", colour-bar caption
    expect(decodePng(confusionPng(o)).width).toBe(layout.width);
  });

  it('keeps short labels horizontal for few classes', () => {
    const { layout } = confusionScene({ title: 't', labels: ['no', 'yes'], matrix: [[3, 1], [2, 4]] });
    expect(layout.xLabelsRotated).toBe(false);
    expect(layout.xLabels).toEqual(['no', 'yes']);
  });

  it('rejects a matrix that does not match the labels', () => {
    expect(() => confusionScene({ title: 't', labels: ['a', 'b'], matrix: [[1, 2]] })).toThrow(RangeError);
    expect(() => confusionScene({ title: 't', labels: ['a', 'b'], matrix: [[1, 2], [3]] })).toThrow(RangeError);
    expect(() => confusionScene({ title: 't', labels: [], matrix: [] })).toThrow(RangeError);
  });
});
