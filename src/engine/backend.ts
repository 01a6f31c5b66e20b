/**
 * Choosing where the tensors live. The ladder is WebGPU, then WASM, then WebGL, then CPU: the
 * first that initialises wins, and the caller is told which one and why the ones above it failed,
 * so the UI can say "running on WASM because this browser has no WebGPU adapter".
 *
 * A GPU can also go away while the engine runs (a laptop's GPU runs out of memory, its driver
 * resets; WebGPU loses its device, WebGL its context): `onDeviceLost` reports that, and
 * `fallBackFrom` starts the next backend down the ladder.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendChoice,
  type BackendFailure,
  type BackendName,
  NoBackendError,
} from '../contract/backends';
import { installWasmGradients } from './kernels/matmul';
import { installWasmBatchMatMul } from './kernels/wasm-batch-matmul';

export type { BackendAttempt, BackendChoice, BackendFailure, BackendName } from '../contract/backends';
export { NoBackendError } from '../contract/backends';

export const BACKEND_LADDER: readonly BackendName[] = BACKEND_NAMES;

export interface BackendOptions {
  /** Backends to try, in order (default: the whole ladder). */
  order?: readonly BackendName[];
  /**
   * Accept a software WebGPU adapter (SwiftShader: the GPU emulated on the CPU, slower than
   * WASM). Default: only when WebGPU is the only backend asked for (tests of the WebGPU path).
   */
  allowSoftwareWebGPU?: boolean;
  /** Where the WASM binaries are served from: a folder prefix or one URL per file name. */
  wasmPaths?: string | Record<string, string>;
}

/** Why a backend cannot even be tried here, or null when it can. */
function precondition(name: BackendName): BackendFailure | null {
  if (name === 'webgpu') {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (nav?.gpu === undefined) return { kind: 'noWebGPU' };
  }
  if (name === 'webgl' && typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') {
    return { kind: 'noOffscreenCanvas' };
  }
  return null;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

/** Why the WebGPU adapter is unsuitable (a software one), or null when it is a real GPU. */
async function softwareAdapter(): Promise<BackendFailure | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator
    ?.gpu;
  const adapter = await gpu?.requestAdapter();
  if (adapter == null) return { kind: 'noAdapter' };
  const info = adapter.info ?? {};
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`.toLowerCase();
  if (adapter.isFallbackAdapter || info.isFallbackAdapter || text.includes('swiftshader')) {
    return { kind: 'softwareAdapter' };
  }
  return null;
}

async function tryBackend(name: BackendName, allowSoftwareWebGPU: boolean): Promise<BackendFailure | null> {
  const missing = precondition(name);
  if (missing !== null) return missing;
  if (name === 'webgpu' && !allowSoftwareWebGPU) {
    const software = await softwareAdapter();
    if (software !== null) return software;
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return { kind: 'initFailed' };
    await tf.ready();
    return null;
  } catch (err) {
    return { kind: 'threw', detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Walks the ladder and activates the first backend that initialises.
 * Also installs the engine's gradient fixes for WASM, whichever backend wins, and when WASM wins
 * its SIMD kernel for batches of matrix products (kernels/wasm-batch-matmul.ts).
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  const order = options.order ?? BACKEND_LADDER;
  if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
  installWasmGradients();
  const allowSoftware = options.allowSoftwareWebGPU ?? (order.length === 1 && order[0] === 'webgpu');
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const failure = await tryBackend(backend, allowSoftware);
    if (failure === null) {
      if (backend === 'wasm') installWasmBatchMatMul();
      return { backend, attempts };
    }
    attempts.push({ backend, failure });
  }
  throw new NoBackendError(attempts);
}

/** A GPU (WebGPU device, WebGL context) that stopped working under the engine; every tensor on it is gone. */
export interface DeviceLoss {
  backend: BackendName;
  /**
   * 'destroyed': taken away on purpose (WebGPU's destroy(), WebGL's WEBGL_lose_context);
   * 'unknown': the browser or driver took it (a reset, out of memory).
   */
  reason: 'destroyed' | 'unknown';
  /** The browser's own description, for the details. */
  message: string;
}

/** What happened to a GPU the engine ran on. */
type LossInfo = Pick<DeviceLoss, 'reason' | 'message'>;

/** The GPU under the active backend: a WebGPU device or a WebGL context. */
interface ActiveGpu {
  backend: BackendName;
  /** Resolves once the GPU is lost; never, while it works. */
  lost: Promise<LossInfo>;
  /** Takes the GPU away, as a driver reset would; false when this browser offers no way to. */
  destroy(): boolean;
}

interface WebGLBackendLike {
  gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
}

/** Watches one WebGL context: every watcher of it shares one loss promise. */
class WebGLWatch {
  destroyed = false;
  readonly lost: Promise<LossInfo>;

  constructor(gl: WebGLRenderingContext | WebGL2RenderingContext) {
    this.lost = new Promise<LossInfo>((resolve) => {
      const report = (): void =>
        resolve(
          this.destroyed
            ? { reason: 'destroyed', message: 'The WebGL context was lost on purpose (WEBGL_lose_context).' }
            : { reason: 'unknown', message: 'The browser took the WebGL context away (webglcontextlost).' },
        );
      if (gl.isContextLost()) report();
      else (gl.canvas as EventTarget).addEventListener('webglcontextlost', report, { once: true });
    });
  }
}

const webglWatches = new WeakMap<object, WebGLWatch>();

function watchWebGL(gl: WebGLRenderingContext | WebGL2RenderingContext): WebGLWatch {
  let watch = webglWatches.get(gl);
  if (watch === undefined) {
    watch = new WebGLWatch(gl);
    webglWatches.set(gl, watch);
  }
  return watch;
}

/** The active backend's GPU, or null when the engine does not run on one (WASM, CPU). */
function activeGpu(): ActiveGpu | null {
  // getBackend() first: tf.backend() would start a backend if none had been chosen yet.
  const name = tf.getBackend();
  if (name === 'webgpu') {
    const backend = tf.backend();
    if (!(backend instanceof WebGPUBackend)) return null;
    const device = backend.device;
    return {
      backend: 'webgpu',
      lost: device.lost.then((info) => ({ reason: info.reason, message: info.message })),
      destroy: () => (device.destroy(), true),
    };
  }
  if (name === 'webgl') {
    const gl = (tf.backend() as unknown as WebGLBackendLike).gpgpu?.gl;
    if (gl === undefined) return null;
    const watch = watchWebGL(gl);
    return {
      backend: 'webgl',
      lost: watch.lost,
      destroy: () => {
        const extension = gl.getExtension('WEBGL_lose_context');
        if (extension === null) return false;
        watch.destroyed = true;
        extension.loseContext();
        return true;
      },
    };
  }
  return null;
}

/**
 * Calls `onLost` once if the active backend's GPU (a WebGPU device, a WebGL context) is lost; a
 * backend without one (WASM, CPU) never calls it. Returns a function that stops watching: call it
 * before tearing the backend down on purpose, so a GPU released by our own clean-up is not
 * reported as a loss.
 */
export function onDeviceLost(onLost: (loss: DeviceLoss) => void): () => void {
  const gpu = activeGpu();
  if (gpu === null) return () => undefined;
  let watching = true;
  void gpu.lost.then((info) => {
    if (watching) onLost({ backend: gpu.backend, ...info });
  });
  return () => {
    watching = false;
  };
}

/**
 * Resolves with whether the active backend's GPU is lost within `ms` (false at once when it has
 * none). A read from a GPU going away can fail before the loss is reported, so an unexpected
 * error on WebGPU or WebGL is worth this short wait before it is blamed on anything else.
 */
export async function deviceLostWithin(ms: number): Promise<boolean> {
  const gpu = activeGpu();
  if (gpu === null) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));
  return Promise.race([gpu.lost.then(() => true), timeout]);
}

/**
 * Takes the active backend's GPU away (destroys the WebGPU device, loses the WebGL context), as a
 * driver reset would: a way to test the recovery. Returns false when the backend has no GPU (or
 * no way to take it away).
 */
export function destroyDevice(): boolean {
  return activeGpu()?.destroy() ?? false;
}

/**
 * Starts the first backend below the lost one on the ladder. The lost backend is not tried again
 * in this process: its GPU is gone, and a new one would likely fail the same way.
 */
export async function fallBackFrom(
  loss: DeviceLoss,
  options: Omit<BackendOptions, 'order'> = {},
): Promise<BackendChoice> {
  const below = BACKEND_LADDER.slice(BACKEND_LADDER.indexOf(loss.backend) + 1);
  const choice = await initBackend({ ...options, order: below });
  const lost: BackendAttempt = {
    backend: loss.backend,
    failure: { kind: 'lost', reason: loss.reason, detail: loss.message.replace(/\.$/, '') },
  };
  return { backend: choice.backend, attempts: [lost, ...choice.attempts] };
}
