// Development/test entry for worker threads: register tsx so the TypeScript worker runs unbuilt.
// (Built apps use out/main/worker.js instead.)
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
