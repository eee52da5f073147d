import { createIpcClient } from './ipc';
import type { RendererClient } from './types';
import { createWsClient } from './ws';

export type { LinkState, LinkStatus, RendererClient } from './types';

const TOKEN_KEY = 'genrelab.token';

/**
 * Browser mode: the page is opened as `/?token=…`. Take the token from the address, keep it in
 * sessionStorage (so a reload still works) and remove it from the address bar.
 */
export function takeToken(loc: Location, storage: Storage, history: History): string | null {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * The client for this page, whichever transport carries it. In browser mode the token may be
 * absent (a new tab): the server's session cookie may still admit the page; if it does not, the
 * link never opens and the app says so.
 */
export function createClient(): RendererClient {
  if (window.genrelabBridge) return createIpcClient(window.genrelabBridge);
  const token = takeToken(window.location, window.sessionStorage, window.history);
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  const wsProto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsClient({
    url: `${wsProto}//${window.location.host}/ws${q}`,
    audioUrl: (trackId) => `/audio/${trackId}${q}`,
  });
}
