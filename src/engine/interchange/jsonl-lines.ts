/**
 * What every JSON Lines label file shares: the limits, the fields read the same way in each line
 * kind (texts, labeler, time), and the line loop. Reading is all or nothing: every line is checked,
 * every problem is reported with its line number, and one bad line returns nothing.
 */
import type { Message } from '../../contract/messages';
import { FieldReader, isJsonObject, show } from './fields';
import { throwIfProblems, type ImportProblem } from './import-error';

export interface PreferenceLimits {
  /** Longest prompt or response accepted, in UTF-16 characters. */
  maxStringChars: number;
  /** Longest line accepted; checked before parsing, so a huge line costs no JSON parse. */
  maxLineChars: number;
  /** Most lines in one file. */
  maxLines: number;
  /** Problems collected before giving up on a hopeless file. */
  maxProblems: number;
}

/** Far above anything a small in-tab model writes, low enough to keep a bad file from filling memory. */
export const DEFAULT_PREFERENCE_LIMITS: PreferenceLimits = {
  maxStringChars: 100_000,
  maxLineChars: 400_000,
  maxLines: 1_000_000,
  maxProblems: 1_000,
};

/** Ids and names (labeler, model version) are short; a long one is a mistake, not data. */
export const MAX_ID_CHARS = 200;
const MAX_TIME_CHARS = 64;

export interface ParseOptions {
  /** Time given to lines without a "time" field (epoch ms). */
  now: number;
  /** Labeler given to lines without a "labeler" field (e.g. a file from the Hugging Face Hub). */
  defaultLabeler: string;
  /** The file's name, for the error message. */
  source?: string;
  limits?: Partial<PreferenceLimits>;
}

/** A parsed line and where it was: its 1-based line number in the file. */
export interface Lined<T> {
  line: number;
  value: T;
}

/** Reads one line's object; null when it has problems (recorded in the reader). */
export type ReadLine<T> = (reader: FieldReader, options: ParseOptions, limits: PreferenceLimits) => T | null;

/** A text field; TRL's conversational format (a list of messages) gets its own explanation. */
export function readText(reader: FieldReader, name: string, limits: PreferenceLimits): string | undefined {
  if (Array.isArray(reader.raw(name))) {
    reader.problem({ code: 'FIELD_CONVERSATIONAL', params: { field: reader.path(name) } });
    return undefined;
  }
  return reader.string(name, { maxChars: limits.maxStringChars });
}

export function readTime(reader: FieldReader, now: number): number | undefined {
  const raw = reader.string('time', { optional: true, maxChars: MAX_TIME_CHARS });
  if (raw === undefined) return reader.has('time') ? undefined : now;
  const time = Date.parse(raw);
  if (Number.isFinite(time)) return time;
  reader.problem({ code: 'FIELD_DATE', params: { field: reader.path('time'), got: show(raw) } });
  return undefined;
}

export function readLabeler(reader: FieldReader, options: ParseOptions): string {
  return reader.string('labeler', { optional: true, maxChars: MAX_ID_CHARS, nonEmpty: true }) ?? options.defaultLabeler;
}

/** One line -> its value, or its problems (each without the line number). */
function parseLine<T>(line: string, options: ParseOptions, limits: PreferenceLimits, read: ReadLine<T>): T | Message[] {
  if (line.length > limits.maxLineChars)
    return [{ code: 'LINE_TOO_LONG', params: { length: line.length, limit: limits.maxLineChars } }];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return [{ code: 'LINE_NOT_JSON', params: { detail: error instanceof Error ? error.message : String(error) } }];
  }
  if (!isJsonObject(value)) return [{ code: 'NOT_AN_OBJECT', params: { what: 'line', got: show(value) } }];
  const reader = new FieldReader(value);
  return read(reader, options, limits) ?? reader.problems;
}

/**
 * Reads every non-blank line with `read`. Throws ImportError('BAD_ARGUMENT') listing every problem
 * with its line number when any line is bad; returns the values, with their line numbers, only when
 * all are good.
 */
export function parseJsonlLines<T>(text: string, options: ParseOptions, read: ReadLine<T>): Lined<T>[] {
  const limits = { ...DEFAULT_PREFERENCE_LIMITS, ...options.limits };
  const source = options.source ?? 'preference log';
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const problems: ImportProblem[] = [];
  const values: Lined<T>[] = [];
  if (lines.length > limits.maxLines) {
    throwIfProblems('BAD_ARGUMENT', source, [
      { message: { code: 'TOO_MANY_LINES', params: { lines: lines.length, limit: limits.maxLines } } },
    ]);
  }
  for (let i = 0; i < lines.length && problems.length < limits.maxProblems; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    const parsed = parseLine(line, options, limits, read);
    if (Array.isArray(parsed)) problems.push(...parsed.map((message) => ({ message, line: i + 1 })));
    else values.push({ line: i + 1, value: parsed });
  }
  if (problems.length >= limits.maxProblems)
    problems.push({ message: { code: 'TOO_MANY_PROBLEMS', params: { limit: limits.maxProblems } } });
  if (problems.length === 0 && values.length === 0) problems.push({ message: { code: 'NO_LABEL_LINES', params: {} } });
  throwIfProblems('BAD_ARGUMENT', source, problems);
  return values;
}
