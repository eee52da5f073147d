import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TrackRow } from '../../../../shared/types';
import type { RendererClient } from '../../client';
import { formatDuration, formatRate } from '../../lib/format';
import { isPlainKey, isTypingTarget, useKeydown } from '../../lib/keys';
import { IconBack, IconForward, IconPause, IconPlay, IconWarning } from '../../shell/icons';
import { Player, type PlayerRegion, type PlayerState } from '../../state/player';

const COLORS = { wave: '#3a4556', progress: '#7c9cff', cursor: '#c9d5ff', timeline: '#8b93a1' };
const noSubscribe = (): (() => void) => () => {};

function usePlayer(player: Player | null): PlayerState | null {
  return useSyncExternalStore(player ? player.subscribe : noSubscribe, () => (player ? player.get() : null));
}

function channelsText(n: number | null): string {
  if (n === 1) return 'mono';
  if (n === 2) return 'stereo';
  return `${n ?? '–'} channels`;
}

function unplayableReason(t: TrackRow): string | null {
  if (t.status === 'failed') return `This file cannot be played: ${t.reason ?? 'it failed to decode'}.`;
  if (t.status === 'no-audio') return 'There is no audio for this row: it came from a features table, not from a file.';
  return null;
}

/**
 * The waveform of the selected track, with its timeline, transport buttons and keyboard control;
 * optionally with highlighted regions, starting playback at `startAt`, and more below (`children`).
 */
export function WaveformPanel({
  track,
  client,
  regions,
  startAt,
  children,
}: {
  track: TrackRow | null;
  client: RendererClient;
  regions?: readonly PlayerRegion[];
  startAt?: number;
  children?: React.ReactNode;
}): React.JSX.Element {
  const wave = useRef<HTMLDivElement>(null);
  const timeline = useRef<HTMLDivElement>(null);
  const [player, setPlayer] = useState<Player | null>(null);
  const ps = usePlayer(player);
  const blocked = track ? unplayableReason(track) : null;
  const trackId = track?.id ?? null;
  // A new wavesurfer only when what it draws changes, not on every render with an equal array.
  const regionsKey = JSON.stringify(regions ?? []);
  const regionsRef = useRef(regions);
  regionsRef.current = regions;

  useEffect(() => {
    if (trackId === null || blocked !== null || !wave.current || !timeline.current) return;
    const p = new Player({
      container: wave.current,
      timeline: timeline.current,
      url: client.audioUrl(trackId),
      autoplay: true,
      colors: COLORS,
      regions: regionsRef.current,
      startAt,
    });
    setPlayer(p);
    return () => {
      p.destroy();
      setPlayer(null);
    };
  }, [trackId, blocked, client, regionsKey, startAt]);

  useKeydown(
    (e) => {
      if (!player || isTypingTarget(e.target) || !isPlainKey(e)) return false;
      if (e.key === ' ' || e.code === 'Space') {
        if (!e.repeat) player.toggle();
        return true;
      }
      if (e.key === 'ArrowLeft') {
        player.seekBack();
        return true;
      }
      if (e.key === 'ArrowRight') {
        player.seekForward();
        return true;
      }
      return false;
    },
    player !== null,
  );

  if (!track) {
    return (
      <section className="waveform-panel waveform-empty" aria-label="Waveform">
        <p className="muted">Select a track to see its waveform and listen to it.</p>
      </section>
    );
  }

  const state = blocked ? 'error' : (ps?.state ?? 'loading');
  const playing = state === 'playing';
  const canPlay = state === 'ready' || state === 'paused' || state === 'playing';
  const message = blocked ?? ps?.message ?? null;

  return (
    <section className="waveform-panel" aria-label="Waveform">
      <div className="wave-head">
        <button
          className="play-btn"
          onClick={() => player?.toggle()}
          disabled={!canPlay}
          aria-label={playing ? 'Pause (space)' : 'Play (space)'}
          title={playing ? 'Pause (space)' : 'Play (space)'}
          data-testid="play-toggle"
        >
          {playing ? <IconPause size={18} /> : <IconPlay size={18} />}
        </button>
        <div className="wave-title">
          <div className="wave-name mono" title={track.path}>
            {track.relPath}
          </div>
          <div className="wave-meta">
            {track.label && <span className="chip chip-label static">{track.label}</span>}
            {track.sampleRate !== null && (
              <span className="muted">
                {formatRate(track.sampleRate)} · {channelsText(track.channels)}
              </span>
            )}
          </div>
        </div>
        <div className="wave-time mono" data-testid="wave-time">
          {formatDuration(ps?.time ?? 0)} / {formatDuration(ps?.duration || track.duration)}
        </div>
        <div className="wave-seek">
          <button className="icon-btn" onClick={() => player?.seekBack()} disabled={!canPlay} title="Back 5 s (←)">
            <IconBack size={16} />
          </button>
          <button className="icon-btn" onClick={() => player?.seekForward()} disabled={!canPlay} title="Forward 5 s (→)">
            <IconForward size={16} />
          </button>
        </div>
      </div>
      <div
        className="wave-box"
        data-waveform-state={state}
        data-testid="waveform"
        data-track-id={track.id}
        data-regions={ps?.regions ?? 0}
      >
        <div ref={wave} className="wave-canvas" />
        <div ref={timeline} className="wave-timeline" />
        {state === 'loading' && (
          <div className="wave-overlay muted">Loading audio… {ps && ps.loadPercent > 0 ? `${ps.loadPercent}%` : ''}</div>
        )}
        {state === 'error' && (
          <div className="wave-overlay wave-error" role="alert">
            <IconWarning size={18} /> {message}
          </div>
        )}
      </div>
      {state !== 'error' && message && <p className="hint">{message}</p>}
      {children}
    </section>
  );
}
