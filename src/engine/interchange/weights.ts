/**
 * GPT weights as plain arrays, without building a model: what conversions between file formats
 * need. Reading checks what `loadCheckpoint` checks (names, shapes, float dtype, finite values)
 * but reports every problem at once; encoding writes exactly the layout `saveCheckpoint` writes.
 */
import { readCheckpointHeader, type CheckpointMetadata } from '../checkpoint/checkpoint';
import { decodeSafetensors, toFloat32, type TensorEntry } from '../checkpoint/safetensors';
import { EngineError } from '../errors';
import type { GPTConfig } from '../model/config';
import { gptParamSpecs } from '../model/params';
import type { Message } from '../../contract/messages';
import { inFile, throwIfProblems } from './import-error';

/** Tensors by HF GPT-2 name, as float32. */
export type Weights = Map<string, { shape: number[]; data: Float32Array }>;

/** Names listed in one message; the rest are counted. */
const LISTED_NAMES = 8;

function listNames(names: string[]): { tensors: string[]; more: number } {
  return { tensors: names.slice(0, LISTED_NAMES), more: Math.max(0, names.length - LISTED_NAMES) };
}

/** The first non-finite value's index, or -1. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** One tensor as float32, or a problem. */
function readTensor(name: string, entry: TensorEntry, shape: number[], problems: Message[]): Float32Array | null {
  if (entry.shape.join() !== shape.join()) {
    problems.push({ code: 'TENSOR_WRONG_SHAPE', params: { tensor: name, shape: entry.shape, expected: shape } });
    return null;
  }
  let data: Float32Array;
  try {
    data = toFloat32(entry, name);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    problems.push(error.detail);
    return null;
  }
  const bad = firstNonFinite(data);
  if (bad >= 0)
    problems.push({
      code: 'TENSOR_NOT_FINITE',
      params: { file: null, tensor: name, index: bad, value: String(data[bad]) },
    });
  return bad >= 0 ? null : data;
}

/**
 * Checks `tensors` (named as our checkpoints name them) against a GPT with `config` and converts
 * them to float32. Throws ImportError('BAD_CHECKPOINT') listing missing, unexpected, misshapen,
 * non-float and non-finite tensors.
 */
export function gptWeights(tensors: ReadonlyMap<string, TensorEntry>, config: GPTConfig, source: string): Weights {
  const specs = gptParamSpecs(config);
  const expected = new Set(specs.map((s) => s.name));
  const problems: Message[] = [];
  const missing = specs.map((s) => s.name).filter((name) => !tensors.has(name));
  const unexpected = [...tensors.keys()].filter((name) => !expected.has(name));
  if (missing.length > 0) problems.push({ code: 'TENSORS_MISSING', params: listNames(missing) });
  if (unexpected.length > 0) problems.push({ code: 'TENSORS_UNEXPECTED', params: listNames(unexpected) });
  const weights: Weights = new Map();
  for (const spec of specs) {
    const entry = tensors.get(spec.name);
    const data = entry === undefined ? null : readTensor(spec.name, entry, spec.shape, problems);
    if (data !== null) weights.set(spec.name, { shape: spec.shape, data });
  }
  throwIfProblems('BAD_CHECKPOINT', source, inFile(problems));
  return weights;
}

/** Decodes and checks our checkpoint bytes: its config, metadata and float32 weights. */
export function readCheckpointWeights(
  bytes: Uint8Array,
  source = 'checkpoint',
): { config: GPTConfig; metadata: CheckpointMetadata; weights: Weights } {
  const file = decodeSafetensors(bytes, source);
  const { config, metadata } = readCheckpointHeader(file.metadata, source);
  return { config, metadata, weights: gptWeights(file.tensors, config, source) };
}
