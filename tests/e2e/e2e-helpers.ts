// Shared by the end-to-end tests: locate the repo, start browser mode, launch Chromium, write WAVs,
// decode a PNG. No test in this file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { repoRoot } from '../helpers/shared';
import { pcm16Wav } from '../helpers/wav';

export { repoRoot };
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

/** Why the browser-mode tests cannot run here, or null when they can. */
export function browserSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is absent (apt-get install chromium)`;
  return null;
}

/** The renderer must have been built (`npm test` runs `electron-vite build` first). */
export function assertBuilt(): void {
  const index = path.join(repoRoot, 'out', 'renderer', 'index.html');
  if (!existsSync(index)) {
    throw new Error(`${index} is missing: build first with \`npx electron-vite build\` (npm test does this).`);
  }
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `genrelab-e2e-${prefix}-`));
}

export interface Served {
  url: string;
  origin: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** `genrelab serve --port 0 --db <dir>/g.sqlite --no-open`, resolved once it prints its URL. */
export function startServe(dir: string, timeoutMs = 90_000): Promise<Served> {
  const proc = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'genrelab.js'), 'serve', '--port', '0', '--db', path.join(dir, 'g.sqlite'), '--no-open'],
    { cwd: repoRoot, env: { ...process.env, GENRELAB_DATA_DIR: path.join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`genrelab serve printed no URL within ${timeoutMs / 1000} s.\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Genrelab is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, origin: new URL(m[1]!).origin, proc, stop });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`genrelab serve exited with code ${code} before printing its URL.\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/**
 * In a suite's beforeEach: when the test fails, save a screenshot of the page to
 * test-results/failed-<prefix><test name>.png and print it with the page's errors.
 */
export function screenshotOnFailure(ctx: { task: { name: string } }, browser: () => Browser | null, prefix = ''): void {
  onTestFailed(async () => {
    const b = browser();
    if (!b) return;
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    const file = path.join(repoRoot, 'test-results', `failed-${prefix}${name}.png`);
    mkdirSync(path.dirname(file), { recursive: true });
    await b.page.screenshot({ path: file }).catch(() => undefined);
    console.warn(`[e2e] failure screenshot: ${file}; page errors: ${JSON.stringify(b.errors)}`);
  });
}

/**
 * Open the app and add a folder through the path box (optionally with a feature profile); waits until
 * the analysis has finished and the library shows `tracks` tracks.
 */
export async function addFolderByPath(page: Page, url: string, folder: string, tracks: number, opts: { profile?: string; timeout?: number } = {}): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-app-state="ready"]');
  if (opts.profile) await page.selectOption('[data-testid="add-profile"]', opts.profile);
  await page.fill('[data-testid="path-input"]', folder);
  await page.press('[data-testid="path-input"]', 'Enter');
  await page.waitForSelector('[data-testid="job-summary"]', { timeout: opts.timeout ?? 120_000 });
  await page.waitForSelector(`[data-track-count="${tracks}"]`);
  await page.waitForSelector('body[data-app-state="ready"]');
}

/** Debian's Chromium, headless, with a fresh profile directory. */
export async function launchChromium(): Promise<Browser> {
  const profile = makeTempDir('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WavSpec {
  seconds: number;
  sampleRate?: number;
  channels?: number;
  /** Sine frequency in Hz (0: none). */
  freq?: number;
  /** White-noise amplitude in [0, 1] (deterministic generator). */
  noise?: number;
}

/** A 16-bit PCM WAV: a sine plus optional noise (deterministic), with a 10-ms fade in and out. */
export function wavBytes(spec: WavSpec, seed = 1): Buffer {
  const sampleRate = spec.sampleRate ?? 22050;
  const frames = Math.round(spec.seconds * sampleRate);
  const fade = Math.min(frames / 2, Math.round(0.01 * sampleRate));
  const noise = new Float32Array(frames);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < frames; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    noise[i] = ((state >>> 0) / 0xffffffff) * 2 - 1;
  }
  return pcm16Wav({
    sampleRate,
    channels: spec.channels ?? 1,
    frames,
    sample: (i) => {
      const env = Math.min(1, i / fade, (frames - 1 - i) / fade);
      const tone = spec.freq ? 0.5 * Math.sin((2 * Math.PI * spec.freq * i) / sampleRate) : 0;
      return env * (tone + (spec.noise ?? 0) * noise[i]!);
    },
  });
}

export function writeWav(file: string, spec: WavSpec, seed = 1): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, wavBytes(spec, seed));
}

export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

/** Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are). */
export function decodePng(buf: Buffer): DecodedPng {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => buf[i] === b)) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      const interlace = data[12];
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      }
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      let v = src[x]!;
      switch (filter) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter}`);
      }
      row[x] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Standard deviation of luminance (Rec. 601 weights) and the number of distinct colours. */
export function imageStats(img: DecodedPng): { lumaStd: number; colours: number } {
  let sum = 0;
  let sum2 = 0;
  const colours = new Set<number>();
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const o = i * img.channels;
    const r = img.pixels[o]!;
    const g = img.pixels[o + 1]!;
    const b = img.pixels[o + 2]!;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += y;
    sum2 += y * y;
    if (colours.size < 100_000) colours.add((r << 16) | (g << 8) | b);
  }
  const mean = sum / n;
  return { lumaStd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), colours: colours.size };
}
