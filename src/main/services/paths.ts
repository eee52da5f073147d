// Where Genrelab keeps its data: the same folder Electron calls userData.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  if (process.env.GENRELAB_DATA_DIR) return process.env.GENRELAB_DATA_DIR;
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Genrelab');
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Genrelab');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Genrelab');
  }
}

export function defaultDbPath(dataDir = defaultDataDir()): string {
  return join(dataDir, 'genrelab.sqlite');
}
