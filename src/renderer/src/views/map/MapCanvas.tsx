import React, { useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { MapPoint } from '../../../../shared/types';
import type { Colouring, Rect } from '../../lib/scatter';
import type { Cloud } from '../../state/map';
import { ScatterRenderer } from './ScatterRenderer';

/** What the Map view can ask of the canvas. */
export interface MapCanvasApi {
  toBlob(): Promise<Blob | null>;
  resetView(): void;
}

/** A hook for end-to-end tests: where points are drawn, and an fps meter. */
export interface MapTestHook {
  count(): number;
  /** Page (client) coordinates of point i, or null when hidden or off screen. */
  screenOf(i: number): { x: number; y: number } | null;
  startFps(): void;
  stopFps(): { fps: number; frames: number; seconds: number };
}

declare global {
  interface Window {
    __genrelabMap?: MapTestHook;
  }
}

interface Hover {
  index: number;
  x: number;
  y: number;
}

/**
 * The three.js canvas of the map: the point cloud with hover tooltips, click to listen and a
 * shift-drag box. The renderer lives as long as the component and is disposed on unmount; new
 * frames, colours and selections update its buffers in place.
 */
export function MapCanvas(props: {
  cloud: Cloud | null;
  colouring: Colouring | null;
  hidden: ReadonlySet<string>;
  selection: readonly number[];
  meta: readonly MapPoint[] | null;
  onClickPoint: (i: number) => void;
  onSelect: (indices: number[]) => void;
  apiRef?: React.Ref<MapCanvasApi | null>;
  children?: React.ReactNode;
}): React.JSX.Element {
  const { cloud, colouring, hidden, selection, meta } = props;
  const host = useRef<HTMLDivElement>(null);
  const [scatter, setScatter] = useState<ScatterRenderer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [box, setBox] = useState<Rect | null>(null);
  const handlers = useRef({ onClickPoint: props.onClickPoint, onSelect: props.onSelect });
  handlers.current = { onClickPoint: props.onClickPoint, onSelect: props.onSelect };

  useEffect(() => {
    if (!host.current) return;
    let r: ScatterRenderer;
    try {
      r = new ScatterRenderer(host.current, {
        onHover: (index, x, y) => setHover(index >= 0 ? { index, x, y } : null),
        onClick: (i) => handlers.current.onClickPoint(i),
        onBox: setBox,
        onSelect: (ix) => handlers.current.onSelect(ix),
      });
    } catch (err) {
      setFailure(`WebGL is not available in this browser, so the map cannot be drawn (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    setScatter(r);
    const hook: MapTestHook = {
      count: () => r.count,
      screenOf: (i) => {
        const p = r.screenOf(i);
        if (!p) return null;
        const rect = r.canvas.getBoundingClientRect();
        return { x: rect.left + p.x, y: rect.top + p.y };
      },
      startFps: () => r.startFps(),
      stopFps: () => r.stopFps(),
    };
    window.__genrelabMap = hook;
    return () => {
      if (window.__genrelabMap === hook) delete window.__genrelabMap;
      r.dispose();
      setScatter(null);
    };
  }, []);

  useImperativeHandle(props.apiRef, () => ({ toBlob: () => scatter?.toBlob() ?? Promise.resolve(null), resetView: () => scatter?.resetView() }), [scatter]);

  // New frame or new map: positions in place.
  useEffect(() => {
    if (!scatter) return;
    if (cloud) scatter.setCloud(cloud.points, cloud.n, cloud.dims);
    else scatter.setCloud(new Float32Array(0), 0, 3);
  }, [scatter, cloud]);

  // Another map (or a new build): start from the whole cloud.
  const origin = cloud?.origin ?? 0;
  useEffect(() => {
    scatter?.resetView();
  }, [scatter, origin]);

  // Colours, legend toggles and the selection.
  useEffect(() => {
    if (!scatter || !cloud) return;
    scatter.setPaint(colouring, hidden, selection.length ? new Set(selection) : null);
  }, [scatter, cloud, colouring, hidden, selection]);

  const tip = hover && meta?.[hover.index];
  // Keep the tooltip inside the stage: flip it to the left of the pointer near the right edge.
  const stageWidth = host.current?.clientWidth ?? 0;
  const tipLeft = hover && hover.x + 280 > stageWidth ? Math.max(4, hover.x - 270) : (hover?.x ?? 0) + 14;
  return (
    <div className="map-stage">
      <div ref={host} className="map-gl" data-webgl={failure ? 'unavailable' : scatter ? 'ok' : 'starting'} />
      {failure && (
        <div className="map-failure" role="alert" data-testid="map-webgl-error">
          {failure}
        </div>
      )}
      {box && (
        <div
          className="map-box"
          style={{ left: Math.min(box.x0, box.x1), top: Math.min(box.y0, box.y1), width: Math.abs(box.x1 - box.x0), height: Math.abs(box.y1 - box.y0) }}
        />
      )}
      {tip && hover && (
        <div className="map-tip" style={{ left: tipLeft, top: hover.y + 12 }} data-testid="map-tip" data-index={hover.index}>
          <div className="map-tip-name mono">{tip.name}</div>
          <div className="map-tip-row">
            <span className="muted">label</span> {tip.label}
          </div>
          {tip.predicted !== null && (
            <div className={`map-tip-row${tip.predicted !== tip.label ? ' wrong' : ''}`}>
              <span className="muted">predicted</span> {tip.predicted}
            </div>
          )}
          {tip.trackId !== null && <div className="map-tip-hint muted">click to listen</div>}
        </div>
      )}
      {props.children}
    </div>
  );
}
