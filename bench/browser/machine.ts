/**
 * What the browser figures were measured on: the backend and why it was chosen, the WebGPU adapter
 * or WebGL renderer (and whether it is a software one), the cores the browser reports, and the
 * browser itself.
 * Runs in the bench worker (a worker's navigator has gpu, hardwareConcurrency and userAgent too).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../../src/engine/backend';
import { backendReason } from '../../src/ui/strings/backend-failures';

export type Machine = Record<string, string | number | boolean>;

/** GPUAdapterInfo as Chromium has it now; @webgpu/types 0.1.38 still types the older API. */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: AdapterInfoLike;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<AdapterLike | null> };
}

/**
 * The default adapter, the one tfjs's WebGPU backend gets: its description, and whether it is a
 * software adapter (SwiftShader emulates the GPU on the CPU: its timings say nothing about GPUs).
 */
async function describeAdapter(): Promise<Machine> {
  const adapter = await (navigator as GpuNavigator).gpu?.requestAdapter();
  if (adapter == null) return { adapter: 'none' };
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description]
    .filter((s) => s !== undefined && s !== '')
    .join(' ');
  const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader/i.test(text);
  return { adapter: text === '' ? 'unnamed' : text, softwareAdapter: software };
}

/** The WebGL renderer tfjs's WebGL backend draws with, and whether it is a software one. */
function describeWebGL(): Machine {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return { renderer: 'none' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug === null ? gl.RENDERER : debug.UNMASKED_RENDERER_WEBGL));
  return { renderer, softwareAdapter: /swiftshader|llvmpipe|software/i.test(renderer) };
}

/** The machine line of the browser report. */
export async function describeBrowserMachine(choice: BackendChoice): Promise<Machine> {
  const machine: Machine = { backend: choice.backend, tfjs: tf.version.tfjs };
  if (choice.attempts.length > 0) machine.chosenBecause = backendReason(choice);
  if (choice.backend === 'wasm') {
    machine.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    machine.threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  }
  if (choice.backend === 'webgpu') Object.assign(machine, await describeAdapter());
  if (choice.backend === 'webgl') Object.assign(machine, describeWebGL());
  machine.cores = navigator.hardwareConcurrency;
  machine.userAgent = navigator.userAgent;
  return machine;
}
