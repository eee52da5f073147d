import React, { useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { CentreRequest, OpenEmbedding, Selection } from './model';
import { DiskRenderer, type DiskLink } from './DiskRenderer';

/** What the view can ask of the disk. */
export interface DiskApi {
  toPng(): Promise<Blob | null>;
  toSvg(caption: string): string;
  reset(): void;
}

/** A hook for end-to-end tests: where genres are drawn, and what the disk is centred on. */
export interface HyperTestHook {
  count(): number;
  /** Display (disk) coordinates of a genre after the current re-centring. */
  displayOf(name: string): [number, number] | null;
  /** Client coordinates where a genre is drawn, or null off the canvas. */
  screenOf(name: string): { x: number; y: number } | null;
  animating(): boolean;
}

declare global {
  interface Window {
    __genrelabHyper?: HyperTestHook;
  }
}

/** Geodesics drawn from the selected genre: its likely parents, and its nearest neighbours. */
export function selectionLinks(sel: Selection | null, neighbours = 6): DiskLink[] {
  if (!sel) return [];
  const links: DiskLink[] = (sel.parents ?? []).map((h) => ({ to: h.index, kind: 'parent' as const }));
  const seen = new Set(links.map((l) => l.to));
  for (const h of (sel.neighbours ?? []).slice(0, neighbours)) if (!seen.has(h.index)) links.push({ to: h.index, kind: 'neighbour' });
  return links;
}

export function PoincareDisk(props: {
  open: OpenEmbedding;
  library: Uint8Array;
  selection: Selection | null;
  centre: CentreRequest;
  onSelect: (index: number) => void;
  onCentre: (index: number) => void;
  apiRef?: React.Ref<DiskApi | null>;
}): React.JSX.Element {
  const { open, library, selection, centre } = props;
  const host = useRef<HTMLDivElement>(null);
  const [disk, setDisk] = useState<DiskRenderer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const cbs = useRef({ onSelect: props.onSelect, onCentre: props.onCentre });
  cbs.current = { onSelect: props.onSelect, onCentre: props.onCentre };
  const names = useRef(open.detail.names);
  names.current = open.detail.names;

  useEffect(() => {
    if (!host.current) return;
    let r: DiskRenderer;
    try {
      r = new DiskRenderer(host.current, {
        onHover: (index, x, y) => setHover(index >= 0 ? { index, x, y } : null),
        onClick: (i) => cbs.current.onSelect(i),
        onDoubleClick: (i) => cbs.current.onCentre(i),
      });
    } catch (err) {
      setFailure(`The disk cannot be drawn here: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    setDisk(r);
    const index = (name: string): number => names.current.indexOf(name);
    const hook: HyperTestHook = {
      count: () => r.count,
      displayOf: (name) => r.displayOf(index(name)),
      screenOf: (name) => r.screenOf(index(name)),
      animating: () => r.animating,
    };
    window.__genrelabHyper = hook;
    return () => {
      if (window.__genrelabHyper === hook) delete window.__genrelabHyper;
      r.dispose();
      setDisk(null);
    };
  }, []);

  useEffect(() => {
    disk?.setData(open.X, open.n, open.dim, open.detail.names, library);
    // library changes alone are handled below; a new embedding resets the view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [disk, open]);

  useEffect(() => {
    disk?.setLibrary(library);
  }, [disk, library]);

  useEffect(() => {
    disk?.setSelection(selection?.index ?? null, selectionLinks(selection));
  }, [disk, selection]);

  useEffect(() => {
    disk?.centreOn(centre.index);
  }, [disk, centre]);

  useImperativeHandle(
    props.apiRef,
    () => ({
      toPng: () => (disk ? disk.toBlob() : Promise.resolve(null)),
      toSvg: (caption) => (disk ? disk.toSvg(caption) : ''),
      reset: () => disk?.resetView(),
    }),
    [disk],
  );

  const h = hover && hover.index < open.n ? hover : null;
  let norm = 0;
  if (h) for (let k = 0; k < open.dim; k++) norm += open.X[h.index * open.dim + k]! ** 2;
  return (
    <div className="hyper-stage-inner" ref={host}>
      {failure && (
        <div className="map-overlay" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {h && (
        <div className="map-tip hyper-tip" style={{ left: h.x + 14, top: h.y + 12 }} data-testid="hyper-tip">
          <div className="map-tip-name">{open.detail.names[h.index]}</div>
          <div className="map-tip-row muted">
            norm {Math.sqrt(norm).toFixed(3)}
            {library[h.index] ? ' · a library label' : ''}
          </div>
          <div className="map-tip-hint muted">click: neighbours and parents · double-click: centre</div>
        </div>
      )}
    </div>
  );
}
