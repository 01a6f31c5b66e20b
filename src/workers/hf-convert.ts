/**
 * Hugging Face GPT-2 directories converted in the worker, the only place the engine's model code
 * (and TensorFlow.js with it) is loaded; the page stores what comes back.
 */
import { exportHfGpt2, importHfGpt2 } from '../engine/interchange/hf-gpt2';
import { Tokenizer } from '../engine/tokenizer/tokenizer';
import { toFileMap, toHfFiles, type HfFile, type HfModel } from '../contract/hf-model';
import type { Request, RequestResult } from '../contract/protocol';

export type HfRequest = Extract<Request, { type: 'importHf' | 'exportHf' }>;

export function isHfRequest(request: Request): request is HfRequest {
  return request.type === 'importHf' || request.type === 'exportHf';
}

/**
 * A GPT-2 directory as our checkpoint, named `name` (also the directory's name in messages).
 * Throws EngineError (ImportError for lists of problems) naming the file and what is wrong.
 */
export function importHfModel(files: readonly HfFile[], name: string, createdAt: string): HfModel {
  const imported = importHfGpt2(toFileMap(files), { name, createdAt, source: name });
  return {
    checkpoint: imported.checkpoint.slice().buffer,
    config: imported.config,
    tokenizer: JSON.stringify(imported.tokenizer.toJSON()),
  };
}

/** Checkpoint bytes and their tokenizer.json text as a GPT-2 directory; BAD_TOKENIZER for the wrong tokenizer. */
export function exportHfModel(checkpoint: ArrayBuffer, tokenizer: string, source: string): HfFile[] {
  const files = exportHfGpt2(new Uint8Array(checkpoint), Tokenizer.fromJSON(JSON.parse(tokenizer)), source);
  return toHfFiles(files);
}

export function convertHf(request: HfRequest): RequestResult {
  if (request.type === 'exportHf')
    return { kind: 'hfFiles', files: exportHfModel(request.checkpoint, request.tokenizer, request.source) };
  return { kind: 'hfModel', model: importHfModel(request.files, request.name, request.createdAt) };
}
