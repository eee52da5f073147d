import React, { useEffect, useRef } from 'react';
import type { SpectrogramImage } from '../../../../shared/dream';
import { colourMap, parseColour } from '../../../../main/engine/plot/colour';

let lut: Uint8Array | null = null;

/** viridis as 256 × RGB bytes. */
function viridis(): Uint8Array {
  if (!lut) {
    const map = colourMap('viridis');
    lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) lut.set(parseColour(map(i / 255)).slice(0, 3), i * 3);
  }
  return lut;
}

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
    const data = bytesOf(image.data);
    const px = ctx.createImageData(image.cols, image.rows);
    const colours = viridis();
    for (let i = 0; i < image.rows * image.cols; i++) {
      const c = data[i]! * 3;
      px.data[4 * i] = colours[c]!;
      px.data[4 * i + 1] = colours[c + 1]!;
      px.data[4 * i + 2] = colours[c + 2]!;
      px.data[4 * i + 3] = 255;
    }
    ctx.putImageData(px, 0, 0);
  }, [image]);
  return (
    <div className="dream-spectrogram" data-testid={props.testId} data-frames={props.frames ?? 0} data-drawn={image ? 'yes' : 'no'}>
      {image ? <canvas ref={ref} role="img" aria-label={props.label} /> : <div className="dream-spectrogram-empty muted">The spectrogram appears with the first steps.</div>}
    </div>
  );
}
