/**
 * BatchMatMul on WASM for batches of matrices, through the SIMD function of bmm-wasm-code.ts.
 *
 * tfjs's WASM backend multiplies one plain matrix pair with XNNPACK (fast) and everything else
 * (a batch, or a transpose flag) with a scalar loop about 13x slower. Attention is made of such
 * batches: [B, nh, T, hs]·[B, nh, hs, T] and its gradients, most of a training step's time. This
 * kernel takes them over; a single matrix pair still goes to XNNPACK, and whatever this kernel does
 * not handle (other dtypes, batch shapes that broadcast both ways) goes to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { bmmModuleBytes } from './bmm-wasm-code';

type Bmm = (
  a: number,
  b: number,
  out: number,
  batch: number,
  M: number,
  K: number,
  N: number,
  aBatch: number,
  bBatch: number,
  sai: number,
  sak: number,
) => void;

/** The parts of tfjs's WASM backend this kernel needs: where tensors lie in its memory. */
interface WasmBackend {
  wasm: { asm?: { memory?: unknown } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  disposeData(dataId: object): void;
}

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

/** [..., m, n] -> [..., n, m] with the backend's own Transpose kernel; the caller disposes it. */
function swapLastTwo(x: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  const transpose = tf.getKernel(tf.Transpose, 'wasm')!.kernelFunc;
  return transpose({
    inputs: { x },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { perm },
  }) as tf.TensorInfo;
}

/** The batch shape of the output, or null when a and b's batch shapes need broadcasting both ways. */
function batchShape(a: number[], b: number[]): number[] | null {
  const [outerA, outerB] = [a.slice(0, -2), b.slice(0, -2)];
  if (size(outerA) === 1) return outerB;
  if (size(outerB) === 1 || outerA.join() === outerB.join()) return outerA;
  return null;
}

function batchMatMul(
  args: Parameters<tf.KernelFunc>[0],
  bmm: Bmm,
  fallback: tf.KernelFunc,
): tf.TensorInfo | tf.TensorInfo[] {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const outer = batchShape(a.shape, b.shape);
  const [batchA, batchB] = [size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2))];
  if (outer === null || a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA === 1 && batchB === 1))
    return fallback(args);
  const backend = args.backend as unknown as WasmBackend;
  const r = a.shape.length;
  const [M, K] = transposeA ? [a.shape[r - 1], a.shape[r - 2]] : [a.shape[r - 2], a.shape[r - 1]];
  const bRows = transposeB ? swapLastTwo(b, backend) : b; // [..., K, N]
  const N = bRows.shape[bRows.shape.length - 1];
  const out = backend.makeOutput([...outer, M, N], 'float32');
  const at = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
  const [sai, sak] = transposeA ? [1, M] : [K, 1];
  bmm(at(a), at(bRows), at(out), size(outer), M, K, N, batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N, sai, sak);
  if (bRows !== b) backend.disposeData(bRows.dataId);
  return out;
}

let installed = false;

/**
 * Registers the kernel on the active WASM backend; call after tf.setBackend('wasm'). Returns false
 * and changes nothing where it cannot run: no WASM SIMD, or the multi-threaded build, whose shared
 * memory this module does not import.
 */
export function installWasmBatchMatMul(): boolean {
  if (installed) return true;
  const bytes = bmmModuleBytes();
  const original = tf.getKernel(tf.BatchMatMul, 'wasm');
  const memory = (tf.findBackend('wasm') as unknown as WasmBackend | null)?.wasm.asm?.memory;
  if (
    original === undefined ||
    !(memory instanceof WebAssembly.Memory) ||
    !(memory.buffer instanceof ArrayBuffer) ||
    !WebAssembly.validate(bytes)
  )
    return false;
  const bmm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.bmm as Bmm;
  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: (args) => batchMatMul(args, bmm, original.kernelFunc) });
  installed = true;
  return true;
}
