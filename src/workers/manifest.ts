/**
 * `public/models/manifest.json`: which models the app ships and where their files are.
 * It is read from the server, so it is checked field by field and a bad one is reported
 * with the field at fault, never half-used.
 */
import type { Message } from '../contract/messages';
import { WorkerFailure } from './failure';
import type { ManifestEntry, ModelManifest } from '../contract/protocol';

const ENTRY_FIELDS = ['id', 'title', 'checkpoint', 'tokenizer', 'card'] as const;

function bad(detail: Message): WorkerFailure {
  return new WorkerFailure('BAD_MANIFEST', detail);
}

function parseEntry(raw: unknown, index: number, url: string): ManifestEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad({ code: 'MANIFEST_NOT_OBJECT', params: { url, field: `models[${index}]` } });
  const fields: Record<string, unknown> = { ...raw };
  const entry = { id: '', title: '', checkpoint: '', tokenizer: '', card: '' };
  for (const key of ENTRY_FIELDS) {
    const value = fields[key];
    if (typeof value !== 'string' || value.trim() === '') {
      const field = `models[${index}].${key}`;
      throw bad({ code: 'MANIFEST_NOT_STRING', params: { url, field, got: String(JSON.stringify(value)) } });
    }
    entry[key] = value;
  }
  return entry;
}

/** Checks an untrusted manifest object; `url` names it in error messages. */
export function parseManifest(raw: unknown, url: string): ModelManifest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad({ code: 'MANIFEST_NOT_OBJECT', params: { url, field: null } });
  const fields: Record<string, unknown> = { ...raw };
  if (!Array.isArray(fields.models) || fields.models.length === 0)
    throw bad({ code: 'MANIFEST_NO_MODELS', params: { url } });
  const models = fields.models.map((entry: unknown, i: number) => parseEntry(entry, i, url));
  const ids = models.map((m) => m.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw bad({ code: 'MANIFEST_REPEATED_ID', params: { url, id: repeated } });
  if (typeof fields.default !== 'string' || !ids.includes(fields.default)) {
    const got = String(JSON.stringify(fields.default));
    throw bad({ code: 'MANIFEST_BAD_DEFAULT', params: { url, ids, got } });
  }
  return { default: fields.default, models };
}

/** The entry for `modelId`, or the manifest's default when none is asked for. */
export function pickModel(manifest: ModelManifest, modelId: string | undefined, url: string): ManifestEntry {
  const id = modelId ?? manifest.default;
  const entry = manifest.models.find((m) => m.id === id);
  if (entry === undefined) {
    const known = manifest.models.map((m) => m.id);
    throw new WorkerFailure('MODEL_NOT_FOUND', { code: 'NO_SUCH_MODEL', params: { url, id, known } });
  }
  return entry;
}

/** Where a file named in the manifest lives: manifest paths are relative to the manifest itself. */
export function resolveModelFile(path: string, manifestUrl: string): string {
  return new URL(path, manifestUrl).href;
}
