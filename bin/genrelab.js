#!/usr/bin/env node
// The `genrelab` command: runs the built CLI (out/main/cli.js), or the TypeScript source through tsx
// when the project has not been built yet.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
let mod;
if (existsSync(built)) {
  mod = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/main/cli.ts', import.meta.url).href);
}
const code = await mod.main(process.argv.slice(2));
process.exit(code);
