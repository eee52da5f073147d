import React, { useEffect, useRef } from 'react';
import type { SpectrogramImage } from '../../../../shared/dream';
import { gridRgba } from '../../../../main/engine/dream/rgba';

function bytesOf(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A spectrogram picture (bytes, top row = highest band) drawn in viridis, stretched to its box. */
export function SpectrogramCanvas(props: { image: SpectrogramImage | null; label: string; testId?: string; frames?: number }): React.JSX.Element {
  const { image } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !image) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    canvas.width = image.cols;
    canvas.height = image.rows;
    const rgba = gridRgba({ rows: image.rows, cols: image.cols, data: bytesOf(image.data) });
    ctx.putImageData(new ImageData(rgba, image.cols, image.rows), 0, 0);
  }, [image]);
  return (
    <div className="dream-spectrogram" data-testid={props.testId} data-frames={props.frames ?? 0} data-drawn={image ? 'yes' : 'no'}>
      {image ? <canvas ref={ref} role="img" aria-label={props.label} /> : <div className="dream-spectrogram-empty muted">The spectrogram appears with the first steps.</div>}
    </div>
  );
}
