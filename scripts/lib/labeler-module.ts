/**
 * User-defined labelers for the Node commands: an ES module exporting
 *   export function score(prompt, response) { return number; }
 * and optionally `id`, `title` and `description` strings. Node-only (dynamic import of a file),
 * so it lives here and not in the engine.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabelerModuleProblem } from '../../src/contract/messages';
import { EngineError } from '../../src/engine/errors';
import { builtinLabeler } from '../../src/engine/labelers/builtins';
import { keywordLabeler, looksLikeKeywordRule } from '../../src/engine/labelers/keyword';
import {
  DEFAULT_TIE_MARGIN,
  labelerFromScore,
  quote,
  type GoldScore,
  type Labeler,
  type LabelerOptions,
} from '../../src/engine/labelers/labeler';

function bad(path: string, problem: LabelerModuleProblem): EngineError {
  return new EngineError('BAD_ARGUMENT', { code: 'LABELER_MODULE', params: { path, ...problem } });
}

/** What a score returned instead of a finite number. */
function returnedValue(value: unknown): { returned: 'promise' | 'number' | 'other'; value: string } {
  if (value instanceof Promise) return { returned: 'promise', value: 'Promise' };
  return typeof value === 'number'
    ? { returned: 'number', value: String(value) }
    : { returned: 'other', value: typeof value };
}

/**
 * Wraps the module's score so that a throw or a non-finite return becomes an EngineError naming
 * the module and the response it failed on, instead of a stack trace from inside the loop.
 */
function guardedScore(path: string, score: (prompt: string, response: string) => unknown): GoldScore {
  return (prompt, response) => {
    const where = { prompt: quote(prompt), response: quote(response) };
    let value: unknown;
    try {
      value = score(prompt, response);
    } catch (err) {
      throw bad(path, { problem: 'threw', ...where, detail: err instanceof Error ? err.message : String(err) });
    }
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw bad(path, { problem: 'notFinite', ...where, ...returnedValue(value) });
  };
}

function optionalString(
  mod: Record<string, unknown>,
  name: 'id' | 'title' | 'description',
  path: string,
): string | undefined {
  const value = mod[name];
  if (value === undefined || typeof value === 'string') return value;
  throw bad(path, { problem: 'badExport', name, expected: 'string', got: typeof value });
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw bad(path, { problem: 'notFound', absolute });
  try {
    return (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (err) {
    throw bad(path, { problem: 'loadFailed', detail: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Loads a labeler from a user's ES module. Its id is the module's `id` export, or
 * "module:" + the file name.
 */
export async function loadLabelerModule(path: string, opts: LabelerOptions = {}): Promise<Labeler> {
  const mod = await importModule(path);
  const score = mod.score;
  if (score === undefined) throw bad(path, { problem: 'noScore' });
  if (typeof score !== 'function')
    throw bad(path, { problem: 'badExport', name: 'score', expected: 'function', got: typeof score });
  const id = optionalString(mod, 'id', path) ?? `module:${basename(path)}`;
  const title = optionalString(mod, 'title', path);
  const description = optionalString(mod, 'description', path) ?? `Gold score from ${path}`;
  const gold = guardedScore(path, score as (prompt: string, response: string) => unknown);
  return labelerFromScore(id, gold, { title, description, tieMargin: DEFAULT_TIE_MARGIN, ...opts });
}

/**
 * The labeler a command-line `--labeler` names: a built-in name ("animals"), a keyword rule
 * ("+dog +ball -sad"), or the path of a module (anything containing "/" or ending in .js, .mjs
 * or .ts).
 */
export async function labelerFromSpec(spec: string, opts: LabelerOptions = {}): Promise<Labeler> {
  if (looksLikeKeywordRule(spec)) return keywordLabeler(spec, opts);
  if (/[/\\]|\.(m?js|ts)$/.test(spec)) return loadLabelerModule(spec, opts);
  return builtinLabeler(spec, opts);
}
