// Electron bootstrap: window, menu, the custom protocol for library audio, lifecycle.
import { app, BrowserWindow, dialog, Menu, protocol, shell } from 'electron';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { AUDIO_SCHEME } from '../../shared/contract';
import { toErrorShape } from '../../shared/errors';
import { Services } from '../services';
import { registerIpc } from '../transport/ipc';
import { planAudio } from '../transport/audio';

protocol.registerSchemesAsPrivileged([
  { scheme: AUDIO_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, corsEnabled: true } },
]);

const here = import.meta.dirname ?? __dirname;
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const preload = join(here, '..', 'preload', 'index.cjs');
const rendererUrl = pathToFileURL(rendererIndex).href;
const isTrustedUrl = (url: string) =>
  url === rendererUrl || url.startsWith(rendererUrl + '#') || url.startsWith(rendererUrl + '?') ||
  (!!process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL));

let services: Services | null = null;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function createWindow(): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: 'Genrelab',
    backgroundColor: '#101318',
    show: false,
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  win.once('ready-to-show', () => win.show());
  // Links open in the user's browser; the window never navigates away from the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault();
  });
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(rendererIndex);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  services = new Services({
    dbPath: argValue('--db'),
    dataDir: app.getPath('userData'),
    transport: 'ipc',
    pickFolder: async () => {
      const win = BrowserWindow.getFocusedWindow();
      const r = win
        ? await dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Add a music folder' })
        : await dialog.showOpenDialog({ properties: ['openDirectory'], title: 'Add a music folder' });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
  });
  const svc = services;
  protocol.handle(AUDIO_SCHEME, async (request) => {
    try {
      const id = Number(new URL(request.url).pathname.replace(/^\//, ''));
      const plan = await planAudio(svc.store, id, request.headers.get('range') ?? undefined);
      // wavesurfer fetches the audio from the file:// page: a cross-origin fetch to this scheme.
      const headers = { ...plan.headers, 'Access-Control-Allow-Origin': '*' };
      if (plan.status === 416 || plan.start === undefined) return new Response(null, { status: plan.status, headers });
      const body = Readable.toWeb(createReadStream(plan.path, { start: plan.start, end: plan.end })) as ReadableStream;
      return new Response(body, { status: plan.status, headers });
    } catch (err) {
      const e = toErrorShape(err);
      return new Response(e.message, { status: e.kind === 'not-found' ? 404 : 400 });
    }
  });
  registerIpc(svc, isTrustedUrl, () => BrowserWindow.getAllWindows());
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
}

process.on('unhandledRejection', (err) => console.error('Genrelab: unhandled rejection:', err));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  void services?.close();
});

main().catch((err) => {
  console.error('Genrelab failed to start:', err);
  app.exit(1);
});
