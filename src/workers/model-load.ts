/**
 * Building the model the worker holds: the shipped one from its manifest (downloaded with
 * progress), one the person saved (bytes from the page), or a kept one rebuilt after a device loss.
 * Each returns the model, its tokenizer and what the page shows of it; the host swaps it in.
 */
import { GPT, Tokenizer, loadCheckpoint, saveCheckpoint } from '../engine';
import { warmUp } from '../engine/warmup';
import { SAVED_MODEL_PREFIX } from '../contract/protocol';
import type { ModelInfo, ProgressPhase, Request } from '../contract/protocol';
import { fetchJSON, type ByteProgress, type FetchFn } from './download';
import { parseManifest, pickModel } from './manifest';
import { downloadModel, parseTokenizer } from './model-files';
import { weightsHash } from './weights-hash';

export interface LoadedModel {
  model: GPT;
  tokenizer: Tokenizer;
  info: ModelInfo;
}

/** A model just built, with the checkpoint bytes a device loss would rebuild it from. */
export interface BuiltModel {
  loaded: LoadedModel;
  bytes: Uint8Array;
}

/** Downloads the manifest's model (`request.modelId`, or its default), reporting bytes per phase. */
export async function loadShippedModel(
  request: Extract<Request, { type: 'loadModel' }>,
  from: { fetch: FetchFn; baseUrl: string },
  signal: AbortSignal,
  onProgress: (phase: ProgressPhase, loaded: number, total: number | null) => void,
): Promise<BuiltModel> {
  const started = performance.now();
  const progress =
    (phase: ProgressPhase): ByteProgress =>
    (loaded, total) =>
      onProgress(phase, loaded, total);
  const manifestUrl = new URL(request.manifestUrl, from.baseUrl).href;
  const rawManifest = await fetchJSON(from.fetch, manifestUrl, 'BAD_MANIFEST', {
    signal,
    onProgress: progress('manifest'),
  });
  const manifest = parseManifest(rawManifest, manifestUrl);
  const entry = pickModel(manifest, request.modelId, manifestUrl);
  const files = await downloadModel(entry, manifestUrl, { fetch: from.fetch, signal, progress });
  progress('build')(0, 1);
  const tokenizer = Tokenizer.fromJSON(files.tokenizer);
  const { model } = loadCheckpoint(files.checkpoint, { tokenizer, source: files.checkpointUrl });
  progress('build')(1, 1);
  const loadMs = performance.now() - started;
  const info: ModelInfo = {
    id: entry.id,
    title: entry.title,
    available: manifest.models.map((m) => ({ id: m.id, title: m.title })),
    config: { ...model.config },
    paramCount: model.paramCount(),
    checkpointBytes: files.checkpoint.byteLength,
    card: files.card,
    loadMs,
    warmupMs: await warmUpOrFree(model),
    weightsHash: await weightsHash(files.checkpoint, files.checkpointUrl),
  };
  return { loaded: { model, tokenizer, info }, bytes: files.checkpoint };
}

/** A model the person saved, on the tokenizer it came with (or the current one's). */
export async function loadSavedModel(
  request: Extract<Request, { type: 'useModel' }>,
  current: LoadedModel,
): Promise<BuiltModel> {
  const started = performance.now();
  const bytes = new Uint8Array(request.bytes);
  const tokenizer =
    request.tokenizer === null
      ? current.tokenizer
      : Tokenizer.fromJSON(parseTokenizer(request.tokenizer, request.name));
  const { model } = loadCheckpoint(bytes, { tokenizer, source: request.name });
  const info: ModelInfo = {
    ...current.info,
    id: `${SAVED_MODEL_PREFIX}${request.name}`,
    title: request.name,
    config: { ...model.config },
    paramCount: model.paramCount(),
    checkpointBytes: request.bytes.byteLength,
    card: null,
    loadMs: performance.now() - started,
    warmupMs: await warmUpOrFree(model),
    weightsHash: await weightsHash(bytes, request.name),
  };
  return { loaded: { model, tokenizer, info }, bytes };
}

/** The model a device loss took, from its kept bytes, warmed up on the backend now in use. */
export async function rebuildModel(previous: LoadedModel, bytes: Uint8Array): Promise<LoadedModel> {
  const { model } = loadCheckpoint(bytes, { tokenizer: previous.tokenizer, source: previous.info.title });
  return { model, tokenizer: previous.tokenizer, info: { ...previous.info, warmupMs: await warmUpOrFree(model) } };
}

/** Warms `model` up (see engine/warmup.ts); one that fails its warm-up is freed first. */
async function warmUpOrFree(model: GPT): Promise<number> {
  try {
    return await warmUp(model);
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** The loaded model's current weights as checkpoint bytes. */
export function checkpointOf(loaded: LoadedModel): Promise<Uint8Array> {
  return saveCheckpoint(loaded.model, {
    name: loaded.info.id,
    tokenizerFingerprint: loaded.tokenizer.fingerprint(),
    info: {},
  });
}
