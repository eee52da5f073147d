// `npm start`: open the Genrelab window (Electron). Where Electron cannot start (binary missing,
// no display), say why in one line and serve the same app in browser mode instead.
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  const dir = join(root, 'node_modules/electron');
  if (!existsSync(dir)) return { bin: null, why: 'the electron package is not installed' };
  const pathFile = join(dir, 'path.txt');
  const bin = existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (bin && existsSync(bin)) return { bin, why: null };
  // Electron fetches its binary on first launch; try once, quietly.
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const again = existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (r.status === 0 && again && existsSync(again)) return { bin: again, why: null };
  const reason = (r.stderr || r.stdout || '').split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/i.test(l));
  return { bin: null, why: `the Electron binary is missing and could not be downloaded${reason ? ` (${reason.trim().slice(0, 120)})` : ''}` };
}

function serveInstead(why) {
  console.log(`Electron cannot start: ${why}. Serving Genrelab in browser mode instead — open the URL below.`);
  const child = spawn(process.execPath, [join(root, 'bin/genrelab.js'), 'serve', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

if (process.env.GENRELAB_BROWSER === '1') {
  serveInstead('GENRELAB_BROWSER=1 asks for browser mode');
} else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  serveInstead('no display (neither DISPLAY nor WAYLAND_DISPLAY is set)');
} else {
  const { bin, why } = electronBinary();
  if (!bin) serveInstead(why);
  else {
    const started = Date.now();
    const child = spawn(bin, [join(root, 'out/main/index.js'), ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('exit', (code) => {
      if (code !== 0 && Date.now() - started < 5000) {
        const line = err.split('\n').find((l) => l.trim()) ?? `exit code ${code}`;
        serveInstead(`Electron exited at start (${line.trim().slice(0, 140)})`);
      } else process.exit(code ?? 0);
    });
  }
}
