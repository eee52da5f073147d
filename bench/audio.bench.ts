// Audio engine benchmark: decode speed (GTZAN WAVs, compressed files made by ffmpeg), resampler
// speed and stop-band rejection, demo-synthesiser speed. Reference figures come from Python
// (soundfile = libsndfile, scipy.signal.resample_poly) run by this benchmark in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import decodeAny from '@audio/decode';
import { decodeFile, DEMO_STYLES, resample, resamplerDesign, synthesiseClip } from '../src/main/engine/audio/index';
import { mulberry32 } from '../src/main/engine/random';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared/data');
const PYTHON = '/usr/bin/python3';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** CPU seconds (user + system) of this process spent in fn: steadier than wall time on a shared machine. */
async function time<T>(fn: () => Promise<T> | T): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

// The Python side: median seconds of soundfile.read(float32) per file, and resample_poly timings.
const PY = String.raw`
import json, sys, time
import numpy as np, soundfile as sf, scipy.signal as sig
cfg = json.load(sys.stdin)
out = {"decode": {}, "resample": {}}
for key, files in cfg["decode"].items():
    ts = []
    for p in files:
        for _ in range(cfg["reps"].get(key, 1)):
            t = time.process_time()
            try:
                sf.read(p, dtype="float32")
            except Exception as e:
                ts = None
                break
            ts.append(time.process_time() - t)
        if ts is None:
            break
    out["decode"][key] = float(np.median(ts)) if ts else None
rng = np.random.default_rng(0)
for rate in cfg["resampleRates"]:
    x = rng.standard_normal(int(rate * cfg["resampleSeconds"])).astype(np.float32)
    g = np.gcd(rate, 22050)
    best = 1e9
    for _ in range(2):
        t = time.process_time()
        sig.resample_poly(x, 22050 // g, rate // g)
        best = min(best, time.process_time() - t)
    out["resample"][str(rate)] = best
print(json.dumps(out))
`;

interface PyResult {
  decode: Record<string, number | null>;
  resample: Record<string, number>;
}

function runPython(cfg: object): PyResult | null {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, ['-c', PY], {
    input: JSON.stringify(cfg),
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as PyResult;
}

function levelDb(y: Float32Array, edge: number): number {
  let s = 0;
  for (let i = edge; i < y.length - edge; i++) s += y[i] * y[i];
  return 10 * Math.log10(s / (y.length - 2 * edge) / 0.5);
}

function sine(freq: number, rate: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * freq * i) / rate));
}

async function run(): Promise<string> {
  const lines: string[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'genrelab-audio-bench-'));
  try {
    // ---------------------------------------------------------------- inputs
    const gtzanDir = path.join(shared, 'gtzan-audio');
    const gtzan: string[] = existsSync(gtzanDir)
      ? readdirSync(gtzanDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .flatMap((d) => readdirSync(path.join(gtzanDir, d.name)).filter((n) => n.endsWith('.wav')).map((n) => path.join(gtzanDir, d.name, n)))
          .sort()
      : [];
    const compressed: { key: string; file: string; note: string }[] = [];
    const haveFfmpeg = has('ffmpeg');
    const sourceClip = gtzan.find((p) => p.endsWith('rock.00000.wav')) ?? gtzan[0];
    if (haveFfmpeg && sourceClip) {
      for (const [key, args, note] of [
        ['mp3', ['-c:a', 'libmp3lame', '-b:a', '192k'], 'MP3 192 kb/s'],
        ['flac', ['-c:a', 'flac'], 'FLAC 16-bit'],
        ['ogg', ['-c:a', 'libvorbis', '-q:a', '5'], 'Ogg Vorbis q5'],
        ['opus', ['-c:a', 'libopus', '-b:a', '128k'], 'Opus 128 kb/s'],
        ['m4a', ['-c:a', 'aac', '-b:a', '192k'], 'AAC 192 kb/s in M4A'],
      ] as const) {
        const file = path.join(tmp, `clip.${key}`);
        const rate = key === 'opus' ? '48000' : '44100'; // Opus has no 44.1 kHz mode
        const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', sourceClip, '-ar', rate, '-ac', '2', ...args, file]);
        if (r.status === 0) compressed.push({ key, file, note });
      }
    }

    // ---------------------------------------------------------------- JS: decode
    let wavPerClip = NaN;
    if (gtzan.length) {
      await decodeFile(gtzan[0]); // warm-up
      const ts: number[] = [];
      for (const p of gtzan) ts.push(await time(() => decodeFile(p)));
      wavPerClip = median(ts);
    }
    const jsCompressed: Record<string, { full: number; raw: number; seconds: number }> = {};
    for (const c of compressed) {
      const bytes = readFileSync(c.file);
      await decodeFile(c.file); // warm-up: compiles the WASM decoder
      const full: number[] = [];
      const raw: number[] = [];
      let seconds = 0;
      for (let r = 0; r < 3; r++) {
        full.push(await time(async () => (seconds = (await decodeFile(c.file)).duration)));
        raw.push(await time(() => decodeAny(bytes)));
      }
      jsCompressed[c.key] = { full: median(full), raw: median(raw), seconds };
    }

    // ---------------------------------------------------------------- JS: resampler
    const RESAMPLE_SECONDS = 300;
    const resampleRates = [96000, 48000, 44100];
    const jsResample: Record<number, number> = {};
    const rng = mulberry32(0);
    for (const rate of resampleRates) {
      const x = Float32Array.from({ length: rate * RESAMPLE_SECONDS }, () => rng() * 2 - 1);
      resample(x.subarray(0, rate), rate, 22050); // warm-up
      let best = Infinity;
      for (let r = 0; r < 2; r++) best = Math.min(best, await time(() => resample(x, rate, 22050)));
      jsResample[rate] = best;
    }

    // ---------------------------------------------------------------- JS: synthesiser
    const synth: Record<string, number> = {};
    for (const style of DEMO_STYLES) {
      synthesiseClip(style, 0, 1);
      const ts: number[] = [];
      for (let s = 1; s <= 3; s++) ts.push(await time(() => synthesiseClip(style, s, 10)));
      synth[style] = median(ts);
    }

    // ---------------------------------------------------------------- Python, same run
    const py = runPython({
      decode: { wav: gtzan, ...Object.fromEntries(compressed.map((c) => [c.key, [c.file]])) },
      reps: Object.fromEntries(compressed.map((c) => [c.key, 3])),
      resampleRates,
      resampleSeconds: RESAMPLE_SECONDS,
    });
    const pyNote = py
      ? `Python reference: \`${PYTHON}\` with soundfile (libsndfile) \`sf.read(path, dtype="float32")\` and \`scipy.signal.resample_poly\` (default Kaiser β = 5 filter), single thread, spawned by this benchmark.`
      : `Python reference: \`${PYTHON}\` (with numpy, scipy, soundfile) was not available, so there are no ratios.`;

    // ---------------------------------------------------------------- report
    lines.push(
      'Command: `npm run bench -- audio` (bench/audio.bench.ts). Times are CPU seconds of the measuring process (Node `process.cpuUsage`, Python `time.process_time`), which the other work on a shared machine disturbs less than wall-clock time; ratios are JS ÷ reference, measured in the same run.',
    );
    lines.push('');
    lines.push(pyNote);
    lines.push('');
    lines.push('### Decoding (to mono 22,050 Hz)');
    lines.push('');
    lines.push('| input | files | JS s / 30-s clip (full decode) | JS codec only | soundfile s / clip | ratio (JS full ÷ soundfile) |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    if (gtzan.length) {
      const ref = py?.decode.wav ?? NaN;
      lines.push(`| GTZAN WAV, 22,050 Hz mono int16 (native reader, no resampling) | ${gtzan.length} | ${f(wavPerClip, 4)} | — | ${f(ref, 4)} | ${f(wavPerClip / ref, 2)} |`);
    } else {
      lines.push(`| GTZAN WAV | 0 | ${shared} not found | | | |`);
    }
    for (const c of compressed) {
      const j = jsCompressed[c.key];
      const scale = 30 / j.seconds;
      const ref = py?.decode[c.key];
      const refClip = ref != null ? ref * scale : NaN;
      lines.push(
        `| ${c.note}, ${c.key === 'opus' ? '48' : '44.1'} kHz stereo (ffmpeg from rock.00000; @audio/decode + resampler) | 1 × 3 runs | ${f(j.full * scale)} | ${f(j.raw * scale)} | ${ref != null ? f(refClip) : 'not supported by libsndfile'} | ${f((j.full * scale) / refClip, 1)} |`,
      );
    }
    if (!haveFfmpeg) lines.push('| compressed formats | — | ffmpeg not found: not measured | | | |');
    lines.push('');
    lines.push('### Resampler (Kaiser-windowed sinc, polyphase)');
    lines.push('');
    lines.push(`${RESAMPLE_SECONDS} s of white noise, mono Float32, best of 2 runs; "× real time" = seconds of input audio per CPU second.`);
    lines.push('');
    lines.push('| conversion | stages (taps) | MACs / output | JS time | JS × real time | scipy resample_poly | ratio (JS ÷ scipy) |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const rate of resampleRates) {
      const d = resamplerDesign(rate, 22050);
      const stages = d.stages.map((s) => `${s.fromRate / 1000}k→${s.toRate / 1000}k (${s.taps})`).join(', ');
      const ref = py?.resample[String(rate)] ?? NaN;
      lines.push(`| ${rate.toLocaleString('en-US')} → 22,050 Hz | ${stages} | ${f(d.macsPerOutput, 0)} | ${f(jsResample[rate], 2)} s | ${f(RESAMPLE_SECONDS / jsResample[rate], 0)} | ${f(ref, 2)} s | ${f(jsResample[rate] / ref, 2)} |`);
    }
    lines.push('');
    const d48 = resamplerDesign(48000, 22050);
    lines.push(
      `Filter: pass band to ${f(d48.passHz, 0)} Hz, cut-off (−6 dB) ${f(d48.cutoffHz, 0)} Hz, stop band from ${f(d48.stopHz, 0)} Hz, designed for ${d48.stopDb} dB (Kaiser β ${f(d48.beta, 2)}); figures for 48 kHz → 22,050 Hz.`,
    );
    lines.push('');
    lines.push('Measured response (1-s full-scale sines, level of the output relative to full scale, 500 samples trimmed at each end):');
    lines.push('');
    lines.push('| from | tone | output level |');
    lines.push('| --- | --- | --- |');
    for (const [rate, tones] of [
      [48000, [1000, 5000, 8000, 9500, 10500, 11100, 12000, 15000, 20000]],
      [44100, [1000, 8000, 11100, 15000, 21000]],
      [96000, [1000, 15000, 30000, 37000, 47000]],
    ] as const) {
      for (const tone of tones) {
        const y = resample(sine(tone, rate, rate), rate, 22050);
        const db = levelDb(y, 500);
        lines.push(`| ${rate / 1000} kHz | ${tone.toLocaleString('en-US')} Hz | ${f(Math.abs(db) < 0.005 ? 0 : db, 2)} dB |`);
      }
    }
    lines.push('');
    lines.push('### Demo synthesiser');
    lines.push('');
    lines.push('| style | s per 10-s clip (median of 3 seeds) |');
    lines.push('| --- | --- |');
    for (const style of DEMO_STYLES) lines.push(`| ${style} | ${f(synth[style])} |`);
    return lines.join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export default { title: 'Audio engine: decoding, resampling, synthesis', run };
