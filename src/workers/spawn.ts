/** Starts the engine worker. One place, so the app and the browser tests start it the same way. */
import { EngineClient } from './client';

export function spawnEngine(): { worker: Worker; client: EngineClient } {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  return { worker, client: new EngineClient(worker) };
}
