// Demo-library synthesiser: short, honestly synthetic clips in a handful of styles, so the app
// can be tried without a music collection. Each style has its own tempo range, groove, drum kit,
// bass line, chord progression and timbres; the seed picks key, tempo (± a few %), progression,
// pattern variations and small timing/velocity humanisation, so clips of one style differ.
// Deterministic for (style, seed, seconds, sampleRate). Output: peak at −3 dBFS, finite.
//
//   rock      distorted saw power chords, saw bass in eighths, kick 1/3, snare 2/4, eighth hats
//   disco     four-on-the-floor, open hats on the off-beats, octave bass, string pad, muted funk guitar
//   jazz      swung ride, hi-hat on 2/4, walking bass, FM "Rhodes" comping on ii–V–I sevenths
//   classical no drums: bowed string ensemble, cello line, flute melody, harp arpeggios
//   hiphop    boom-bap at ~90 BPM, swung sixteenth hats, long 808 bass, dark e-piano loop, vinyl crackle
//   reggae    one-drop drums (kick + rim on 3), off-beat skank chords, organ bubble, deep bass
import { fork, mulberry32, pick, randInt, uniform, type Rng } from '../random';

export const DEMO_STYLES = ['rock', 'disco', 'jazz', 'classical', 'hiphop', 'reggae'] as const;
export type DemoStyle = (typeof DEMO_STYLES)[number];

const PEAK = 10 ** (-3 / 20);
const TWO_PI = 2 * Math.PI;

type Buf = Float64Array;

interface Ctx {
  sr: number;
  rng: Rng;
  /** Rendered one-shots (cymbals), reused across hits within a clip. */
  shots: Map<string, Float64Array>;
}

/** Add a cached one-shot, rendering it on first use. */
function addShot(buf: Buf, c: Ctx, key: string, t: number, amp: number, seconds: number, render: (shot: Float64Array) => void): void {
  let shot = c.shots.get(key);
  if (!shot) {
    shot = new Float64Array(Math.round(seconds * c.sr));
    render(shot);
    c.shots.set(key, shot);
  }
  const [a, b] = span(buf, c.sr, t, seconds);
  for (let i = a; i < b; i++) buf[i] += amp * shot[i - a];
}

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Index range [a, b) of a note starting at t seconds lasting len seconds, clipped to the buffer. */
function span(buf: Buf, sr: number, t: number, len: number): [number, number] {
  const a = Math.max(0, Math.round(t * sr));
  const b = Math.min(buf.length, Math.round((t + len) * sr));
  return [a, b];
}

/** One-pole low-pass coefficient for a cut-off in Hz. */
const lpCoef = (fc: number, sr: number) => 1 - Math.exp((-TWO_PI * Math.min(fc, sr * 0.45)) / sr);

// ---------------------------------------------------------------- drums

function kick(buf: Buf, c: Ctx, t: number, amp: number, f0 = 130, f1 = 48, decay = 0.28): void {
  const [a, b] = span(buf, c.sr, t, decay * 5);
  let ph = 0;
  for (let i = a; i < b; i++) {
    const s = (i - a) / c.sr;
    const f = f1 + (f0 - f1) * Math.exp(-s / 0.035);
    ph += (TWO_PI * f) / c.sr;
    const click = s < 0.004 ? (c.rng() * 2 - 1) * (1 - s / 0.004) * 0.4 : 0;
    buf[i] += amp * (Math.exp(-s / decay) * Math.sin(ph) + click);
  }
}

function snare(buf: Buf, c: Ctx, t: number, amp: number, decay = 0.14, tone = 190, bright = 0.6): void {
  const [a, b] = span(buf, c.sr, t, decay * 6);
  let ph = 0;
  let prev = 0;
  let lp = 0;
  const k = lpCoef(2000 + 7000 * bright, c.sr);
  for (let i = a; i < b; i++) {
    const s = (i - a) / c.sr;
    const n = c.rng() * 2 - 1;
    lp += k * (n - prev * 0.5 - lp); // crude band-pass: high-passed noise, then low-passed
    prev = n;
    ph += (TWO_PI * tone) / c.sr;
    buf[i] += amp * (0.8 * lp * Math.exp(-s / decay) + 0.5 * Math.sin(ph) * Math.exp(-s / 0.05));
  }
}

function hat(buf: Buf, c: Ctx, t: number, amp: number, decay = 0.035): void {
  const [a, b] = span(buf, c.sr, t, decay * 6);
  let x1 = 0;
  let x2 = 0;
  for (let i = a; i < b; i++) {
    const s = (i - a) / c.sr;
    const n = c.rng() * 2 - 1;
    buf[i] += amp * 0.5 * (n - 2 * x1 + x2) * Math.exp(-s / decay); // second difference: high-pass
    x2 = x1;
    x1 = n;
  }
}

const RIDE_PARTIALS = [1, 1.342, 1.587, 2.113, 2.51, 3.07];

function ride(buf: Buf, c: Ctx, t: number, amp: number, base = 2900, decay = 0.55): void {
  const variant = randInt(c.rng, 0, 2);
  addShot(buf, c, `ride:${base}:${decay}:${variant}`, t, amp, decay * 4, (shot) => {
    const nyq = c.sr / 2;
    const f = base * (1 + 0.01 * variant);
    let x1 = 0;
    for (let i = 0; i < shot.length; i++) {
      const s = i / c.sr;
      let v = 0;
      for (const p of RIDE_PARTIALS) if (f * p < nyq) v += Math.sin(TWO_PI * f * p * s + p);
      const n = c.rng() * 2 - 1;
      shot[i] = 0.09 * v * Math.exp(-s / decay) + 0.3 * (n - x1) * Math.exp(-s / 0.05);
      x1 = n;
    }
  });
}

function clap(buf: Buf, c: Ctx, t: number, amp: number): void {
  for (const [dt, g] of [
    [0, 0.6],
    [0.011, 0.7],
    [0.022, 1],
  ])
    hat(buf, c, t + dt, amp * g, dt < 0.02 ? 0.008 : 0.09);
}

// ---------------------------------------------------------------- tonal voices

type Voice =
  | 'powerSaw'
  | 'sawBass'
  | 'strings'
  | 'funkGuitar'
  | 'rhodes'
  | 'upright'
  | 'cello'
  | 'flute'
  | 'harp'
  | 'sub808'
  | 'darkKeys'
  | 'skank'
  | 'organ'
  | 'dubBass';

/** Attack–release envelope with an exponential decay in between (seconds). */
function env(s: number, len: number, attack: number, decay: number, release: number): number {
  const up = attack > 0 ? Math.min(1, s / attack) : 1;
  const down = release > 0 ? Math.min(1, Math.max(0, (len - s) / release)) : 1;
  return up * down * (decay > 0 ? Math.exp(-s / decay) : 1);
}

/** Karplus–Strong plucked string (bright/dark via the loop filter), written into buf. */
function pluck(buf: Buf, c: Ctx, t: number, len: number, f: number, amp: number, damp: number, brightness: number): void {
  const [a, b] = span(buf, c.sr, t, len);
  const period = Math.max(2, Math.round(c.sr / f));
  const line = new Float64Array(period);
  let lp = 0;
  for (let i = 0; i < period; i++) {
    lp += brightness * (c.rng() * 2 - 1 - lp);
    line[i] = lp;
  }
  let j = 0;
  let prev = 0;
  for (let i = a; i < b; i++) {
    const s = (i - a) / c.sr;
    const v = line[j];
    const next = damp * 0.5 * (v + prev);
    prev = v;
    line[j] = next;
    j = j + 1 === period ? 0 : j + 1;
    buf[i] += amp * v * Math.min(1, (len - s) / 0.02);
  }
}

/** A subtractive voice: detuned saws, optional overdrive, two-pole low-pass, envelope. */
interface SawPatch {
  /** Frequency ratios of the saws (the first is detuned a little at random per note). */
  saws: number[];
  /** tanh overdrive gain, 0 for none. */
  drive: number;
  cutoffHz: number;
  vibratoDepth: number;
  vibratoHz: number;
  attack: number;
  /** Exponential decay time constant, 0 for a sustained note. */
  decay: number;
  release: number;
  /** Seconds the note rings after its nominal end. */
  tail: number;
  gain: number;
}

const SAW_PATCHES: Partial<Record<Voice, SawPatch>> = {
  // Two detuned saws, overdriven, then a two-pole low-pass "cabinet".
  powerSaw: { saws: [1, 1.006], drive: 5, cutoffHz: 4500, vibratoDepth: 0, vibratoHz: 0, attack: 0.004, decay: 0, release: 0.03, tail: 0.05, gain: 1 },
  sawBass: { saws: [1], drive: 0, cutoffHz: 700, vibratoDepth: 0, vibratoHz: 0, attack: 0.005, decay: 0.6, release: 0.03, tail: 0.05, gain: 1 },
  // Ensemble: three saws spread ±0.4 %, slow bow attack, gentle vibrato.
  strings: { saws: [1, 1.004, 0.996], drive: 0, cutoffHz: 1500, vibratoDepth: 0.003, vibratoHz: 5.2, attack: 0.3, decay: 0, release: 0.35, tail: 0.35, gain: 0.9 },
  cello: { saws: [1], drive: 0, cutoffHz: 900, vibratoDepth: 0.004, vibratoHz: 5, attack: 0.12, decay: 0, release: 0.3, tail: 0.35, gain: 1 },
};

function sawVoice(buf: Buf, c: Ctx, patch: SawPatch, t: number, len: number, f: number, amp: number): void {
  const sr = c.sr;
  const total = len + patch.tail;
  const [a, b] = span(buf, sr, t, total);
  const ratios = patch.saws.map((r, i) => (i === 0 ? r * (1 + uniform(c.rng, -0.002, 0.002)) : r));
  const phases = ratios.map(() => c.rng());
  const count = ratios.length;
  const k = lpCoef(patch.cutoffHz, sr);
  let y1 = 0;
  let y2 = 0;
  for (let i = a; i < b; i++) {
    const s = (i - a) / sr;
    const step = (f * (1 + patch.vibratoDepth * Math.sin(TWO_PI * patch.vibratoHz * s))) / sr;
    let x = 0;
    for (let j = 0; j < count; j++) {
      phases[j] = (phases[j] + step * ratios[j]) % 1;
      x += 2 * phases[j] - 1;
    }
    x /= count;
    if (patch.drive > 0) x = Math.tanh(patch.drive * x);
    y1 += k * (x - y1);
    y2 += k * (y1 - y2);
    buf[i] += amp * patch.gain * y2 * env(s, total, patch.attack, patch.decay, patch.release);
  }
}

function note(buf: Buf, c: Ctx, voice: Voice, t: number, len: number, midi: number, amp: number): void {
  const f = hz(midi);
  const sr = c.sr;
  if (voice === 'funkGuitar') return pluck(buf, c, t, len, f, amp * 1.6, 0.985, 0.85);
  if (voice === 'skank') return pluck(buf, c, t, len, f, amp * 1.6, 0.97, 0.95);
  if (voice === 'harp') return pluck(buf, c, t, len, f, amp * 1.4, 0.9985, 0.35);
  const patch = SAW_PATCHES[voice];
  if (patch) return sawVoice(buf, c, patch, t, len, f, amp);
  const tail = 0.05;
  const [a, b] = span(buf, sr, t, len + tail);
  const total = len + tail;
  const detune = 1 + uniform(c.rng, -0.002, 0.002);
  let p1 = c.rng();
  let y1 = 0;
  switch (voice) {
    case 'flute': {
      let n1 = 0;
      const kn = lpCoef(3000, sr);
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        const vib = 1 + 0.006 * Math.sin(TWO_PI * 5.5 * s) * Math.min(1, s / 0.3);
        p1 = (p1 + (f * vib) / sr) % 1;
        const ph = TWO_PI * p1;
        n1 += kn * (c.rng() * 2 - 1 - n1);
        const x = Math.sin(ph) + 0.18 * Math.sin(2 * ph) + 0.07 * Math.sin(3 * ph) + 0.25 * n1;
        buf[i] += amp * x * env(s, total, 0.07, 0, 0.08);
      }
      return;
    }
    case 'rhodes':
    case 'darkKeys': {
      // Two-operator FM: modulator at the carrier frequency, index decaying after the strike.
      const index0 = voice === 'rhodes' ? 2.2 : 1.2;
      const decay = voice === 'rhodes' ? 1.4 : 2.2;
      const k = lpCoef(voice === 'rhodes' ? 6000 : 1400, sr);
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        p1 = (p1 + (f * detune) / sr) % 1;
        const ph = TWO_PI * p1;
        const x = Math.sin(ph + index0 * Math.exp(-s / 0.25) * Math.sin(ph)) + 0.15 * Math.sin(TWO_PI * 7.1 * f * s) * Math.exp(-s / 0.04);
        y1 += k * (x - y1);
        buf[i] += amp * y1 * env(s, total, 0.002, decay, 0.06);
      }
      return;
    }
    case 'upright': {
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        p1 = (p1 + f / sr) % 1;
        const ph = TWO_PI * p1;
        const x = Math.sin(ph) + 0.45 * Math.sin(2 * ph) * Math.exp(-s / 0.12) + 0.2 * Math.sin(3 * ph) * Math.exp(-s / 0.06);
        buf[i] += amp * x * env(s, total, 0.006, 0.5, 0.04);
      }
      return;
    }
    case 'sub808': {
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        p1 = (p1 + (f * (1 + 0.5 * Math.exp(-s / 0.03))) / sr) % 1;
        buf[i] += amp * Math.tanh(1.8 * Math.sin(TWO_PI * p1)) * env(s, total, 0.003, 1.2, 0.05);
      }
      return;
    }
    case 'dubBass': {
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        p1 = (p1 + f / sr) % 1;
        const ph = TWO_PI * p1;
        buf[i] += amp * Math.tanh(1.3 * (Math.sin(ph) + 0.2 * Math.sin(2 * ph))) * env(s, total, 0.01, 0.9, 0.05);
      }
      return;
    }
    case 'organ': {
      for (let i = a; i < b; i++) {
        const s = (i - a) / sr;
        p1 = (p1 + f / sr) % 1;
        const ph = TWO_PI * p1;
        const x = Math.sin(ph) + 0.6 * Math.sin(2 * ph) + 0.35 * Math.sin(4 * ph) + 0.2 * Math.sin(6 * ph);
        buf[i] += amp * 0.5 * x * env(s, total, 0.004, 0, 0.02);
      }
      return;
    }
  }
}

// ---------------------------------------------------------------- room

/**
 * A small Schroeder/Freeverb-style room: four damped feedback combs in parallel, then two
 * all-passes (delays from Freeverb, scaled to the sample rate). Returns the wet signal only.
 */
function room(input: Buf, sr: number, feedback: number, damping: number): Buf {
  const scale = sr / 44100;
  const wet = new Float64Array(input.length);
  for (const d of [1116, 1188, 1277, 1356]) {
    const len = Math.max(1, Math.round(d * scale));
    const line = new Float64Array(len);
    let j = 0;
    let lp = 0;
    for (let i = 0; i < input.length; i++) {
      const out = line[j];
      lp = out * (1 - damping) + lp * damping;
      line[j] = input[i] + lp * feedback;
      j = j + 1 === len ? 0 : j + 1;
      wet[i] += out * 0.25;
    }
  }
  for (const d of [556, 441]) {
    const len = Math.max(1, Math.round(d * scale));
    const line = new Float64Array(len);
    let j = 0;
    for (let i = 0; i < wet.length; i++) {
      const buffered = line[j];
      const x = wet[i];
      line[j] = x + buffered * 0.5;
      wet[i] = buffered - x;
      j = j + 1 === len ? 0 : j + 1;
    }
  }
  return wet;
}

// ---------------------------------------------------------------- harmony

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Chord tones (semitones above the key root) built in thirds on a scale degree (0-based). */
function chord(scale: number[], degree: number, size: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < size; k++) {
    const idx = degree + 2 * k;
    out.push(scale[idx % 7] + 12 * Math.floor(idx / 7));
  }
  return out;
}

interface Plan {
  bpm: number;
  beat: number;
  bars: number;
  root: number;
  scale: number[];
  /** Scale degree (0-based) per bar. */
  prog: number[];
}

function makePlan(c: Ctx, seconds: number, bpmLo: number, bpmHi: number, roots: number[], scale: number[], progs: number[][]): Plan {
  const bpm = uniform(c.rng, bpmLo, bpmHi);
  const beat = 60 / bpm;
  const bars = Math.ceil(seconds / (4 * beat)) + 1;
  const base = pick(c.rng, progs);
  const prog = Array.from({ length: bars }, (_, i) => base[i % base.length]);
  return { bpm, beat, bars, root: pick(c.rng, roots), scale, prog };
}

interface Bar {
  index: number;
  /** Start time in seconds. */
  t0: number;
  /** Scale degree and chord tones (absolute MIDI notes) of the bar. */
  deg: number;
  tones: number[];
}

/** The bars of a plan with their chords of `size` notes. */
function bars(p: Plan, size: number): Bar[] {
  return p.prog.map((deg, index) => ({ index, t0: index * 4 * p.beat, deg, tones: chord(p.scale, deg, size).map((x) => x + p.root) }));
}

/** Small random timing offset (seconds) for a human feel. */
const jitter = (c: Ctx, ms: number) => uniform(c.rng, -ms, ms) / 1000;

// ---------------------------------------------------------------- styles

interface Buses {
  drums: Buf;
  bass: Buf;
  keys: Buf;
  lead: Buf;
}

function rock(c: Ctx, b: Buses, seconds: number): void {
  const p = makePlan(c, seconds, 116, 140, [40, 45, 42, 43, 38], MAJOR, [
    [0, 4, 5, 3],
    [0, 6, 3, 0],
    [5, 3, 0, 4],
    [0, 3, 4, 4],
  ]);
  const extraKick = c.rng() < 0.5;
  for (const { index: bar, t0, deg, tones } of bars(p, 1)) {
    const rootNote = tones[0] + (deg === 6 ? -1 : 0);
    if (bar % 4 === 0) ride(b.drums, c, t0, 0.5, 4200, 1.2); // crash
    for (let e = 0; e < 8; e++) {
      const t = t0 + (e * p.beat) / 2 + jitter(c, 4);
      hat(b.drums, c, t, e % 2 ? 0.25 : 0.4);
      if (e === 0 || e === 4 || (extraKick && e === 5)) kick(b.drums, c, t, 1);
      if (e === 2 || e === 6) snare(b.drums, c, t, 0.9, 0.16, 200, 0.9);
      note(b.bass, c, 'sawBass', t, p.beat / 2 - 0.01, rootNote - 12, 0.6);
      // Power chord (root, fifth, octave): palm-muted chugs with accents.
      const len = e % 4 === 0 ? p.beat * 0.9 : p.beat * 0.4;
      for (const iv of [0, 7, 12]) note(b.keys, c, 'powerSaw', t, len, rootNote + 12 + iv, 0.22);
    }
  }
}

function disco(c: Ctx, b: Buses, seconds: number): void {
  const p = makePlan(c, seconds, 114, 126, [45, 43, 41, 48, 40], MINOR, [
    [0, 3],
    [0, 3, 4, 0],
    [0, 6, 5, 4],
  ]);
  for (const { t0, tones } of bars(p, 4)) {
    for (let q = 0; q < 16; q++) {
      const t = t0 + (q * p.beat) / 4;
      if (q % 4 === 0) kick(b.drums, c, t, 1, 110, 50, 0.22);
      if (q === 4 || q === 12) clap(b.drums, c, t, 0.8);
      if (q % 4 === 2) hat(b.drums, c, t, 0.45, 0.16); // open hat on the off-beat
      else hat(b.drums, c, t, 0.18, 0.025);
      if (q % 2 === 0) note(b.bass, c, 'sawBass', t, p.beat / 2 - 0.02, tones[0] - 12 + (q % 4 === 2 ? 12 : 0), 0.55);
      if (q % 2 === 1 && c.rng() < 0.8) for (const x of tones.slice(1)) note(b.keys, c, 'funkGuitar', t, 0.09, x + 12, 0.14);
    }
    for (const x of tones) note(b.lead, c, 'strings', t0, 4 * p.beat, x + 12, 0.18);
  }
}

function jazz(c: Ctx, b: Buses, seconds: number): void {
  const p = makePlan(c, seconds, 132, 176, [41, 46, 43, 48, 39], MAJOR, [
    [1, 4, 0, 5],
    [1, 4, 0, 0],
    [2, 5, 1, 4],
  ]);
  const swing = (p.beat * 2) / 3; // swung eighth: the off-beat lands at 2/3 of the beat
  let walk = p.root - 12;
  for (const { index: bar, t0, deg, tones } of bars(p, 4)) {
    const nextRoot = chord(p.scale, p.prog[(bar + 1) % p.bars], 1)[0] + p.root - 12;
    for (let q = 0; q < 4; q++) {
      const t = t0 + q * p.beat;
      ride(b.drums, c, t + jitter(c, 6), 0.45);
      if (q === 1 || q === 3) {
        ride(b.drums, c, t + swing + jitter(c, 6), 0.3);
        hat(b.drums, c, t, 0.25, 0.02); // foot hi-hat
      }
      if (c.rng() < 0.3) snare(b.drums, c, t + swing, 0.12, 0.1, 180, 0.3); // ghost notes
      if (c.rng() < 0.15) kick(b.drums, c, t, 0.25, 90, 50, 0.15); // feathered kick
      // Walking bass: chord tones on 1 and 3, a chromatic approach on 4 into the next bar.
      const target = q === 0 ? tones[0] - 12 : q === 3 ? nextRoot + (c.rng() < 0.5 ? -1 : 1) : pick(c.rng, tones) - 12;
      walk = target > walk + 7 ? target - 12 : target < walk - 7 ? target + 12 : target;
      note(b.bass, c, 'upright', t + jitter(c, 5), p.beat * 0.95, Math.min(Math.max(walk, 28), 52), 0.7);
    }
    // Comping: rootless voicing (3rd, 5th, 7th, 9th) on a couple of syncopated hits per bar.
    const voicing = chord(p.scale, deg + 2, 4).map((x) => x + p.root + 12);
    const hits = pick(c.rng, [
      [0, 1 + 2 / 3],
      [2 / 3, 2 + 2 / 3],
      [1 + 2 / 3, 3],
      [0, 2 + 2 / 3],
    ]);
    for (const h of hits) for (const x of voicing) note(b.keys, c, 'rhodes', t0 + h * p.beat + jitter(c, 8), p.beat * uniform(c.rng, 0.6, 1.6), x, 0.15);
  }
}

function classical(c: Ctx, b: Buses, seconds: number): void {
  const p = makePlan(c, seconds, 60, 84, [48, 50, 53, 55, 45], c.rng() < 0.6 ? MAJOR : MINOR, [
    [0, 5, 3, 4],
    [0, 3, 4, 0],
    [0, 4, 5, 2, 3, 0, 3, 4],
  ]);
  let mel = 4 + randInt(c.rng, 0, 2); // melody position as a scale index
  for (const { t0, tones } of bars(p, 3)) {
    for (const x of tones) note(b.keys, c, 'strings', t0, 4 * p.beat, x + 12, 0.2);
    note(b.bass, c, 'cello', t0, 2 * p.beat, tones[0] - 12, 0.4);
    note(b.bass, c, 'cello', t0 + 2 * p.beat, 2 * p.beat, tones[c.rng() < 0.5 ? 0 : 2] - 12, 0.35);
    // Harp arpeggio in eighths.
    for (let e = 0; e < 8; e++) {
      const x = tones[e % 3] + 12 * (1 + Math.floor(e / 3) % 2);
      note(b.keys, c, 'harp', t0 + (e * p.beat) / 2 + jitter(c, 10), p.beat * 1.5, x, 0.09);
    }
    // Flute: stepwise melody, mostly quarter and half notes.
    let t = t0;
    while (t < t0 + 4 * p.beat - 1e-9) {
      const len = p.beat * pick(c.rng, [1, 1, 2, 0.5]);
      mel = Math.max(2, Math.min(12, mel + pick(c.rng, [-1, -1, 1, 1, 0, 2, -2])));
      const m = p.root + 24 + p.scale[mel % 7] + 12 * Math.floor(mel / 7);
      note(b.lead, c, 'flute', t + jitter(c, 12), len * 0.95, m, 0.22);
      t += len;
    }
  }
  // Phrasing: the ensemble swells and recedes over two-bar phrases.
  const phrase = 8 * p.beat;
  const phase = c.rng() * TWO_PI;
  for (let i = 0; i < b.keys.length; i++) {
    const g = 0.65 + 0.35 * Math.sin((TWO_PI * i) / (phrase * c.sr) + phase);
    b.keys[i] *= g;
    b.lead[i] *= g;
  }
}

function hiphop(c: Ctx, b: Buses, seconds: number): void {
  const p = makePlan(c, seconds, 84, 96, [37, 39, 41, 42, 44], MINOR, [
    [0, 0, 5, 5],
    [0, 3, 0, 4],
    [0, 5, 3, 4],
  ]);
  const sw = uniform(c.rng, 0.55, 0.62); // sixteenth swing
  const kicks = pick(c.rng, [
    [0, 10, 11],
    [0, 7, 10],
    [0, 3, 10],
  ]);
  for (const { index: bar, t0, tones } of bars(p, 4)) {
    for (let q = 0; q < 16; q++) {
      const pair = Math.floor(q / 2);
      const t = t0 + pair * (p.beat / 2) + (q % 2 ? sw * (p.beat / 2) : 0);
      hat(b.drums, c, t, q % 2 ? uniform(c.rng, 0.1, 0.2) : 0.28, 0.03);
      if (kicks.includes(q)) {
        kick(b.drums, c, t, 1, 95, 42, 0.3);
        note(b.bass, c, 'sub808', t, p.beat * (q === 0 ? 1.8 : 0.9), tones[0] - 12, 0.8);
      }
      if (q === 4 || q === 12) {
        snare(b.drums, c, t, 1, 0.2, 170, 0.5);
        clap(b.drums, c, t, 0.35);
      }
    }
    if (bar % 2 === 0) for (const x of tones) note(b.keys, c, 'darkKeys', t0, 8 * p.beat, x + 12, 0.16);
  }
  // Vinyl crackle: sparse clicks over a faint hiss.
  let lp = 0;
  const k = lpCoef(5000, c.sr);
  for (let i = 0; i < b.lead.length; i++) {
    lp += k * (c.rng() * 2 - 1 - lp);
    b.lead[i] += 0.01 * lp + (c.rng() < 0.0006 ? (c.rng() * 2 - 1) * 0.25 : 0);
  }
}

function reggae(c: Ctx, b: Buses, seconds: number): void {
  const major = c.rng() < 0.5;
  const p = makePlan(c, seconds, 68, 82, [43, 45, 40, 42, 47], major ? MAJOR : MINOR, [
    [0, 3],
    [0, 3, 4, 3],
    [0, 0, 3, 4],
  ]);
  const riff = pick(c.rng, [
    // [beat offset, scale-tone index (0 root, 1 third, 2 fifth, 3 octave), length in beats]
    [
      [0.5, 0, 0.4],
      [1, 2, 0.5],
      [1.5, 3, 0.9],
      [2.5, 2, 0.4],
      [3, 0, 0.9],
    ],
    [
      [0.5, 0, 0.9],
      [1.5, 1, 0.4],
      [2, 2, 0.9],
      [3, 1, 0.4],
      [3.5, 0, 0.4],
    ],
  ]);
  for (const { t0, tones } of bars(p, 3)) {
    for (let e = 0; e < 8; e++) {
      const t = t0 + (e * p.beat) / 2;
      hat(b.drums, c, t + (e % 2 ? 0.03 * p.beat : 0), e % 2 ? 0.2 : 0.3, 0.03);
      if (e % 2 === 1) {
        // Skank on every off-beat, organ "bubble" doubling it.
        for (const x of tones) note(b.keys, c, 'skank', t, 0.14, x + 12, 0.3);
        for (const x of tones) note(b.lead, c, 'organ', t, 0.12, x + 12, 0.12);
      }
    }
    // One drop: kick and rim-shot together on beat 3, nothing on beat 1.
    kick(b.drums, c, t0 + 2 * p.beat, 1, 100, 45, 0.3);
    snare(b.drums, c, t0 + 2 * p.beat, 0.7, 0.05, 420, 1);
    const scaleTones = [tones[0], tones[1], tones[2], tones[0] + 12];
    for (const [off, idx, len] of riff) note(b.bass, c, 'dubBass', t0 + off * p.beat, len * p.beat, scaleTones[idx] - 24, 0.9);
  }
}

const STYLE_FNS: Record<DemoStyle, (c: Ctx, b: Buses, seconds: number) => void> = {
  rock,
  disco,
  jazz,
  classical,
  hiphop,
  reggae,
};

interface MixSettings {
  /** Gains of the drums, bass, keys and lead buses. */
  gains: [number, number, number, number];
  /** Reverb send per bus, and the room's feedback and damping. */
  sends: [number, number, number, number];
  feedback: number;
  damping: number;
}

const MIX: Record<DemoStyle, MixSettings> = {
  rock: { gains: [0.8, 0.8, 1, 0], sends: [0.15, 0, 0.2, 0], feedback: 0.7, damping: 0.3 },
  disco: { gains: [0.8, 0.8, 0.8, 0.8], sends: [0.1, 0, 0.2, 0.3], feedback: 0.75, damping: 0.3 },
  jazz: { gains: [0.6, 0.9, 0.8, 0], sends: [0.2, 0.1, 0.3, 0], feedback: 0.78, damping: 0.4 },
  classical: { gains: [0, 0.8, 0.8, 0.9], sends: [0, 0.4, 0.6, 0.5], feedback: 0.86, damping: 0.5 },
  hiphop: { gains: [0.9, 0.9, 0.7, 1], sends: [0.05, 0, 0.15, 0], feedback: 0.6, damping: 0.5 },
  reggae: { gains: [0.8, 0.6, 1, 1], sends: [0.3, 0, 0.5, 0.3], feedback: 0.82, damping: 0.25 },
};

/**
 * A synthetic clip of `seconds` in a demo style, mono Float32 at `sampleRate`, peak −3 dBFS.
 * Same arguments, same samples.
 */
export function synthesiseClip(style: DemoStyle, seed: number, seconds: number, sampleRate = 22050): Float32Array {
  if (!STYLE_FNS[style]) throw new RangeError(`synthesiseClip: unknown style '${style}' (have ${DEMO_STYLES.join(', ')})`);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`synthesiseClip: seconds must be > 0, got ${seconds}`);
  if (!(sampleRate >= 8000) || !Number.isFinite(sampleRate)) throw new RangeError(`synthesiseClip: sampleRate must be ≥ 8000, got ${sampleRate}`);
  const n = Math.round(seconds * sampleRate);
  // Different styles with the same seed get unrelated streams.
  const rng = mulberry32((seed >>> 0) ^ Math.imul(DEMO_STYLES.indexOf(style) + 1, 0x9e3779b1));
  const c: Ctx = { sr: sampleRate, rng: fork(rng), shots: new Map() };
  const buses: Buses = { drums: new Float64Array(n), bass: new Float64Array(n), keys: new Float64Array(n), lead: new Float64Array(n) };
  STYLE_FNS[style](c, buses, seconds);

  const mix = MIX[style];
  const bus = [buses.drums, buses.bass, buses.keys, buses.lead];
  const send = new Float64Array(n);
  for (let k = 0; k < 4; k++) {
    const src = bus[k];
    const amount = mix.sends[k];
    if (amount > 0) for (let i = 0; i < n; i++) send[i] += amount * src[i];
  }
  const wet = room(send, sampleRate, mix.feedback, mix.damping);
  const out = new Float32Array(n);
  const mixed = new Float64Array(n);
  const [gd, gb, gk, gl] = mix.gains;
  // 10 ms fades so the clip starts and ends without a click (before measuring the peak).
  const fade = Math.min(Math.floor(n / 2), Math.round(0.01 * sampleRate));
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const ramp = i < fade ? i / fade : i >= n - fade ? (n - 1 - i) / fade : 1;
    const v = ramp * (gd * buses.drums[i] + gb * buses.bass[i] + gk * buses.keys[i] + gl * buses.lead[i] + wet[i]);
    mixed[i] = v;
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  const gain = peak > 0 ? PEAK / peak : 0;
  for (let i = 0; i < n; i++) out[i] = mixed[i] * gain;
  return out;
}
