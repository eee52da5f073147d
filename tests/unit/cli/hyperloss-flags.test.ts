// `genrelab train` loss flags → the request's `loss`, and the lines printed about a run's loss.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/main/cli';
import { lossFromFlags, lossSummaryText } from '../../../src/main/cli/trainLoss';
import type { RunMetrics } from '../../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'genrelab-hyperloss-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flags = (...a: string[]) => parseArgs(['train', ...a]).flags;

describe('loss flags', () => {
  it('no loss flag: no loss; --embedding alone attaches an embedding to plain cross-entropy', async () => {
    expect(await lossFromFlags(flags('--model', 'dense'))).toBeUndefined();
    expect(await lossFromFlags(flags('--embedding', 'e.json'))).toEqual({ kind: 'ce', embeddingPath: resolve('e.json') });
  });
  it('--loss hyperbolic is the weighted loss unless --hyperbolic-mode expected; λ, id, baselines', async () => {
    expect(await lossFromFlags(flags('--loss', 'hyperbolic', '--embedding', 'e.json', '--lambda', '2.5'))).toEqual({ kind: 'hyperbolic-weighted', embeddingPath: resolve('e.json'), lambda: 2.5 });
    expect(await lossFromFlags(flags('--loss', 'hyperbolic', '--hyperbolic-mode', 'expected', '--embedding-id', '3', '--no-baseline'))).toEqual({ kind: 'hyperbolic-expected', embeddingId: 3, baseline: false });
    expect(await lossFromFlags(flags('--loss', 'hyperbolic-expected', '--embedding-id', '3', '--baseline-run', '7'))).toEqual({ kind: 'hyperbolic-expected', embeddingId: 3, baselineRunId: 7 });
  });
  it('reads the label map', async () => {
    writeFileSync(join(dir, 'map.csv'), 'label,genre\nhiphop,hip hop\n');
    const r = await lossFromFlags(flags('--loss', 'hyperbolic', '--embedding', 'e.json', '--label-map', join(dir, 'map.csv')));
    expect(r?.labelMap).toEqual({ hiphop: 'hip hop' });
  });
  it('refuses what cannot work', async () => {
    await expect(lossFromFlags(flags('--loss', 'hyperbolic'))).rejects.toThrow(/needs --embedding/);
    await expect(lossFromFlags(flags('--loss', 'focal', '--embedding', 'e.json'))).rejects.toThrow(/--loss is ce or hyperbolic/);
    await expect(lossFromFlags(flags('--loss', 'hyperbolic', '--hyperbolic-mode', 'soft', '--embedding', 'e.json'))).rejects.toThrow(/weighted or expected/);
    await expect(lossFromFlags(flags('--loss', 'hyperbolic', '--embedding', 'e.json', '--lambda', '-1'))).rejects.toThrow(/--lambda/);
    await expect(lossFromFlags(flags('--loss', 'hyperbolic', '--embedding', 'e.json', '--embedding-id', '2'))).rejects.toThrow(/not both/);
    await expect(lossFromFlags(flags('--loss', 'hyperbolic', '--embedding', 'e.json', '--label-map', join(dir, 'none.csv')))).rejects.toThrow(/No such label map/);
  });
  it('prints severity, baseline and r', () => {
    const m = {
      hyperbolic: {
        loss: 'hyperbolic-weighted', lambda: 1, embedding: { id: null, name: 'e.json', model: 'poincare', dim: 10, nodes: 2952 },
        mapping: [{ label: 'hiphop', genre: 'hip hop', how: 'normalised', score: 1 }, { label: 'x', genre: null, how: 'none', score: 0 }],
        distances: [], scale: 9, mistakeSeverity: 6.5, mistakes: 12, trackMistakeSeverity: null,
        baseline: { source: 'same-job', accuracy: 0.7, macroF1: 0.69, mistakeSeverity: 6.75, trackAccuracy: null, trackMistakeSeverity: null },
        deltaF1: [], deltaF1Correlation: 0.25, warnings: [],
      },
    } as unknown as RunMetrics;
    const t = lossSummaryText(m);
    expect(t).toContain('loss: hyperbolic-weighted (λ 1); embedding e.json (poincare, 10-D, 2952 genres)');
    expect(t).toContain('hiphop → hip hop, x → (unmapped)');
    expect(t).toContain('mistake severity: 6.500 over 12 mistakes');
    expect(t).toContain('cross-entropy baseline (same folds): accuracy 70.0 %, macro-F1 0.690, mistake severity 6.750');
    expect(t).toContain('Pearson r = 0.250');
    expect(lossSummaryText({} as RunMetrics)).toBe('');
  });
});
