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
 * message code naming the file and what is wrong. Encoding takes the engine's own weights, so a
 * bad argument there is a bug and throws a plain Error.
 */
import type { SafetensorsEntryProblem, SafetensorsHeaderProblem } from '../../contract/file-messages';
import type { Message } from '../../contract/messages';
import { EngineError } from '../errors';
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
 * spaces so the data section starts on an 8-byte boundary. Throws an Error (a bug in the caller)
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
    if (typeof value !== 'string')
      throw new Error(`safetensors metadata "${key}" must be a string, got ${quote(value)}`);
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return [`"${METADATA_KEY}":{${fields.join(',')}}`];
}

function checkEncodable(name: string, shape: number[], data: Float32Array): void {
  if (name === METADATA_KEY) throw new Error(`"${METADATA_KEY}" is reserved and cannot name a tensor`);
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0))
    throw new Error(`tensor "${name}": shape must be non-negative integers, got ${quote(shape)}`);
  if (!(data instanceof Float32Array && data.length === elementCount(shape)))
    throw new Error(
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

/** Throws the decoder's error for one file: `problem` is a message about it. */
type Fail = (problem: Message) => never;

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
 * EngineError('BAD_CHECKPOINT') whose message names `source` (e.g. the file path) as its `file`.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'checkpoint'): SafetensorsFile {
  const fail: Fail = (problem) => {
    throw new EngineError('BAD_CHECKPOINT', problem);
  };
  const headerLength = readHeaderLength(bytes, source, fail);
  const dataStart = PREFIX_BYTES + headerLength;
  const header = parseHeader(bytes.subarray(PREFIX_BYTES, dataStart), source, fail);
  const metadata = readMetadata(header, source, fail);
  const layouts: Layout[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name !== METADATA_KEY) layouts.push(readLayout(name, raw, source, fail));
  }
  checkCoverage(layouts, dataStart, bytes.length, source, fail);
  const tensors = new Map<string, TensorEntry>();
  for (const { name, dtype, shape, begin, end } of layouts) {
    tensors.set(name, { dtype, shape, data: bytes.subarray(dataStart + begin, dataStart + end) });
  }
  return { metadata, tensors };
}

function readHeaderLength(bytes: Uint8Array, file: string, fail: Fail): number {
  if (bytes.length < PREFIX_BYTES)
    fail({ code: 'SAFETENSORS_TRUNCATED', params: { file, needed: PREFIX_BYTES, got: bytes.length, tensor: null } });
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (length > MAX_HEADER_BYTES) {
    fail({ code: 'SAFETENSORS_HEADER_LENGTH', params: { file, length, limit: MAX_HEADER_BYTES } });
  }
  const needed = PREFIX_BYTES + length;
  if (needed > bytes.length)
    fail({ code: 'SAFETENSORS_TRUNCATED', params: { file, needed, got: bytes.length, tensor: null } });
  return length;
}

/**
 * The header as a JSON object. JSON.parse defines "__proto__" as an ordinary own key, so a
 * hostile header cannot reach any prototype; later lookups use own keys only.
 */
function parseHeader(headerBytes: Uint8Array, file: string, fail: Fail): Record<string, unknown> {
  const header: (problem: SafetensorsHeaderProblem, detail: string) => never = (problem, detail) =>
    fail({ code: 'SAFETENSORS_HEADER', params: { file, problem, detail } });
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (error) {
    header('notUtf8', error instanceof Error ? error.message : String(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    header('notJson', error instanceof Error ? error.message : String(error));
  }
  if (!isRecord(parsed)) header('notObject', quote(parsed));
  return parsed as Record<string, unknown>;
}

function readMetadata(header: Record<string, unknown>, file: string, fail: Fail): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  if (!Object.hasOwn(header, METADATA_KEY)) return metadata;
  const raw = header[METADATA_KEY];
  if (!isRecord(raw)) {
    fail({ code: 'SAFETENSORS_HEADER', params: { file, problem: 'metadataNotObject', detail: quote(raw) } });
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') fail({ code: 'SAFETENSORS_METADATA', params: { file, key, got: quote(value) } });
    metadata[key] = value;
  }
  return metadata;
}

function readLayout(tensor: string, raw: unknown, file: string, fail: Fail): Layout {
  const entry: (problem: SafetensorsEntryProblem, got: string) => never = (problem, got) =>
    fail({ code: 'SAFETENSORS_ENTRY', params: { file, tensor, problem, got } });
  if (!isRecord(raw)) entry('notObject', quote(raw));
  for (const field of ENTRY_FIELDS) {
    if (!Object.hasOwn(raw, field)) entry('missingField', field);
  }
  for (const field of Object.keys(raw)) {
    if (!ENTRY_FIELDS.includes(field)) entry('unexpectedField', field);
  }
  const { dtype, shape, data_offsets: offsets } = raw;
  if (!isSafetensorsDtype(dtype)) entry('dtype', quote(dtype));
  if (!Array.isArray(shape) || !shape.every(isCount)) entry('shape', quote(shape));
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) entry('offsets', quote(offsets));
  const [begin, end] = offsets as number[];
  if (begin > end) entry('reversed', `[${begin}, ${end}]`);
  const needed = elementCount(shape) * DTYPE_SIZE.get(dtype)!;
  if (!Number.isSafeInteger(needed)) entry('tooLarge', quote(shape));
  if (end - begin !== needed) {
    fail({ code: 'SAFETENSORS_SIZE', params: { file, tensor, bytes: end - begin, shape, dtype, needed } });
  }
  return { name: tensor, dtype, shape: shape as number[], begin, end };
}

/**
 * HF requires the tensors to tile the data section exactly: sorted by offset, each begins where
 * the previous one ended, the first at 0 and the last at the end of the file.
 */
function checkCoverage(layouts: Layout[], dataStart: number, fileLength: number, file: string, fail: Fail): void {
  const dataLength = fileLength - dataStart;
  const last = layouts.reduce<Layout | null>((far, t) => (far === null || t.end > far.end ? t : far), null);
  if (last !== null && last.end > dataLength) {
    const needed = dataStart + last.end;
    fail({ code: 'SAFETENSORS_TRUNCATED', params: { file, needed, got: fileLength, tensor: last.name } });
  }
  const sorted = [...layouts].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Layout | null = null; // the last non-empty tensor, which ends at `cursor`
  for (const t of sorted) {
    if (t.begin < cursor)
      fail({ code: 'SAFETENSORS_OVERLAP', params: { file, tensor: t.name, other: previous!.name } });
    if (t.begin > cursor) {
      fail({ code: 'SAFETENSORS_GAP', params: { file, bytes: t.begin - cursor, offset: cursor, tensor: t.name } });
    }
    if (t.end > t.begin) previous = t;
    cursor = t.end;
  }
  if (cursor < dataLength) {
    const bytes = dataLength - cursor;
    fail({ code: 'SAFETENSORS_TRAILING', params: { file, bytes, end: cursor, dataBytes: dataLength } });
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
