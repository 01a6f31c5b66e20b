/**
 * The bench page's main thread: it only starts the bench worker and relays. The cases run in a
 * worker because that is where the app runs the engine (src/workers/engine.worker.ts): the same
 * backend start-up (WebGPU device and WASM module obtained from a worker), and nothing on the page
 * competes with the timed work, while the page stays free to answer the driver.
 */
import type { BenchWorkerMessage } from './protocol';

window.runBench = (request) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
    worker.addEventListener('message', (event: MessageEvent<BenchWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'log') {
        window.benchLog?.(message.line);
        return;
      }
      worker.terminate();
      if (message.type === 'done') resolve(message.report);
      else reject(new Error(message.message));
    });
    worker.addEventListener('error', (event) => reject(new Error(`the bench worker failed: ${event.message}`)));
    worker.postMessage(request);
  });
