/**
 * The whole-workspace backup file: one safetensors file, so nothing new has to be parsed and
 * Python's `safetensors.safe_open` reads it too.
 *
 *   __metadata__   { "format": "rlhf-playground/workspace", "format_version": "1",
 *                    "manifest": "<JSON text>" }
 *   "blob.<name>"  a U8 tensor of shape [byteLength]: one binary attachment (a checkpoint file)
 *
 * The manifest is a JSON object; storage puts every record of every store in it, and a record
 * that held bytes names its blob instead. This file only packs and unpacks the container and
 * checks its structure; what the records must look like is checked by storage before restoring.
 */
import { decodeSafetensors } from '../checkpoint/safetensors';
import { isJsonObject, show, type JsonObject } from './fields';
import type { Message } from '../../contract/messages';
import { inFile, throwIfProblems } from './import-error';

export const WORKSPACE_FORMAT = 'rlhf-playground/workspace';
export const WORKSPACE_VERSION = '1';
export const BLOB_PREFIX = 'blob.';

/** Same alignment as every safetensors writer: tensor data starts on an 8-byte boundary. */
const DATA_ALIGNMENT = 8;
const PREFIX_BYTES = 8;

export interface WorkspaceFile {
  manifest: JsonObject;
  /** Attachments by name (without the "blob." prefix), each a fresh copy. */
  blobs: Map<string, Uint8Array>;
}

/** Packs a manifest (any JSON object) and binary attachments into one backup file. */
export function encodeWorkspace(manifest: JsonObject, blobs: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const metadata = { format: WORKSPACE_FORMAT, format_version: WORKSPACE_VERSION, manifest: JSON.stringify(manifest) };
  const names = [...blobs.keys()].sort();
  const members = [`"__metadata__":${JSON.stringify(metadata)}`];
  let offset = 0;
  for (const name of names) {
    const end = offset + blobs.get(name)!.byteLength;
    members.push(
      `${JSON.stringify(BLOB_PREFIX + name)}:{"dtype":"U8","shape":[${end - offset}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const headerLength = Math.ceil(json.length / DATA_ALIGNMENT) * DATA_ALIGNMENT;
  const out = new Uint8Array(PREFIX_BYTES + headerLength + offset);
  new DataView(out.buffer).setUint32(0, headerLength, true); // low word of the u64; the high word stays 0
  out.set(json, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + json.length, PREFIX_BYTES + headerLength);
  let cursor = PREFIX_BYTES + headerLength;
  for (const name of names) {
    out.set(blobs.get(name)!, cursor);
    cursor += blobs.get(name)!.byteLength;
  }
  return out;
}

function parseManifest(text: string | undefined, problems: Message[]): JsonObject | null {
  if (text === undefined) {
    problems.push({ code: 'BACKUP_MANIFEST_MISSING', params: {} });
    return null;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    problems.push({ code: 'BACKUP_MANIFEST_NOT_JSON', params: { detail } });
    return null;
  }
  if (!isJsonObject(manifest))
    problems.push({ code: 'NOT_AN_OBJECT', params: { what: 'manifest', got: show(manifest) } });
  return isJsonObject(manifest) ? manifest : null;
}

/**
 * Unpacks a backup file. Throws EngineError('BAD_CHECKPOINT') for a corrupt container and
 * ImportError('BAD_ARGUMENT') for one that is not a workspace backup of a version this build reads.
 */
export function decodeWorkspace(bytes: Uint8Array, source = 'backup'): WorkspaceFile {
  const file = decodeSafetensors(bytes, source);
  const { format, format_version: version } = file.metadata;
  if (format !== WORKSPACE_FORMAT) {
    throwIfProblems(
      'BAD_ARGUMENT',
      source,
      inFile([{ code: 'NOT_A_BACKUP', params: { got: show(format), expected: WORKSPACE_FORMAT } }]),
    );
  }
  const problems: Message[] = [];
  if (version !== WORKSPACE_VERSION)
    problems.push({ code: 'BACKUP_VERSION', params: { got: show(version), supported: WORKSPACE_VERSION } });
  const manifest = parseManifest(file.metadata.manifest, problems);
  const blobs = new Map<string, Uint8Array>();
  for (const [name, entry] of file.tensors) {
    if (!name.startsWith(BLOB_PREFIX))
      problems.push({ code: 'BACKUP_STRAY_TENSOR', params: { tensor: show(name), prefix: BLOB_PREFIX } });
    else if (entry.dtype !== 'U8' || entry.shape.length !== 1)
      problems.push({
        code: 'BACKUP_ATTACHMENT',
        params: { tensor: show(name), dtype: entry.dtype, shape: entry.shape },
      });
    else blobs.set(name.slice(BLOB_PREFIX.length), entry.data.slice());
  }
  throwIfProblems('BAD_ARGUMENT', source, inFile(problems));
  return { manifest: manifest!, blobs };
}
