/**
 * The bench worker: starts the backend the driver asked for (or walks the engine's ladder), then
 * runs the same cases as `npm run bench` in Node and posts the report back. Wall clock only: a
 * browser has no per-process CPU time.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend } from '../../src/engine/backend';
import { runBench } from '../bench';
import { FULL_SIZES, QUICK_SIZES } from '../sizes';
import { describeBrowserMachine } from './machine';
import type { BenchWorkerMessage, BrowserBenchRequest } from './protocol';

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
};

const post = (message: BenchWorkerMessage): void => self.postMessage(message);

async function run(request: BrowserBenchRequest): Promise<void> {
  const choice = await initBackend({
    order: request.backend === null ? undefined : [request.backend],
    wasmPaths: WASM_PATHS,
  });
  const report = await runBench({
    sizes: request.quick ? QUICK_SIZES : FULL_SIZES,
    sizesName: request.quick ? 'quick' : 'full',
    only: request.only,
    clock: 'wall',
    machine: await describeBrowserMachine(choice),
    log: (line) => post({ type: 'log', line }),
  });
  post({ type: 'done', report });
}

self.addEventListener('message', (event: MessageEvent<BrowserBenchRequest>) => {
  run(event.data).catch((err: unknown) =>
    post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
