// The contract over Electron IPC: one ipcMain.handle per method name of the contract (no generic
// gateway), each checking that the sender is our own renderer. Events go to every window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES } from '../../shared/contract';
import { toErrorShape } from '../../shared/errors';
import type { Services } from '../services';

export function registerIpc(services: Services, isTrustedUrl: (url: string) => boolean, windows: () => BrowserWindow[]): () => void {
  for (const name of METHOD_NAMES) {
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, req: unknown) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) return { ok: false, error: { kind: 'forbidden', message: 'untrusted sender' } };
      try {
        const handler = services.handlers[name] as (r: unknown) => Promise<unknown>;
        return { ok: true, value: (await handler(req)) ?? null };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    });
  }
  const onEvent = (name: string, payload: unknown) => {
    for (const w of windows()) if (!w.isDestroyed()) w.webContents.send(name, payload);
  };
  services.bus.on('event', onEvent);
  return () => {
    services.bus.off('event', onEvent);
    for (const name of METHOD_NAMES) ipcMain.removeHandler(name);
  };
}
