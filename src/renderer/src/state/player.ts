import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import { formatDuration } from '../lib/format';
import { Store } from './store';

export type WaveformState = 'loading' | 'ready' | 'playing' | 'paused' | 'error';

export interface PlayerState {
  state: WaveformState;
  /** Current position, updated at most every quarter second. */
  time: number;
  duration: number;
  /** Loading progress 0–100 while fetching. */
  loadPercent: number;
  message: string | null;
  /** Regions drawn on the waveform (once the audio is ready). */
  regions: number;
}

/** A highlighted stretch of the track, e.g. a segment the model got wrong. */
export interface PlayerRegion {
  start: number;
  end: number;
  /** CSS colour of the fill (with transparency). */
  colour: string;
  /** Short text drawn in the region. */
  label?: string;
  title?: string;
}

export interface PlayerOptions {
  container: HTMLElement;
  timeline: HTMLElement;
  url: string;
  autoplay: boolean;
  colors: { wave: string; progress: string; cursor: string; timeline: string };
  regions?: readonly PlayerRegion[];
  /** Seconds to start playing from (default 0). */
  startAt?: number;
}

const SEEK_STEP = 5;

/**
 * One wavesurfer (with its timeline) for one track. Create it when a track is opened,
 * `destroy()` it when the track changes or the panel unmounts.
 */
export class Player extends Store<PlayerState> {
  private readonly ws: WaveSurfer;
  private destroyed = false;

  constructor(opts: PlayerOptions) {
    super({ state: 'loading', time: 0, duration: 0, loadPercent: 0, message: null, regions: 0 });
    const regions = opts.regions?.length ? RegionsPlugin.create() : null;
    this.ws = WaveSurfer.create({
      container: opts.container,
      height: 112,
      waveColor: opts.colors.wave,
      progressColor: opts.colors.progress,
      cursorColor: opts.colors.cursor,
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 2,
      normalize: true,
      dragToSeek: true,
      plugins: [
        TimelinePlugin.create({
          container: opts.timeline,
          height: 18,
          formatTimeCallback: (s) => formatDuration(s),
          secondaryLabelOpacity: 0.6,
          style: { color: opts.colors.timeline, fontSize: '11px' },
        }),
        ...(regions ? [regions] : []),
      ],
    });
    const ws = this.ws;
    ws.on('loading', (loadPercent) => this.set({ loadPercent }));
    ws.on('ready', (duration) => {
      if (regions) {
        for (const r of opts.regions ?? []) regions.addRegion(regionParams(r, duration));
      }
      const startAt = Math.min(Math.max(0, opts.startAt ?? 0), duration);
      if (startAt > 0) ws.setTime(startAt);
      this.set({ state: 'ready', duration, message: null, time: startAt, regions: regions ? regions.getRegions().length : 0 });
      if (opts.autoplay) this.play();
    });
    ws.on('play', () => this.set({ state: 'playing', message: null }));
    ws.on('pause', () => {
      if (this.get().state !== 'error') this.set({ state: 'paused', time: ws.getCurrentTime() });
    });
    ws.on('finish', () => this.set({ state: 'paused', time: ws.getDuration() }));
    // While playing the clock follows the media; while paused only seeks move it (a late timeupdate
    // from before a seek must not put the clock back).
    ws.on('timeupdate', (t) => {
      if (this.get().state !== 'playing') return;
      if (Math.floor(t * 4) !== Math.floor(this.get().time * 4)) this.set({ time: t });
    });
    ws.on('interaction', (t) => this.set({ time: t }));
    ws.on('error', (err) => {
      if (this.destroyed) return;
      this.set({ state: 'error', message: explainLoadError(err) });
    });
    ws.load(opts.url).catch(() => {
      /* reported through the 'error' event */
    });
  }

  play(): void {
    const s = this.get().state;
    if (this.destroyed || s === 'loading' || s === 'error') return;
    this.ws.play().catch((err: unknown) => {
      if (this.destroyed) return;
      const blocked = err instanceof DOMException && err.name === 'NotAllowedError';
      this.set({
        state: 'ready',
        message: blocked ? 'The browser blocked autoplay: press space or ▶ to play.' : explainLoadError(err),
      });
    });
  }

  toggle(): void {
    const s = this.get().state;
    if (s === 'playing') this.ws.pause();
    else this.play();
  }

  /** Seek by `seconds` (negative: back), within the track. */
  skip(seconds: number): void {
    const s = this.get().state;
    if (this.destroyed || s === 'loading' || s === 'error') return;
    const d = this.ws.getDuration();
    // From the playing media's time, or — paused — from the last position we set: the media element
    // may not have finished the previous seek yet, and stacking on its stale time would drift.
    const base = s === 'playing' ? this.ws.getCurrentTime() : this.get().time;
    const t = Math.min(d, Math.max(0, base + seconds));
    this.ws.setTime(t);
    this.set({ time: t });
  }

  seekBack(): void {
    this.skip(-SEEK_STEP);
  }

  seekForward(): void {
    this.skip(SEEK_STEP);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ws.destroy();
  }
}

function regionParams(r: PlayerRegion, duration: number) {
  let content: HTMLElement | undefined;
  if (r.label) {
    content = document.createElement('span');
    content.textContent = r.label;
    content.setAttribute('style', 'font: 600 10.5px system-ui, sans-serif; color: #fff; padding: 2px 4px; text-shadow: 0 1px 2px rgba(0,0,0,.7);');
    if (r.title) content.title = r.title;
  }
  return { start: Math.min(r.start, duration), end: Math.min(r.end, duration), color: r.colour, content, drag: false, resize: false };
}

function explainLoadError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/EncodingError|decode/i.test(msg)) return `The browser could not decode this file's audio (${msg}).`;
  if (/Failed to fetch .*: (\d+)/.test(msg)) return `The audio could not be loaded: ${msg}.`;
  return `The audio could not be played: ${msg}`;
}
