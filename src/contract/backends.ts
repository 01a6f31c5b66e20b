/** The tfjs backends the engine can run on, in the order it tries them (fastest first). */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(value: unknown): value is BackendName {
  return BACKEND_NAMES.some((name) => name === value);
}

/**
 * Why a backend could not be used, as data; the page words it. `threw` carries the backend's own
 * error text (from TensorFlow.js or the browser), `lost` the browser's description of a lost GPU.
 */
export type BackendFailure =
  | { kind: 'noWebGPU' } // navigator.gpu is missing
  | { kind: 'noOffscreenCanvas' } // so no WebGL context in a worker
  | { kind: 'noAdapter' } // WebGPU is offered but found no GPU adapter
  | { kind: 'softwareAdapter' } // the only WebGPU adapter emulates the GPU on the CPU, slower than WASM
  | { kind: 'initFailed' } // tf.setBackend answered false
  | { kind: 'threw'; detail: string }
  | { kind: 'lost'; reason: 'destroyed' | 'unknown'; detail: string };

export interface BackendAttempt {
  backend: BackendName;
  failure: BackendFailure;
}

/** The backend the engine runs on; `attempts` are the ones above it on the ladder and why each failed. */
export interface BackendChoice {
  backend: BackendName;
  attempts: BackendAttempt[];
}

/** No backend on the ladder started; `attempts` says why each failed. */
export class NoBackendError extends Error {
  readonly attempts: BackendAttempt[];

  constructor(attempts: BackendAttempt[]) {
    super(`No TensorFlow.js backend could start here (${JSON.stringify(attempts)}).`);
    this.name = 'NoBackendError';
    this.attempts = attempts;
  }
}
