/**
 * The safetensors layout, in which every checkpoint is saved (the same layout as Hugging Face's
 * `safetensors`, so a policy saved here opens in Python and HF weights open here):
 *
 *   [8 bytes]  N, a little-endian u64: the header length
 *   [N bytes]  UTF-8 JSON header { "__metadata__": { string: string },
 *                                  "<name>": { "dtype", "shape", "data_offsets": [begin, end] } }
 *   [rest]     raw little-endian tensor data; offsets count from the start of this section
 *
 * Decoding trusts nothing: a file may come from a user's disk, an older version or a download cut
 * short, so every field is checked and every failure is EngineError('BAD_CHECKPOINT') with a
 * message that starts with the file's name and says what is wrong.
 */
import { EngineError, check } from '../errors';
import { DTYPE_SIZE, LITTLE_ENDIAN_HOST, elementCount, isSafetensorsDtype } from './safetensorsDtypes';
import type { SafetensorsDtype, TensorEntry } from './safetensorsDtypes';

export { DTYPE_SIZE, assertFinite, float16ToNumber, toFloat32 } from './safetensorsDtypes';
export type { SafetensorsDtype, TensorEntry } from './safetensorsDtypes';

export interface SafetensorsFile {
  /** The header's `__metadata__` (empty when absent); a null-prototype object, safe to index. */
  metadata: Record<string, string>;
  /** Tensors by name; each `data` is a view into the decoded bytes, not a copy. */
  tensors: Map<string, TensorEntry>;
}

/** Size of the u64 header-length prefix. */
const PREFIX_BYTES = 8;
/** A longer header is corruption or not a safetensors file at all (HF's reader uses 100 MB too). */
const MAX_HEADER_BYTES = 100_000_000;
/** HF pads the header so data starts 8-byte aligned and any dtype can be viewed in place. */
const DATA_ALIGNMENT = 8;
const METADATA_KEY = '__metadata__';
const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'];
/** Longest JSON shown when quoting a bad value in an error message. */
const QUOTE_CHARS = 60;

/**
 * Encodes float32 tensors as safetensors bytes. Tensors are written in sorted-name order and
 * metadata keys sorted, so the same input always gives the same bytes; the header is padded with
 * spaces so the data section starts on an 8-byte boundary. Throws EngineError('BAD_ARGUMENT')
 * when a shape does not match its data, a name is "__metadata__" or a metadata value is not a string.
 */
export function encodeSafetensors(
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const members = encodeMetadata(metadata);
  let dataLength = 0;
  for (const name of names) {
    const { shape, data } = tensors.get(name)!;
    checkEncodable(name, shape, data);
    const end = dataLength + data.byteLength;
    const info = `{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${dataLength},${end}]}`;
    members.push(`${JSON.stringify(name)}:${info}`);
    dataLength = end;
  }
  // Written by hand rather than JSON.stringify(object): an object would reorder integer-like
  // names and treat a tensor called "__proto__" as its prototype.
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const headerLength = Math.ceil(json.length / DATA_ALIGNMENT) * DATA_ALIGNMENT;
  const dataStart = PREFIX_BYTES + headerLength;
  const out = new Uint8Array(dataStart + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // low word; the high word stays 0
  out.set(json, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + json.length, dataStart);
  let cursor = dataStart;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    writeFloat32LE(view, cursor, data);
    cursor += data.byteLength;
  }
  return out;
}

/** The `"__metadata__":{...}` header member (none when empty), keys sorted. */
function encodeMetadata(metadata: Record<string, string>): string[] {
  const keys = Object.keys(metadata).sort();
  if (keys.length === 0) return [];
  const fields = keys.map((key) => {
    const value: unknown = metadata[key];
    check(typeof value === 'string', 'BAD_ARGUMENT', `metadata "${key}" must be a string, got ${quote(value)}`);
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return [`"${METADATA_KEY}":{${fields.join(',')}}`];
}

function checkEncodable(name: string, shape: number[], data: Float32Array): void {
  check(name !== METADATA_KEY, 'BAD_ARGUMENT', `"${METADATA_KEY}" is reserved and cannot name a tensor`);
  check(
    Array.isArray(shape) && shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0),
    'BAD_ARGUMENT',
    `tensor "${name}": shape must be non-negative integers, got ${quote(shape)}`,
  );
  check(
    data instanceof Float32Array && data.length === elementCount(shape),
    'BAD_ARGUMENT',
    `tensor "${name}": shape [${shape.join(', ')}] needs ${elementCount(shape)} floats, got ${data?.length}`,
  );
}

function writeFloat32LE(view: DataView, offset: number, data: Float32Array): void {
  if (LITTLE_ENDIAN_HOST) {
    const source = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    new Uint8Array(view.buffer, offset, data.byteLength).set(source);
    return;
  }
  for (let i = 0; i < data.length; i++) view.setFloat32(offset + 4 * i, data[i], true);
}

/** Throws the decoder's error for one file. */
type Fail = (message: string) => never;

/** Where one tensor's bytes lie, as read and checked from its header entry. */
interface Layout {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes and validates safetensors bytes. Any problem (truncation, bad header, unknown dtype,
 * shape/offset mismatch, overlapping tensors, gaps, trailing bytes) throws
 * EngineError('BAD_CHECKPOINT') whose message starts with `source` (e.g. the file path).
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'checkpoint'): SafetensorsFile {
  const fail: Fail = (message) => {
    throw new EngineError('BAD_CHECKPOINT', `${source}: ${message}`);
  };
  const headerLength = readHeaderLength(bytes, fail);
  const dataStart = PREFIX_BYTES + headerLength;
  const header = parseHeader(bytes.subarray(PREFIX_BYTES, dataStart), fail);
  const metadata = readMetadata(header, fail);
  const layouts: Layout[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name !== METADATA_KEY) layouts.push(readLayout(name, raw, fail));
  }
  checkCoverage(layouts, dataStart, bytes.length, fail);
  const tensors = new Map<string, TensorEntry>();
  for (const { name, dtype, shape, begin, end } of layouts) {
    tensors.set(name, { dtype, shape, data: bytes.subarray(dataStart + begin, dataStart + end) });
  }
  return { metadata, tensors };
}

function readHeaderLength(bytes: Uint8Array, fail: Fail): number {
  if (bytes.length < PREFIX_BYTES) fail(`truncated: expected at least ${PREFIX_BYTES} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (length > MAX_HEADER_BYTES) {
    fail(`header length ${length} is absurd (limit ${MAX_HEADER_BYTES} bytes); not a safetensors file?`);
  }
  const needed = PREFIX_BYTES + length;
  if (needed > bytes.length) {
    fail(`truncated: expected at least ${needed} bytes (8 + header length ${length}), got ${bytes.length}`);
  }
  return length;
}

/**
 * The header as a JSON object. JSON.parse defines "__proto__" as an ordinary own key, so a
 * hostile header cannot reach any prototype; later lookups use own keys only.
 */
function parseHeader(headerBytes: Uint8Array, fail: Fail): Record<string, unknown> {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(`header is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(header)) fail(`header must be a JSON object, got ${quote(header)}`);
  return header;
}

function readMetadata(header: Record<string, unknown>, fail: Fail): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  if (!Object.hasOwn(header, METADATA_KEY)) return metadata;
  const raw = header[METADATA_KEY];
  if (!isRecord(raw)) fail(`"${METADATA_KEY}" must be an object of strings, got ${quote(raw)}`);
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      fail(`"${METADATA_KEY}" field ${JSON.stringify(key)} must be a string, got ${quote(value)}`);
    }
    metadata[key] = value;
  }
  return metadata;
}

function readLayout(name: string, raw: unknown, fail: Fail): Layout {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!isRecord(raw)) fail(`${where}: entry must be an object with ${ENTRY_FIELDS.join(', ')}; got ${quote(raw)}`);
  for (const field of ENTRY_FIELDS) {
    if (!Object.hasOwn(raw, field)) fail(`${where}: missing field "${field}"`);
  }
  for (const field of Object.keys(raw)) {
    if (!ENTRY_FIELDS.includes(field)) fail(`${where}: unexpected field ${JSON.stringify(field)}`);
  }
  const { dtype, shape, data_offsets: offsets } = raw;
  if (!isSafetensorsDtype(dtype)) {
    fail(`${where}: dtype ${quote(dtype)} is not supported (expected one of ${[...DTYPE_SIZE.keys()].join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`${where}: shape must be an array of non-negative integers, got ${quote(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`${where}: data_offsets must be two non-negative integers [begin, end], got ${quote(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end) fail(`${where}: data_offsets [${begin}, ${end}] are reversed (begin > end)`);
  const expected = elementCount(shape) * DTYPE_SIZE.get(dtype)!;
  if (!Number.isSafeInteger(expected)) fail(`${where}: shape ${quote(shape)} is too large`);
  if (end - begin !== expected) {
    const held = `data_offsets [${begin}, ${end}] hold ${end - begin} bytes`;
    fail(`${where}: ${held}, but shape ${quote(shape)} of ${dtype} needs ${expected}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * HF requires the tensors to tile the data section exactly: sorted by offset, each begins where
 * the previous one ended, the first at 0 and the last at the end of the file.
 */
function checkCoverage(layouts: Layout[], dataStart: number, fileLength: number, fail: Fail): void {
  const dataLength = fileLength - dataStart;
  const last = layouts.reduce<Layout | null>((far, t) => (far === null || t.end > far.end ? t : far), null);
  if (last !== null && last.end > dataLength) {
    fail(
      `truncated: expected ${dataStart + last.end} bytes, got ${fileLength} ` +
        `(tensor ${JSON.stringify(last.name)} ends at data offset ${last.end}, the data section has ${dataLength})`,
    );
  }
  const sorted = [...layouts].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Layout | null = null; // the last non-empty tensor, which ends at `cursor`
  for (const t of sorted) {
    const here = `tensor ${JSON.stringify(t.name)} [${t.begin}, ${t.end}]`;
    if (t.begin < cursor) {
      fail(`${here} overlaps tensor ${JSON.stringify(previous!.name)} [${previous!.begin}, ${previous!.end}]`);
    }
    if (t.begin > cursor) fail(`gap of ${t.begin - cursor} unused bytes at data offset ${cursor}, before ${here}`);
    if (t.end > t.begin) previous = t;
    cursor = t.end;
  }
  if (cursor < dataLength) {
    const trailing = dataLength - cursor;
    fail(`${trailing} trailing bytes after the last tensor (tensors end at ${cursor} of ${dataLength} data bytes)`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A short JSON rendering of an untrusted value, for error messages. */
function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value); // undefined for functions and symbols
  } catch {
    json = String(value); // BigInt or a cycle, only possible from encode's callers
  }
  return json.length > QUOTE_CHARS ? `${json.slice(0, QUOTE_CHARS)}...` : json;
}
