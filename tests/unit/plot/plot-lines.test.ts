import { describe, expect, it } from 'vitest';
import { TAB10 } from '../../../src/main/engine/plot/colour';
import { lineChartScene, lineChartSvg, linePng, type LineChartOptions } from '../../../src/main/engine/plot/lines';
import { decodePng, type DecodedPng } from '../../../src/main/engine/plot/png';
import { findAll, parseXml, textOf } from './plot-xml';

function pixel(img: DecodedPng, x: number, y: number): string {
  const i = (Math.floor(y) * img.width + Math.floor(x)) * 4;
  return '#' + [0, 1, 2].map((k) => img.rgba[i + k]!.toString(16).padStart(2, '0')).join('');
}

const epochs = Array.from({ length: 30 }, (_, i) => i + 1);
const training: LineChartOptions = {
  title: 'MLP on GTZAN',
  xLabel: 'Epoch',
  yLabel: 'Loss',
  series: [
    { name: 'training loss', x: epochs, y: epochs.map((e) => 2.3 * Math.exp(-e / 6) + 0.3) },
    { name: 'validation loss', x: epochs, y: epochs.map((e) => 2.3 * Math.exp(-e / 7) + 0.5 + 0.0004 * e * e) },
  ],
};

describe('line chart', () => {
  it('SVG is well-formed and carries the title, axis titles, tick labels and legend names', () => {
    const { layout } = lineChartScene(training);
    const doc = parseXml(lineChartSvg(training));
    const contents = findAll(doc, 'text').map(textOf);
    for (const s of ['MLP on GTZAN', 'Epoch', 'Loss', 'training loss', 'validation loss', ...layout.xTickLabels, ...layout.yTickLabels]) expect(contents).toContain(s);
    expect(findAll(doc, 'path').length).toBe(4); // two series + two legend swatches
    // Integer epochs get integer ticks inside the data range; y ticks bracket the data.
    expect(layout.xTicks.every(Number.isInteger)).toBe(true);
    expect(layout.xTicks.every((t) => t >= 1 && t <= 30)).toBe(true);
    const ys = training.series.flatMap((s) => Array.from(s.y));
    expect(layout.yDomain[0]).toBeLessThanOrEqual(Math.min(...ys));
    expect(layout.yDomain[1]).toBeGreaterThanOrEqual(Math.max(...ys));
    expect(layout.yDomain).toEqual([layout.yTicks[0], layout.yTicks[layout.yTicks.length - 1]]);
  });

  it('PNG puts each series colour at its data points, and the legend where there is no data', () => {
    const { layout } = lineChartScene(training);
    const img = decodePng(linePng(training));
    expect([img.width, img.height]).toEqual([720, 440]);
    training.series.forEach((s, k) => {
      for (let i = 0; i < s.x.length; i += 5) {
        const x = layout.px(s.x[i]!), y = layout.py(s.y[i]!);
        expect(pixel(img, x, y), `series ${k} point ${i}`).toBe(TAB10[k]);
      }
    });
    // Curves fall from the top left: the legend must not sit on any data point or segment sample.
    const lg = layout.legend!;
    for (const s of training.series) {
      for (let i = 0; i + 1 < s.x.length; i++) {
        for (let t = 0; t <= 1; t += 0.1) {
          const x = layout.px(s.x[i]! + t * (s.x[i + 1]! - s.x[i]!)), y = layout.py(s.y[i]! + t * (s.y[i + 1]! - s.y[i]!));
          expect(x >= lg.x && x <= lg.x + lg.w && y >= lg.y && y <= lg.y + lg.h).toBe(false);
        }
      }
    }
  });

  it('is NaN-safe: non-finite values break the line, and odd inputs still give valid figures', () => {
    const y = [1, 2, NaN, 4, 5, Infinity, 3, -Infinity, 2];
    const o: LineChartOptions = { title: 'gaps', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: y.map((_, i) => i), y, colour: '#d62728' }] };
    const svg = lineChartSvg(o);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    const d = findAll(parseXml(svg), 'path')[0]!.attrs.d!;
    expect(d.split('M').length - 1).toBe(4); // runs: points 0–1, 3–4, 6 alone, 8 alone
    const { layout } = lineChartScene(o);
    const img = decodePng(linePng(o));
    // Between x = 1 and x = 3 (around the NaN at x = 2) no pixel of the series colour, except
    // inside the legend box.
    const lg = layout.legend!;
    for (let px = Math.ceil(layout.px(1.3)); px < layout.px(2.7); px++) {
      for (let py = layout.plot.y; py < layout.plot.y + layout.plot.h; py++) {
        if (px >= lg.x && px < lg.x + lg.w && py >= lg.y && py < lg.y + lg.h) continue;
        expect(pixel(img, px, py)).not.toBe('#d62728');
      }
    }
    // A lone finite point between breaks is still drawn (SVG: zero-length segment, PNG: a dot).
    expect(pixel(img, layout.px(6), layout.py(3))).toBe('#d62728');

    const odd: LineChartOptions[] = [
      { title: 'none', xLabel: 'x', yLabel: 'y', series: [] },
      { title: 'all missing', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2], y: [NaN, NaN] }] },
      { title: 'one point', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [3], y: [0.5] }] },
      { title: 'flat', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2, 3], y: [0, 0, 0] }] },
      { title: 'ragged', xLabel: 'x', yLabel: 'y', series: [{ name: '', x: new Float64Array([1, 2, 3, 4]), y: new Float32Array([1, 2]) }] },
      { title: 'big', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1e9], y: [-1e12, 1e12] }] },
    ];
    for (const c of odd) {
      const s = lineChartSvg(c);
      expect(s, c.title).not.toMatch(/NaN|Infinity|undefined/);
      parseXml(s);
      const { layout: l } = lineChartScene(c);
      expect(l.xDomain[1]).toBeGreaterThan(l.xDomain[0]);
      expect(l.yDomain[1]).toBeGreaterThan(l.yDomain[0]);
      expect(decodePng(linePng(c)).width).toBe(720);
    }
    expect(findAll(parseXml(lineChartSvg(odd[0]!)), 'text').map(textOf)).toContain('no data');
  });

  it('draws markers only for short series, and honours size and colour options', () => {
    const long = Array.from({ length: 200 }, (_, i) => i);
    const o: LineChartOptions = { title: 't', xLabel: 'x', yLabel: 'y', width: 500, height: 300, series: [{ name: 'a', x: long, y: long.map(Math.sqrt), colour: '#123456' }] };
    const doc = parseXml(lineChartSvg(o));
    expect([doc.attrs.width, doc.attrs.height]).toEqual(['500', '300']);
    expect(findAll(doc, 'circle').length).toBe(0);
    expect(findAll(doc, 'path')[0]!.attrs.stroke).toBe('#123456');
    const short = parseXml(lineChartSvg({ ...o, series: [{ name: 'a', x: [1, 2, 3], y: [3, 1, 2] }] }));
    expect(findAll(short, 'circle').length).toBe(3 + 1); // points + legend swatch
  });

  it('moves a legend that would cover data outside the plot, and can hide it', () => {
    const ep = Array.from({ length: 50 }, (_, i) => i + 1);
    const series = Array.from({ length: 12 }, (_, k) => ({ name: `fold ${k + 1} — validation accuracy with a very long descriptive name`, x: ep, y: ep.map((e) => 0.8 - 0.6 * Math.exp(-e / (5 + k)) + 0.01 * Math.sin(e + k)) }));
    const o: LineChartOptions = { title: 'folds', xLabel: 'Epoch', yLabel: 'Accuracy', series };
    const { layout } = lineChartScene(o);
    expect(layout.legendOutside).toBe(true);
    const lg = layout.legend!;
    expect(lg.x).toBeGreaterThanOrEqual(layout.plot.x + layout.plot.w);
    expect(lg.x + lg.w).toBeLessThanOrEqual(layout.width);
    expect(lineChartScene({ ...o, legend: 'inside' }).layout.legendOutside).toBe(false);
    expect(lineChartScene({ ...o, legend: 'none' }).layout.legend).toBeNull();
    expect(lineChartScene(training).layout.legendOutside).toBe(false); // room in a corner
  });
});
