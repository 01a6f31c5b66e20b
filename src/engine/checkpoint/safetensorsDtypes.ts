/**
 * The element types a safetensors file may hold, and their conversion to the Float32Array the
 * engine computes with. Checkpoints we write are F32; F16, BF16 and F64 are read so that weights
 * exported by other tools (Hugging Face ships GPT-2 in F32, many models in F16/BF16) still load.
 */
import { EngineError, check } from '../errors';

/** The dtypes we read; any other dtype string in a header is rejected. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'U8' | 'BOOL' | 'F64';

/** One tensor as stored: product(shape) x dtypeSize(dtype) raw little-endian bytes. */
export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Uint8Array;
}

/**
 * Bytes per element. A Map rather than an object literal, so that a header naming a dtype like
 * "toString" or "__proto__" finds nothing instead of an Object.prototype member.
 */
export const DTYPE_SIZE: ReadonlyMap<SafetensorsDtype, number> = new Map<SafetensorsDtype, number>([
  ['F32', 4],
  ['F16', 2],
  ['BF16', 2],
  ['I32', 4],
  ['I64', 8],
  ['U8', 1],
  ['BOOL', 1],
  ['F64', 8],
]);

/** True when typed arrays on this machine are little-endian, so LE bytes can be copied as they are. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Type guard for a dtype string read from an untrusted header. */
export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && DTYPE_SIZE.has(value as SafetensorsDtype);
}

/** product(shape), 1 for a scalar; NaN or a non-safe integer when the shape is absurd. */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/**
 * The value of one IEEE 754 half-precision number given its 16 bits:
 * 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
 */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero or subnormal: 0.m x 2^-14
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (mantissa + 1024) * 2 ** (exponent - 25); // 1.m x 2^(e-15)
}

/** Every half value by bit pattern, built on first use: conversion becomes one lookup. */
let float16Table: Float32Array | null = null;

function float16Lookup(): Float32Array {
  if (float16Table === null) {
    float16Table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) float16Table[bits] = float16ToNumber(bits);
  }
  return float16Table;
}

/** The bytes of `data` as a DataView, whatever its offset inside its buffer. */
function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Little-endian float32 bytes -> a fresh, 4-byte-aligned Float32Array. */
function fromF32(data: Uint8Array, count: number): Float32Array {
  if (LITTLE_ENDIAN_HOST) return new Float32Array(data.slice().buffer);
  const view = viewOf(data);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

function fromF16(data: Uint8Array, count: number): Float32Array {
  const table = float16Lookup();
  const view = viewOf(data);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = table[view.getUint16(2 * i, true)];
  return out;
}

/** bfloat16 is the top half of a float32, so widening is exact: shift the bits into place. */
function fromBF16(data: Uint8Array, count: number): Float32Array {
  const view = viewOf(data);
  const bits = new Uint32Array(count);
  for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  return new Float32Array(bits.buffer);
}

/** float64 rounds to the nearest float32; magnitudes beyond float32 become +-Infinity. */
function fromF64(data: Uint8Array, count: number): Float32Array {
  const view = viewOf(data);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/**
 * A tensor's values as a new Float32Array of length product(shape) (never a view into the file,
 * so it is aligned and safe to hand to tfjs). F32 is copied, F16/BF16/F64 are converted; integer
 * and bool dtypes throw EngineError('BAD_CHECKPOINT') naming the tensor (and `file`, when given), as
 * do bytes that do not match the shape.
 */
export function toFloat32(entry: TensorEntry, tensor: string, file: string | null = null): Float32Array {
  const size = DTYPE_SIZE.get(entry.dtype);
  const dtype = String(entry.dtype);
  check(size !== undefined, 'BAD_CHECKPOINT', { code: 'TENSOR_DTYPE_UNKNOWN', params: { file, tensor, dtype } });
  const count = elementCount(entry.shape);
  check(entry.data.byteLength === count * size, 'BAD_CHECKPOINT', {
    code: 'TENSOR_BYTES',
    params: { file, tensor, bytes: entry.data.byteLength, shape: entry.shape, dtype, needed: count * size },
  });
  switch (entry.dtype) {
    case 'F32':
      return fromF32(entry.data, count);
    case 'F16':
      return fromF16(entry.data, count);
    case 'BF16':
      return fromBF16(entry.data, count);
    case 'F64':
      return fromF64(entry.data, count);
    default:
      throw new EngineError('BAD_CHECKPOINT', { code: 'TENSOR_NOT_FLOAT', params: { file, tensor, dtype } });
  }
}

/**
 * Throws unless every value is finite, naming the tensor and the first bad flat index. The code
 * is BAD_CHECKPOINT by default (a NaN read from a file means the file is bad); a caller checking
 * weights it is about to save passes 'NUMERICAL' (training diverged).
 */
export function assertFinite(
  values: Float32Array,
  tensor: string,
  code: 'BAD_CHECKPOINT' | 'NUMERICAL' = 'BAD_CHECKPOINT',
  file: string | null = null,
): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new EngineError(code, {
        code: 'TENSOR_NOT_FINITE',
        params: { file, tensor, index: i, value: String(values[i]) },
      });
    }
  }
}
