import React, { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import SpectrogramPlugin from 'wavesurfer.js/dist/plugins/spectrogram.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import { formatDuration } from '../../lib/format';
import { IconPause, IconPlay, IconWarning } from '../../shell/icons';

type PlayState = 'loading' | 'ready' | 'playing' | 'paused' | 'error';

/**
 * A dream's sound: one wavesurfer (waveform, timeline, and the spectrogram plugin's mel
 * spectrogram under it) over the WAV's bytes, handed over as a Blob (decoded in place and played
 * from a blob: URL, so nothing is fetched); made for each Blob and destroyed with it.
 */
export function DreamPlayer(props: { blob: Blob; title: string }): React.JSX.Element {
  const wave = useRef<HTMLDivElement>(null);
  const timeline = useRef<HTMLDivElement>(null);
  const spectrogram = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const [state, setState] = useState<PlayState>('loading');
  const [spec, setSpec] = useState<'loading' | 'ready' | 'error'>('loading');
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!wave.current || !timeline.current || !spectrogram.current) return;
    setState('loading');
    setSpec('loading');
    setMessage(null);
    const specPlugin = SpectrogramPlugin.create({
      container: spectrogram.current,
      height: 128,
      labels: true,
      scale: 'mel',
      fftSamples: 1024,
      frequencyMax: 11025,
      labelsBackground: 'rgba(16, 19, 24, 0.55)',
    });
    specPlugin.on('ready', () => setSpec('ready'));
    specPlugin.on('error', () => setSpec('error'));
    const w = WaveSurfer.create({
      container: wave.current,
      height: 84,
      waveColor: '#3a4556',
      progressColor: '#f2a65a',
      cursorColor: '#ffd7a8',
      cursorWidth: 2,
      normalize: true,
      dragToSeek: true,
      // decode at the dream's own rate (wavesurfer's default, 8 kHz, would blank the spectrogram above 4 kHz)
      sampleRate: 22050,
      plugins: [
        TimelinePlugin.create({ container: timeline.current, height: 18, formatTimeCallback: (s) => formatDuration(s), style: { color: '#8b93a1', fontSize: '11px' } }),
        specPlugin,
      ],
    });
    ws.current = w;
    w.on('ready', (d) => {
      setDuration(d);
      setState('ready');
    });
    w.on('play', () => setState('playing'));
    w.on('pause', () => setState('paused'));
    w.on('finish', () => setState('paused'));
    w.on('timeupdate', (t) => setTime(t));
    w.on('error', (err) => {
      setState('error');
      setMessage(`The audio could not be played: ${err instanceof Error ? err.message : String(err)}`);
    });
    w.loadBlob(props.blob).catch(() => {
      /* reported through the 'error' event */
    });
    return () => {
      ws.current = null;
      w.destroy();
    };
  }, [props.blob]);

  const canPlay = state === 'ready' || state === 'paused' || state === 'playing';
  const toggle = (): void => {
    const w = ws.current;
    if (!w || !canPlay) return;
    if (state === 'playing') w.pause();
    else
      w.play().catch((err: unknown) => {
        setState('ready');
        setMessage(err instanceof DOMException && err.name === 'NotAllowedError' ? 'The browser blocked playback: press ▶ again.' : String(err));
      });
  };

  return (
    <section className="dream-player" aria-label="The dream's sound">
      <div className="wave-head">
        <button className="play-btn" onClick={toggle} disabled={!canPlay} aria-label={state === 'playing' ? 'Pause' : 'Play'} title={state === 'playing' ? 'Pause' : 'Play'} data-testid="dream-play">
          {state === 'playing' ? <IconPause size={18} /> : <IconPlay size={18} />}
        </button>
        <div className="wave-title">
          <div className="wave-name">{props.title}</div>
        </div>
        <div className="wave-time mono" data-testid="dream-time">
          {formatDuration(time)} / {formatDuration(duration)}
        </div>
      </div>
      <div className="wave-box" data-waveform-state={state} data-spectrogram-state={spec} data-testid="dream-waveform">
        <div ref={wave} className="wave-canvas" />
        <div ref={timeline} className="wave-timeline" />
        <div ref={spectrogram} className="dream-wave-spectrogram" />
        {state === 'loading' && <div className="wave-overlay muted">Loading the dream…</div>}
        {state === 'error' && (
          <div className="wave-overlay wave-error" role="alert">
            <IconWarning size={18} /> {message}
          </div>
        )}
      </div>
      {state !== 'error' && message && <p className="hint">{message}</p>}
    </section>
  );
}
