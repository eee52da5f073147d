import type { ExportedFile } from '../../../shared/types';
import { exportedBytes } from './runs';

/** Offer bytes to the user as a file download, through a Blob URL. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offer text to the user as a file download. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(filename, new Blob([text], { type }));
}

/** A file a service exported (base64 or UTF-8 text) as a Blob of its MIME type. */
export function exportedBlob(file: ExportedFile): Blob {
  return new Blob([exportedBytes(file)], { type: file.mime });
}

/** Offer a file a service exported to the user as a download, under its own name. */
export function downloadExported(file: ExportedFile): void {
  downloadBlob(file.filename, exportedBlob(file));
}
