/**
 * From a text file to training data: documents, a held-out split, token streams and batches.
 *
 * Documents are separated by `<|endoftext|>` (TinyStories' format); a file without that separator
 * is split at blank lines (paragraphs). The last 10% of documents are held out for validation and
 * never trained on. Each document's tokens are followed by end-of-text, as the model will see
 * them at generation time.
 */
import { EngineError, check } from '../errors';
import type { Rng } from '../rng';

export const DOC_SEPARATOR = '<|endoftext|>';

/** Share of documents held out for validation. */
export const VALIDATION_FRACTION = 0.1;

/** Splits raw text into non-empty documents, refusing text that is empty or not text. */
export function splitDocuments(text: string, source = 'corpus'): string[] {
  check(text.trim().length > 0, 'BAD_CORPUS', { code: 'CORPUS_EMPTY', params: { file: source } });
  const nul = text.indexOf('\u0000');
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  if (nul >= 0 || replaced > text.length / 100) {
    const params = { file: source, nulAt: nul >= 0 ? nul : null, invalidBytes: nul >= 0 ? null : replaced };
    throw new EngineError('BAD_CORPUS', { code: 'CORPUS_BINARY', params });
  }
  const parts = text.includes(DOC_SEPARATOR) ? text.split(DOC_SEPARATOR) : text.split(/\r?\n\s*\r?\n/);
  return parts.map((d) => d.trim()).filter((d) => d.length > 0);
}

export interface CorpusSplit {
  train: string[];
  validation: string[];
}

/** The last 10% of documents (at least one) become validation. */
export function holdOut(docs: string[], source = 'corpus'): CorpusSplit {
  check(docs.length >= 2, 'BAD_CORPUS', {
    code: 'CORPUS_FEW_DOCUMENTS',
    params: { file: source, documents: docs.length, separator: DOC_SEPARATOR },
  });
  const nVal = Math.max(1, Math.round(docs.length * VALIDATION_FRACTION));
  return { train: docs.slice(0, docs.length - nVal), validation: docs.slice(docs.length - nVal) };
}

/** Refuses a stream too short to fill one training window of blockSize + 1 tokens. */
export function checkStreamLength(stream: Int32Array, blockSize: number, split: 'training' | 'validation'): void {
  check(stream.length >= blockSize + 1, 'BAD_CORPUS', {
    code: 'CORPUS_SPLIT_SHORT',
    params: { split, tokens: stream.length, needed: blockSize + 1 },
  });
}

/** B random windows of T + 1 consecutive tokens: inputs are [:T], targets [1:]. */
export function randomWindows(stream: Int32Array, B: number, T: number, rng: Rng): number[][] {
  return Array.from({ length: B }, () => {
    const start = rng.int(stream.length - T);
    return Array.from(stream.subarray(start, start + T + 1));
  });
}

/**
 * Every token of the stream exactly once, as windows of at most T + 1 tokens that overlap by one
 * (each window's last token is the next window's first input), for an exact validation loss.
 */
export function evaluationWindows(stream: Int32Array, T: number): number[][] {
  const windows: number[][] = [];
  for (let start = 0; start + 1 < stream.length; start += T) {
    windows.push(Array.from(stream.subarray(start, Math.min(start + T + 1, stream.length))));
  }
  return windows;
}

/**
 * Sliding windows for evaluation with long context: windows of up to T + 1 tokens starting every
 * `stride` tokens; in every window but the first, only the last `stride` predictions are scored,
 * so each scored token sees at least T - stride tokens of context. `from` is the first scored
 * prediction (index into the span's T predictions).
 */
export function slidingWindows(stream: Int32Array, T: number, stride: number): { span: number[]; from: number }[] {
  const out: { span: number[]; from: number }[] = [];
  let scoredUpTo = 0; // stream positions < scoredUpTo have been predicted already (position 0 never is)
  for (let end = Math.min(T + 1, stream.length); ; end = Math.min(end + stride, stream.length)) {
    const start = Math.max(0, end - T - 1);
    const span = Array.from(stream.subarray(start, end));
    const fresh = end - Math.max(scoredUpTo, 1); // new targets: stream positions scoredUpTo .. end-1
    out.push({ span, from: span.length - 1 - fresh });
    scoredUpTo = end;
    if (end >= stream.length) return out;
  }
}

/** What a pretraining run needs from its text: both splits as documents and as token streams. */
export interface PreparedCorpus {
  trainDocs: number[][];
  validationDocs: number[][];
  train: Int32Array;
  validation: Int32Array;
}

/**
 * Tokenises both splits. Each document's ids end with end-of-text; the streams are those
 * documents concatenated. Refuses splits too short for one window of blockSize + 1 tokens.
 */
export function prepareCorpus(
  split: CorpusSplit,
  encode: (text: string) => number[],
  eosId: number,
  blockSize: number,
): PreparedCorpus {
  const trainDocs = split.train.map((d) => [...encode(d), eosId]);
  const validationDocs = split.validation.map((d) => [...encode(d), eosId]);
  const train = Int32Array.from(trainDocs.flat());
  const validation = Int32Array.from(validationDocs.flat());
  checkStreamLength(train, blockSize, 'training');
  check(validation.length >= 2, 'BAD_CORPUS', {
    code: 'CORPUS_SPLIT_SHORT',
    params: { split: 'validation', tokens: validation.length, needed: 2 },
  });
  return { trainDocs, validationDocs, train, validation };
}
