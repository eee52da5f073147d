import type { EventName, MethodName, PayloadOf, ReqOf, ResOf } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { GenrelabBridge, LinkState, RendererClient } from './types';

/** Wrap the Electron preload bridge. Errors come back as values and are rethrown as AppError. */
export function createIpcClient(bridge: GenrelabBridge): RendererClient {
  const open: LinkState = { status: 'open', attempts: 0, message: null };
  return {
    transport: 'ipc',
    async call<K extends MethodName>(name: K, req: ReqOf<K>): Promise<ResOf<K>> {
      const res = await bridge.call(name, req);
      if (!res.ok) throw AppError.from(res.error);
      return res.value as ResOf<K>;
    },
    on<E extends EventName>(name: E, fn: (payload: PayloadOf<E>) => void): () => void {
      return bridge.on(name, (p) => fn(p as PayloadOf<E>));
    },
    audioUrl: (trackId) => bridge.audioUrl(trackId),
    pathForFile: (file) => bridge.pathForFile(file),
    link: () => open,
    onLink: () => () => {},
    close: () => {},
  };
}
