// Feature engine benchmark: the gtzan57 profile per 30-s GTZAN clip, per stage, single thread, against
// the numpy reference (../shared/reference/gtzan57_numpy.py, run by this benchmark in the same run on
// the same 10 clips, OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1), and the per-column parity of the
// profile with the published GTZAN tables (every shared clip; 3-s segments of 6 clips).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getProfile } from '../src/main/engine/features';
import { keyedTable, readCsv } from '../src/main/engine/features/csv';
import { type ComputedRow, parityMarkdown, parityReport, tempoAgreement } from '../src/main/engine/features/parity';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data');
const audioDir = path.join(data, 'gtzan-audio');
const table30 = path.join(data, 'gtzan-features/features_30_sec.csv');
const table3 = path.join(data, 'gtzan-features/features_3_sec_subset_classical_jazz_rock.csv');
const refScript = path.resolve(root, '../shared/reference/gtzan57_numpy.py');
const PYTHON = '/usr/bin/python3';
const STAGES = ['stft', 'spectral+rms+zcr', 'mel+mfcc', 'chroma', 'hpss.median', 'hpss', 'tempo', 'total'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f3 = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** 16-bit PCM WAV -> mono float32 (int16 / 32768), as librosa/soundfile read it. */
function readWav(file: string): Float32Array {
  const b = readFileSync(file);
  let pos = 12;
  let ch = 1;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    if (id === 'fmt ') ch = b.readUInt16LE(pos + 10);
    if (id === 'data') {
      const n = Math.floor(Math.min(size, b.length - pos - 8) / (2 * ch));
      const pcm = new Int16Array(b.buffer.slice(b.byteOffset + pos + 8, b.byteOffset + pos + 8 + n * 2 * ch));
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < ch; c++) s += pcm[i * ch + c];
        y[i] = s / ch / 32768;
      }
      return y;
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

interface ClipTiming {
  stages: Record<string, number>;
  cpu: number;
}

function timeClip(y: Float32Array): { timing: ClipTiming; track: Float64Array } {
  const p = getProfile('gtzan57');
  const c0 = process.cpuUsage();
  const r = p.extract(y);
  const c = process.cpuUsage(c0);
  return { timing: { stages: r.timings, cpu: (c.user + c.system) / 1e6 }, track: r.track };
}

/** Median seconds per clip and per stage printed by the reference script, or a reason it could not run. */
function runReference(files: string[]): { stages: Record<string, number>; wall: number } | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(refScript)) return `${refScript} not found`;
  const t0 = performance.now();
  const r = spawnSync(PYTHON, [refScript, ...files, '--csv', table30], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 1 << 24,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) return `reference failed (exit ${r.status}): ${(r.stderr || '').split('\n').slice(-3).join(' ')}`;
  const stages: Record<string, number> = {};
  const tail = r.stdout.split('median seconds per clip')[1] ?? '';
  for (const line of tail.split('\n')) {
    const m = /^\s+(\S+)\s+([0-9.]+)\s*$/.exec(line);
    if (m) stages[m[1]] = Number(m[2]);
  }
  if (!('total' in stages)) return 'could not parse the reference timings';
  return { stages, wall };
}

async function run(): Promise<string> {
  if (!existsSync(audioDir)) return `Skipped: no GTZAN audio at \`${audioDir}\` (../shared/data is absent).`;
  const files = readdirSync(audioDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.wav'))
    .map((f) => path.join(audioDir, f))
    .sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  const subset = files.filter((_, i) => i % Math.ceil(files.length / 10) === 0).slice(0, 10);
  const load0 = loadavg()[0];
  const audio = new Map(files.map((f) => [f, readWav(f)]));

  timeClip(audio.get(files[0])!); // JIT warm-up
  // every clip once (timings + parity rows)
  const rows: ComputedRow[] = [];
  const all: ClipTiming[] = [];
  for (const f of files) {
    const { timing, track } = timeClip(audio.get(f)!);
    all.push(timing);
    rows.push({ filename: path.basename(f), values: track });
  }
  // subset: ours, the reference, ours again (interleaved, as the machine's load drifts)
  const pass1 = subset.map((f) => timeClip(audio.get(f)!).timing);
  const ref = runReference(subset);
  const pass2 = subset.map((f) => timeClip(audio.get(f)!).timing);
  const load1 = loadavg()[0];

  const med = (ts: ClipTiming[], k: string): number => median(ts.map((t) => t.stages[k] ?? 0));
  const ours = (k: string): number => (med(pass1, k) + med(pass2, k)) / 2;
  const out: string[] = [];
  out.push(
    `Profile \`gtzan57\` on 30-s GTZAN clips (22,050 Hz mono, decoding excluded), single thread, wall seconds per clip ` +
      `(median). Node ${process.version}; 1-min load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end ` +
      '(the machine is shared: compare the ratio, measured in the same run, not the absolute figures).',
    '',
    `Reference: \`OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 ${PYTHON} ${path.relative(root, refScript)} <10 clips> --csv ${path.relative(root, table30)}\` ` +
      '(its own printed medians), run between two passes of ours over the same 10 clips; "ours" = mean of the two passes\' medians.',
    '',
  );
  out.push('| stage | ours, 10 clips | numpy reference, same 10 clips | ratio ours / numpy | ours, all ' + files.length + ' clips |');
  out.push('|---|---|---|---|---|');
  for (const k of STAGES) {
    const r = typeof ref === 'string' ? undefined : ref.stages[k];
    out.push(`| ${k} | ${f3(ours(k))} | ${f3(r)} | ${r ? f3(ours(k) / r) : 'n/a'} | ${f3(med(all, k))} |`);
  }
  out.push(`| CPU seconds (user + system) | ${f3((median(pass1.map((t) => t.cpu)) + median(pass2.map((t) => t.cpu))) / 2)} | — | — | ${f3(median(all.map((t) => t.cpu)))} |`);
  out.push('');
  out.push('`hpss.median` (the two 31-tap median filters, including the transposes) is part of `hpss`; `total` is the whole profile.');
  if (typeof ref === 'string') out.push(`\n**The numpy reference did not run:** ${ref}.`);
  else out.push(`\nTotal: ours ${f3(ours('total'))} s vs numpy ${f3(ref.stages.total)} s per clip — **ratio ${f3(ours('total') / ref.stages.total)}** (bar: at most 0.5). Reference process wall time including imports and loading: ${ref.wall.toFixed(1)} s for ${subset.length} clips.`);

  // parity
  const p = getProfile('gtzan57');
  const t30 = keyedTable(readCsv(table30));
  const rep = parityReport(rows, t30, p.columns);
  const tempo = tempoAgreement(rows, t30, p.columns.indexOf('tempo'));
  out.push('', `### Parity with \`features_30_sec.csv\` (${rows.length} clips)`, '');
  out.push(`Worst column: Pearson r ${Math.min(...rep.map((c) => c.r)).toFixed(10)}, median relative error ${Math.max(...rep.map((c) => c.medRel)).toExponential(1)}. ` +
    `Tempo identical on ${(tempo.identical * 100).toFixed(1)} %, within 2 BPM on ${(tempo.within2bpm * 100).toFixed(1)} % (bars: r >= 0.9999, median rel. <= 1e-4, tempo within 2 BPM >= 95 %).`, '');
  out.push(parityMarkdown(rep));

  const segClips = files.filter((f) => /^(classical|jazz|rock)\.0000[01]\.wav$/.test(path.basename(f)));
  if (existsSync(table3) && segClips.length) {
    const segRows: ComputedRow[] = [];
    for (const f of segClips) {
      const base = path.basename(f, '.wav');
      p.extract(audio.get(f)!, { segmentSeconds: 3 }).segments.forEach((v, i) => segRows.push({ filename: `${base}.${i}.wav`, values: v }));
    }
    const t3 = keyedTable(readCsv(table3));
    const srep = parityReport(segRows, t3, p.columns);
    const st = tempoAgreement(segRows, t3, p.columns.indexOf('tempo'));
    out.push('', `### Parity of 3-s segments with \`${path.basename(table3)}\` (${segRows.length} segments of ${segClips.length} clips)`, '');
    const worstMed = srep.reduce((w, c) => (c.medRel > w.medRel ? c : w));
    const worstMax = srep.reduce((w, c) => (c.maxRel > w.maxRel ? c : w));
    out.push(`Worst column: Pearson r ${Math.min(...srep.map((c) => c.r)).toFixed(10)}, median relative error ${worstMed.medRel.toExponential(1)} (${worstMed.column}); ` +
      `worst max relative error ${worstMax.maxRel.toExponential(1)} (${worstMax.column} of ${worstMax.worst}, whose table value is ${t3.value(worstMax.worst, worstMax.column).toPrecision(3)}). ` +
      `Tempo identical on ${(st.identical * 100).toFixed(1)} %.`);
  }
  return out.join('\n');
}

export default { title: 'Feature engine (gtzan57) speed and parity', run };
