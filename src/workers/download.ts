/**
 * Downloads with progress. Model files are a few megabytes, so the page shows a bar: the body is
 * read chunk by chunk and every chunk is reported. A missing file is told apart from a network
 * failure, including the case of a dev server that answers a missing path with its HTML page.
 */
import { WorkerFailure } from './failure';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Called with bytes received so far and bytes expected (null when the server did not say). */
export type ByteProgress = (loaded: number, total: number | null) => void;

export interface DownloadOptions {
  /** The MIME type asked for; also stops Vite's dev server answering a missing file with HTML. */
  accept: string;
  signal?: AbortSignal;
  onProgress?: ByteProgress;
}

async function request(fetchFn: FetchFn, url: string, options: DownloadOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { Accept: options.accept }, signal: options.signal });
  } catch (err) {
    if (options.signal?.aborted)
      throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'download', url } });
    const why = err instanceof Error ? err.message : String(err);
    throw new WorkerFailure('NETWORK', { code: 'DOWNLOAD_FAILED', params: { url, status: null, detail: why } });
  }
  if (response.status === 404)
    throw new WorkerFailure('MODEL_NOT_FOUND', { code: 'FILE_NOT_FOUND', params: { url, html: false } });
  if (!response.ok)
    throw new WorkerFailure('NETWORK', {
      code: 'DOWNLOAD_FAILED',
      params: { url, status: response.status, detail: response.statusText },
    });
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html') && !options.accept.includes('html')) {
    throw new WorkerFailure('MODEL_NOT_FOUND', { code: 'FILE_NOT_FOUND', params: { url, html: true } });
  }
  return response;
}

/** The size the body will have once read, when the server says so and it is not compressed. */
function expectedSize(response: Response): number | null {
  const length = Number(response.headers.get('content-length'));
  if (response.headers.get('content-encoding') !== null || !Number.isFinite(length) || length <= 0) return null;
  return length;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readBody(response: Response, url: string, options: DownloadOptions): Promise<Uint8Array> {
  const total = expectedSize(response);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  options.onProgress?.(0, total);
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      options.onProgress?.(loaded, total);
    }
  } catch (err) {
    if (options.signal?.aborted)
      throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'download', url } });
    const why = err instanceof Error ? err.message : String(err);
    throw new WorkerFailure('NETWORK', { code: 'DOWNLOAD_BROKE_OFF', params: { url, loaded, detail: why } });
  }
  if (total !== null && loaded !== total) {
    throw new WorkerFailure('NETWORK', { code: 'DOWNLOAD_CUT_SHORT', params: { url, loaded, total } });
  }
  return concat(chunks, loaded);
}

/** The body of `url` as bytes. Throws WorkerFailure (MODEL_NOT_FOUND, NETWORK, CANCELLED). */
export async function fetchBytes(fetchFn: FetchFn, url: string, options: DownloadOptions): Promise<Uint8Array> {
  const response = await request(fetchFn, url, options);
  return readBody(response, url, options);
}

/** The body of `url` parsed as JSON; a body that is not JSON is reported as `badCode`. */
export async function fetchJSON(
  fetchFn: FetchFn,
  url: string,
  badCode: 'BAD_MANIFEST' | 'BAD_TOKENIZER',
  options: Omit<DownloadOptions, 'accept'>,
): Promise<unknown> {
  const bytes = await fetchBytes(fetchFn, url, { ...options, accept: 'application/json' });
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new WorkerFailure(badCode, { code: 'NOT_JSON', params: { url, detail: why } });
  }
}
