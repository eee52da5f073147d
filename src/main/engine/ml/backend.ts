// Picks the tfjs backend once per process: tfjs-node ('tensorflow') → wasm → cpu.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from './wasm-kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Why each faster backend was not used (empty when the first choice ran). */
  skipped: Array<{ backend: BackendName; reason: string }>;
  /** wasm only: SIMD and thread support as detected by tfjs. */
  simd?: boolean;
  threads?: boolean;
  /** Kernels this module registered or replaced for the chosen backend (see wasm-kernels.ts). */
  addedKernels: string[];
}

export interface InitBackendOptions {
  /** Skip backends before this one (e.g. 'cpu' for exact reference runs). */
  prefer?: BackendName;
  /** Folder holding tfjs-backend-wasm's *.wasm files; default: the installed package's dist. */
  wasmDir?: string;
}

let current: Promise<BackendInfo> | null = null;

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The folder with the wasm binaries of the installed @tensorflow/tfjs-backend-wasm, with a trailing separator. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js; the .wasm files sit beside it.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

async function tryTensorflow(): Promise<void> {
  // Optional dependency, absent on most machines: import by a computed name so that neither
  // the type checker nor the bundler insists on it.
  const name = ['@tensorflow', 'tfjs-node'].join('/');
  await import(/* @vite-ignore */ name);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but its backend did not start');
}

async function tryWasm(dir: string): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(dir);
  if (!(await tf.setBackend('wasm'))) throw new Error(`wasm backend did not start (binaries in ${dir})`);
}

async function choose(opts: InitBackendOptions): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  const start = ORDER.indexOf(opts.prefer ?? 'tensorflow');
  for (const name of ORDER.slice(start)) {
    try {
      if (name === 'tensorflow') await tryTensorflow();
      else if (name === 'wasm') await tryWasm(opts.wasmDir ?? wasmBinaryDir());
      else if (!(await switchBackend('cpu'))) throw new Error('cpu backend did not start');
      await tf.ready();
      const info: BackendInfo = { name, skipped, addedKernels: [] };
      if (name === 'wasm') {
        info.addedKernels = registerWasmTrainingKernels();
        info.simd = Boolean(tf.env().getBool('WASM_HAS_SIMD_SUPPORT'));
        info.threads = Boolean(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'));
      }
      return info;
    } catch (err) {
      skipped.push({ backend: name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/**
 * Initialises the fastest available backend (tfjs-node, then wasm, then cpu) once and reports it.
 * Later calls return the same answer. With `opts.prefer` on the first call, faster backends are skipped.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendName> {
  return (await initBackendInfo(opts)).name;
}

/** Like initBackend, with the reasons other backends were skipped and the wasm capabilities. */
export function initBackendInfo(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (!current) {
    current = choose(opts);
    current.catch(() => {
      current = null;
    });
  }
  return current;
}

/** The backend tfjs is using right now ('none' before initBackend). */
export function activeBackend(): string {
  return current ? tf.getBackend() : 'none';
}

/**
 * tf.setBackend, minus the cpu backend's one-time "install tfjs-node" notice on the console.
 * Used when falling back to cpu, and by tests that compare a backend with cpu.
 */
export async function switchBackend(name: string): Promise<boolean> {
  const ok = await tf.setBackend(name);
  if (ok && name === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return ok;
}
