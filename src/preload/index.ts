// The narrow bridge: call a contract method, listen to a contract event, build an audio URL, get
// the path of a dropped file. Names are checked against the contract; nothing else is exposed.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { AUDIO_SCHEME, isEventName, isMethodName } from '../shared/contract';

contextBridge.exposeInMainWorld('genrelabBridge', {
  call(method: string, req: unknown) {
    if (!isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { kind: 'bad-request', message: `unknown method ${method}` } });
    }
    return ipcRenderer.invoke(method, req);
  },
  on(event: string, fn: (payload: unknown) => void) {
    if (!isEventName(event)) return () => undefined;
    const listener = (_e: unknown, payload: unknown) => fn(payload);
    ipcRenderer.on(event, listener);
    return () => ipcRenderer.removeListener(event, listener);
  },
  audioUrl(trackId: number) {
    return `${AUDIO_SCHEME}://track/${Number(trackId)}`;
  },
  pathForFile(file: File) {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
});
