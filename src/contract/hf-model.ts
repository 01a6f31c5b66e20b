/**
 * A Hugging Face GPT-2 directory as it crosses to the worker and back: the worker converts it
 * (the conversion reaches the engine's model code, and with it TensorFlow.js, which the page
 * never loads), storage keeps the result.
 */
import type { GPTConfig } from '../engine/model/config';
import { fieldsOf } from './fields';

/** One file of the directory: its name (config.json, model.safetensors, tokenizer.json...) and bytes. */
export interface HfFile {
  name: string;
  bytes: ArrayBuffer;
}

/** A converted directory: our checkpoint bytes, its config and its tokenizer.json text. */
export interface HfModel {
  checkpoint: ArrayBuffer;
  config: GPTConfig;
  tokenizer: string;
}

/** A directory has a handful of files: config, weights, tokenizer and a few optional ones. */
const MAX_HF_FILES = 64;

export function isHfFileList(value: unknown): value is HfFile[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_HF_FILES &&
    value.every((file) => {
      const f = fieldsOf(file);
      return f !== null && typeof f.name === 'string' && f.bytes instanceof ArrayBuffer;
    })
  );
}

/** The files as the engine's conversion reads them (name -> bytes); the bytes are not copied. */
export function toFileMap(files: readonly HfFile[]): Map<string, Uint8Array> {
  return new Map(files.map((f) => [f.name, new Uint8Array(f.bytes)]));
}

/** A file map as files that can be posted (each file's bytes copied into a buffer of its own). */
export function toHfFiles(files: ReadonlyMap<string, Uint8Array>): HfFile[] {
  return [...files].map(([name, bytes]) => ({ name, bytes: bytes.slice().buffer }));
}
