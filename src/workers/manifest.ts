/**
 * `public/models/manifest.json`: which models the app ships and where their files are.
 * It is read from the server, so it is checked field by field and a bad one is reported
 * with the field at fault, never half-used.
 */
import { WorkerFailure } from './failure';
import type { ManifestEntry, ModelManifest } from '../contract/protocol';

const ENTRY_FIELDS = ['id', 'title', 'checkpoint', 'tokenizer', 'card'] as const;

function bad(url: string, what: string): WorkerFailure {
  return new WorkerFailure('BAD_MANIFEST', `${url}: ${what}`);
}

function parseEntry(raw: unknown, index: number, url: string): ManifestEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(url, `models[${index}] must be an object`);
  const fields: Record<string, unknown> = { ...raw };
  const entry = { id: '', title: '', checkpoint: '', tokenizer: '', card: '' };
  for (const key of ENTRY_FIELDS) {
    const value = fields[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw bad(url, `models[${index}].${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
    entry[key] = value;
  }
  return entry;
}

/** Checks an untrusted manifest object; `url` names it in error messages. */
export function parseManifest(raw: unknown, url: string): ModelManifest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(url, 'the manifest must be a JSON object');
  const fields: Record<string, unknown> = { ...raw };
  if (!Array.isArray(fields.models) || fields.models.length === 0) throw bad(url, '"models" must be a non-empty array');
  const models = fields.models.map((entry: unknown, i: number) => parseEntry(entry, i, url));
  const ids = models.map((m) => m.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw bad(url, `model id "${repeated}" appears twice`);
  if (typeof fields.default !== 'string' || !ids.includes(fields.default)) {
    throw bad(url, `"default" must be one of the model ids (${ids.join(', ')}), got ${JSON.stringify(fields.default)}`);
  }
  return { default: fields.default, models };
}

/** The entry for `modelId`, or the manifest's default when none is asked for. */
export function pickModel(manifest: ModelManifest, modelId: string | undefined, url: string): ManifestEntry {
  const id = modelId ?? manifest.default;
  const entry = manifest.models.find((m) => m.id === id);
  if (entry === undefined) {
    throw new WorkerFailure(
      'MODEL_NOT_FOUND',
      `${url} has no model "${id}"; it has ${manifest.models.map((m) => m.id).join(', ')}.`,
    );
  }
  return entry;
}

/** Where a file named in the manifest lives: manifest paths are relative to the manifest itself. */
export function resolveModelFile(path: string, manifestUrl: string): string {
  return new URL(path, manifestUrl).href;
}
