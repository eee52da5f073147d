// GraphSAGE with a reduction before the graph (issue 7's `--reduce`): how much accuracy the node
// features keep. The GTZAN 30-s table imported as the app imports it, then GraphSAGE trained through
// the training service with stratified 5-fold cross-validation (seed 1): on the standardised
// features, on a PCA to 20 components, and on a 2-D and 3-D t-SNE. For context, scikit-learn's kNN on
// the features and on a 3-D t-SNE placed the same way (bench/graphsage-tsne-knn.py, spawned with
// /usr/bin/python3 in the same run; its own stratified folds).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Services } from '../src/main/services';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = path.resolve(root, '../shared/data/gtzan-features/features_30_sec.csv');
const PYTHON = '/usr/bin/python3';

export default {
  title: 'GraphSAGE: what a reduction before the graph keeps',
  async run(): Promise<string> {
    if (!existsSync(TABLE)) return `Skipped: ${TABLE} is absent (../shared/data is not beside this checkout).\n`;
    const lines = [
      `Measured with \`npm run bench -- graphsage-reduce\`; load average at the start ${loadavg().map((x) => x.toFixed(1)).join(' / ')}. GTZAN \`features_30_sec.csv\` (1,000 tracks, 57 columns), GraphSAGE at its defaults except the reduction, trained through the training service (wasm backend, a worker thread), stratified 5-fold, seed 1.`,
      '',
      '| node features | accuracy | macro-F1 | wall |',
      '| --- | --- | --- | --- |',
    ];
    const tmp = mkdtempSync(path.join(tmpdir(), 'genrelab-bench-gsr-'));
    const s = new Services({ dbPath: path.join(tmp, 'g.sqlite'), dataDir: tmp, workers: 2 });
    try {
      await s.handlers['library.importTable']({ path: TABLE });
      const variants: Array<{ label: string; params: Record<string, unknown> }> = [
        { label: 'standardised features (57)', params: {} },
        { label: 'PCA to 20 components', params: { reduce: 'pca', components: 20 } },
        { label: 't-SNE to 3-D', params: { reduce: 'tsne', components: 3 } },
        { label: 't-SNE to 2-D', params: { reduce: 'tsne', components: 2 } },
      ];
      for (const v of variants) {
        const t = performance.now();
        const r = await s.startTraining({ model: 'graphsage', evaluation: { kind: 'cv', folds: 5 }, params: v.params, seed: 1 }).done;
        const run = s.runs.get(r.runId)!;
        lines.push(`| ${v.label} | ${(100 * run.metrics.accuracy).toFixed(1)} % | ${run.metrics.macroF1.toFixed(3)} | ${((performance.now() - t) / 1000).toFixed(0)} s |`);
      }
    } finally {
      await s.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    lines.push('');
    if (existsSync(PYTHON)) {
      const r = spawnSync(PYTHON, [path.join(root, 'bench/graphsage-tsne-knn.py'), TABLE], { encoding: 'utf8', timeout: 900_000, env: { ...process.env, OMP_NUM_THREADS: '2' } });
      if (r.status === 0) {
        const py = JSON.parse(r.stdout) as { knnTsne: number; knnFeatures: number; seconds: number; sklearn: string };
        lines.push(
          `For context, scikit-learn ${py.sklearn} kNN (k = 5) on its own stratified 5 folds: **${(100 * py.knnFeatures).toFixed(1)} %** on the standardised features, **${(100 * py.knnTsne).toFixed(1)} %** on a 3-D t-SNE of the training fold with held-out tracks placed as GraphSAGE places them (\`${PYTHON} bench/graphsage-tsne-knn.py features_30_sec.csv\`, ${py.seconds.toFixed(0)} s). Three t-SNE coordinates keep much less of the genre than the 57 features do, whatever classifier reads them; the t-SNE option is there because the graph study offers it, not as a better input.`,
          '',
        );
      } else lines.push(`scikit-learn comparison not run: ${r.stderr.trim().split('\n').pop() ?? 'failed'}`, '');
    } else lines.push(`scikit-learn comparison not run: ${PYTHON} not found.`, '');
    return lines.join('\n');
  },
};
