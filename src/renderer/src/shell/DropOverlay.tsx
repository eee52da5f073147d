import React, { useEffect, useRef, useState } from 'react';
import { IconFolder } from './icons';

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}

/** Track file drags over the window; call `onDrop` with the dropped files. Returns whether a drag is over the window. */
export function useWindowDrop(onDrop: (files: File[]) => void): boolean {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const cb = useRef(onDrop);
  cb.current = onDrop;
  useEffect(() => {
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      setOver(true);
    };
    const overFn = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) cb.current(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function DropOverlay(): React.JSX.Element {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <IconFolder size={40} />
        <div className="drop-title">Drop a music folder to add it</div>
        <div className="muted">It is scanned recursively; files stay where they are.</div>
      </div>
    </div>
  );
}
