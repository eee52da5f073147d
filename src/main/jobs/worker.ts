// worker_threads entry: runs tasks from tasks.ts on request from the pool.
import { parentPort, threadId } from 'node:worker_threads';
import { toErrorShape } from '../../shared/errors';
import { TASKS, type TaskContext, type TaskName } from './tasks';

interface RunMessage {
  seq: number;
  task: TaskName;
  payload: unknown;
}

/** Collect the ArrayBuffers of typed arrays in a result so they move instead of being copied. */
function transferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && !out.includes(buf)) out.push(buf);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (msg: RunMessage) => {
  const fn = TASKS[msg.task] as ((p: unknown, ctx: TaskContext) => Promise<unknown>) | undefined;
  if (!fn) {
    port.postMessage({ seq: msg.seq, ok: false, error: { kind: 'bad-request', message: `unknown task ${msg.task}` } });
    return;
  }
  try {
    const ctx: TaskContext = { progress: (progress) => port.postMessage({ seq: msg.seq, progress }) };
    const value = await fn(msg.payload, ctx);
    port.postMessage({ seq: msg.seq, ok: true, value }, transferables(value));
  } catch (err) {
    port.postMessage({ seq: msg.seq, ok: false, error: toErrorShape(err) });
  }
});
port.postMessage({ ready: true, threadId });
