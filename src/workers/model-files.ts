/** Downloading the files of a manifest entry: tokenizer, checkpoint and model card. */
import { fetchBytes, fetchJSON, type ByteProgress, type FetchFn } from './download';
import { WorkerFailure } from './failure';
import { resolveModelFile } from './manifest';
import type { ManifestEntry, ProgressPhase } from '../contract/protocol';

export interface ModelFiles {
  tokenizer: unknown;
  checkpoint: Uint8Array;
  checkpointUrl: string;
  card: string | null;
}

export interface DownloadOptions {
  fetch: FetchFn;
  signal: AbortSignal;
  progress: (phase: ProgressPhase) => ByteProgress;
}

/** The tokenizer (parsed JSON), the checkpoint bytes and the model card of `entry`. */
export async function downloadModel(
  entry: ManifestEntry,
  manifestUrl: string,
  options: DownloadOptions,
): Promise<ModelFiles> {
  const { fetch: fetchFn, signal, progress } = options;
  const tokenizerUrl = resolveModelFile(entry.tokenizer, manifestUrl);
  const tokenizer = await fetchJSON(fetchFn, tokenizerUrl, 'BAD_TOKENIZER', {
    signal,
    onProgress: progress('tokenizer'),
  });
  const checkpointUrl = resolveModelFile(entry.checkpoint, manifestUrl);
  const accept = 'application/octet-stream';
  const checkpoint = await fetchBytes(fetchFn, checkpointUrl, { accept, signal, onProgress: progress('checkpoint') });
  const card = await downloadCard(fetchFn, resolveModelFile(entry.card, manifestUrl), signal, progress('card'));
  return { tokenizer, checkpoint, checkpointUrl, card };
}

/** The model card is documentation: a missing one is shown as missing, not as a failed load. */
async function downloadCard(
  fetchFn: FetchFn,
  url: string,
  signal: AbortSignal,
  onProgress: ByteProgress,
): Promise<string | null> {
  try {
    const bytes = await fetchBytes(fetchFn, url, { accept: 'text/markdown, text/plain', signal, onProgress });
    return new TextDecoder().decode(bytes);
  } catch (err) {
    if (err instanceof WorkerFailure && err.code === 'MODEL_NOT_FOUND') return null;
    throw err;
  }
}

/** A tokenizer stored as text beside a saved model, parsed. */
export function parseTokenizer(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new WorkerFailure('BAD_TOKENIZER', { code: 'STORED_TOKENIZER_NOT_JSON', params: { name, detail } });
  }
}
