// Runs after `npm install` / `npm ci`: build the app (main, preload, renderer) so that `genrelab`,
// `npm start` and browser mode work straight away. Skipped when the dev tools are not installed
// (a production install), where the shipped `out/` is used.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('node_modules/electron-vite')) process.exit(0);
const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('genrelab: build failed (see above); `npm run build` retries it.');
  process.exit(r.status ?? 1);
}
