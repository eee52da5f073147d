// Formatting for display. Pure functions, no DOM.

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234 → "1,234". */
export function formatInt(n: number): string {
  return intFmt.format(n);
}

/** Seconds → "m:ss" (or "h:mm:ss" from one hour). Null/NaN → "–". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.floor(seconds + 1e-9);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Elapsed seconds for a summary: "0.4 s", "12.3 s", "2 min 05 s". */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** 22050 → "22.05 kHz", 44100 → "44.1 kHz". */
export function formatRate(hz: number | null | undefined): string {
  if (hz === null || hz === undefined || !Number.isFinite(hz)) return '–';
  return `${(hz / 1000).toFixed(2).replace(/\.?0+$/, '')} kHz`;
}

/** A count with a noun: (1, "file") → "1 file", (3, "file") → "3 files". */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatInt(n)} ${n === 1 ? noun : pluralNoun}`;
}
