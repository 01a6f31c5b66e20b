/**
 * The engine's module worker: the tensors, the model and every heavy computation live here, off
 * the page's main thread. This file only wires the worker global to EngineHost, which does the
 * work, and tells the WASM backend where Vite serves its binaries.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { EngineHost } from './host';
import type { WorkerEvent } from '../contract/protocol';

const host = new EngineHost({
  post: (event: WorkerEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer),
  // Wrapped: fetch called as a method of another object throws "Illegal invocation".
  fetch: (input, init) => fetch(input, init),
  wasmPaths: {
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  },
  baseUrl: self.location.href,
});

self.addEventListener('message', (event: MessageEvent<unknown>) => host.receive(event.data));
