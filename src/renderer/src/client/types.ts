import type { GenrelabClient } from '../../../shared/contract';
import type { AppErrorShape } from '../../../shared/types';

/** What the Electron preload exposes as `window.genrelabBridge`. */
export interface GenrelabBridge {
  call(method: string, req: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: AppErrorShape }>;
  on(event: string, fn: (payload: unknown) => void): () => void;
  audioUrl(trackId: number): string;
  pathForFile(file: File): string | null;
}

/**
 * The state of the link to the engine. Electron IPC is always `open`; the WebSocket goes
 * `connecting` → `open`, and on a drop `reconnecting` → `open` again. `closed` is final.
 */
export type LinkStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LinkState {
  status: LinkStatus;
  /** Failed connection attempts since the link was last open. */
  attempts: number;
  /** Human description of the last problem, if any. */
  message: string | null;
}

/** The renderer's client: the contract's client plus what only the renderer needs. */
export interface RendererClient extends GenrelabClient {
  /** The local path of a dropped file or folder, where the transport can know it (Electron). */
  pathForFile(file: File): string | null;
  link(): LinkState;
  /** Called on every change of the link state; returns an unsubscribe. */
  onLink(fn: (state: LinkState) => void): () => void;
  close(): void;
}

declare global {
  interface Window {
    genrelabBridge?: GenrelabBridge;
  }
}
