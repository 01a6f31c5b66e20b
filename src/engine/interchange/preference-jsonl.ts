/**
 * The preference log as TRL reads it: JSON Lines, one comparison per line, in TRL's "standard"
 * preference format `{"prompt", "chosen", "rejected"}` (chosen and rejected are completions of
 * the prompt, without it). What TRL does not know travels as extra fields, which its loaders
 * ignore:
 *
 *   tie             true when the labeler judged both equal (chosen = A, rejected = B)
 *   choice          which side the chosen response was shown on: "a", "b" or "tie"
 *   labeler         "human" or a simulated labeler's id
 *   time            when the label was given, ISO 8601
 *   model_chosen    id of the model version that wrote the chosen response (and model_rejected)
 *   decision_ms     how long the labeler took to decide
 *   ended_chosen    true when the chosen response ended with end-of-text when sampled, false when
 *                   it was cut off (and ended_rejected); absent when not known, read as not ended
 *   ratings         {"chosen": 1-5, "rejected": 1-5}: stars given to either response
 *
 * Skipped comparisons carry no preference and are not written. Import is all or nothing: every
 * line is checked, every problem is reported with its line number, and one bad line imports none.
 */
import { FieldReader, isJsonObject, show } from './fields';
import { throwIfProblems } from './import-error';

export type Stars = 1 | 2 | 3 | 4 | 5;

/** One comparison, in the display's A/B terms (what storage keeps). */
export interface PreferenceLabel {
  prompt: string;
  a: string;
  b: string;
  choice: 'a' | 'b' | 'tie';
  labeler: string;
  /** Epoch milliseconds. */
  time: number;
  modelA: string | null;
  modelB: string | null;
  decisionMs: number | null;
  /** Stars given to response A and/or B along with the comparison. */
  ratings: { a?: Stars; b?: Stars };
  /** Whether A and B ended with end-of-text when sampled; absent when not known. */
  aEnded?: boolean;
  bEnded?: boolean;
}

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
const MAX_ID_CHARS = 200;
const MAX_TIME_CHARS = 64;
/** A decision slower than a day is a clock error. */
const MAX_DECISION_MS = 86_400_000;

export interface ParseOptions {
  /** Time given to lines without a "time" field (epoch ms). */
  now: number;
  /** Labeler given to lines without a "labeler" field (e.g. a file from the Hugging Face Hub). */
  defaultLabeler: string;
  /** The file's name, for the error message. */
  source?: string;
  limits?: Partial<PreferenceLimits>;
}

/** One label as one TRL line. */
function toLine(label: PreferenceLabel): Record<string, unknown> {
  const flipped = label.choice === 'b';
  const [chosen, rejected] = flipped ? [label.b, label.a] : [label.a, label.b];
  const [modelChosen, modelRejected] = flipped ? [label.modelB, label.modelA] : [label.modelA, label.modelB];
  const [starsChosen, starsRejected] = flipped
    ? [label.ratings.b, label.ratings.a]
    : [label.ratings.a, label.ratings.b];
  const line: Record<string, unknown> = { prompt: label.prompt, chosen, rejected };
  if (label.choice === 'tie') line.tie = true;
  line.choice = label.choice;
  line.labeler = label.labeler;
  line.time = new Date(label.time).toISOString();
  if (modelChosen !== null) line.model_chosen = modelChosen;
  if (modelRejected !== null) line.model_rejected = modelRejected;
  if (label.decisionMs !== null) line.decision_ms = label.decisionMs;
  const [endedChosen, endedRejected] = flipped ? [label.bEnded, label.aEnded] : [label.aEnded, label.bEnded];
  if (endedChosen !== undefined) line.ended_chosen = endedChosen;
  if (endedRejected !== undefined) line.ended_rejected = endedRejected;
  const ratings: Record<string, Stars> = {};
  if (starsChosen !== undefined) ratings.chosen = starsChosen;
  if (starsRejected !== undefined) ratings.rejected = starsRejected;
  if (Object.keys(ratings).length > 0) line.ratings = ratings;
  return line;
}

/** The labels as TRL JSONL text, one line each, in the order given. */
export function toPreferenceJsonl(labels: readonly PreferenceLabel[]): string {
  return labels.map((label) => `${JSON.stringify(toLine(label))}\n`).join('');
}

/** A text field; TRL's conversational format (a list of messages) gets its own explanation. */
function text(reader: FieldReader, name: string, limits: PreferenceLimits): string | undefined {
  if (Array.isArray(reader.raw(name))) {
    reader.problem(
      `field "${name}" is a list of messages (TRL's conversational format); only the standard format with plain strings can be imported`,
    );
    return undefined;
  }
  return reader.string(name, { maxChars: limits.maxStringChars });
}

function readTime(reader: FieldReader, now: number): number | undefined {
  const raw = reader.string('time', { optional: true, maxChars: MAX_TIME_CHARS });
  if (raw === undefined) return reader.has('time') ? undefined : now;
  const time = Date.parse(raw);
  if (Number.isFinite(time)) return time;
  reader.problem(`field "time" must be an ISO 8601 date such as "2025-01-31T12:00:00.000Z", got ${show(raw)}`);
  return undefined;
}

/** The side that was chosen: from "choice" when given, else "tie" or A; the two must agree. */
function readChoice(reader: FieldReader): PreferenceLabel['choice'] | undefined {
  const tie = reader.boolean('tie', { optional: true });
  const choice = reader.oneOf('choice', ['a', 'b', 'tie'] as const, { optional: true });
  const tieReadable = tie !== undefined || !reader.has('tie');
  if (choice !== undefined && tieReadable && (choice === 'tie') !== (tie === true)) {
    reader.problem(`fields "tie" (${show(reader.raw('tie'))}) and "choice" (${show(choice)}) disagree`);
    return undefined;
  }
  return choice ?? (tie === true ? 'tie' : 'a');
}

function readStars(reader: FieldReader | undefined, name: string): Stars | undefined {
  return reader?.integer(name, { optional: true, min: 1, max: 5 }) as Stars | undefined;
}

/** Parses one line's object; null when it has problems (recorded in `reader`). */
function readLabel(reader: FieldReader, options: ParseOptions, limits: PreferenceLimits): PreferenceLabel | null {
  const prompt = text(reader, 'prompt', limits);
  const chosen = text(reader, 'chosen', limits);
  const rejected = text(reader, 'rejected', limits);
  const choice = readChoice(reader);
  const labeler =
    reader.string('labeler', { optional: true, maxChars: MAX_ID_CHARS, nonEmpty: true }) ?? options.defaultLabeler;
  const time = readTime(reader, options.now);
  const modelChosen = reader.string('model_chosen', { optional: true, maxChars: MAX_ID_CHARS }) ?? null;
  const modelRejected = reader.string('model_rejected', { optional: true, maxChars: MAX_ID_CHARS }) ?? null;
  const decisionMs = reader.number('decision_ms', { optional: true, min: 0 }) ?? null;
  if (decisionMs !== null && decisionMs > MAX_DECISION_MS)
    reader.problem(`field "decision_ms" is ${decisionMs}; more than a day is not a decision time`);
  const endedChosen = reader.boolean('ended_chosen', { optional: true });
  const endedRejected = reader.boolean('ended_rejected', { optional: true });
  const ratings = reader.object('ratings', { optional: true });
  const [starsChosen, starsRejected] = [readStars(ratings, 'chosen'), readStars(ratings, 'rejected')];
  if (
    !reader.ok ||
    prompt === undefined ||
    chosen === undefined ||
    rejected === undefined ||
    choice === undefined ||
    time === undefined
  )
    return null;
  const flipped = choice === 'b';
  return {
    prompt,
    a: flipped ? rejected : chosen,
    b: flipped ? chosen : rejected,
    choice,
    labeler,
    time,
    modelA: flipped ? modelRejected : modelChosen,
    modelB: flipped ? modelChosen : modelRejected,
    decisionMs,
    ratings: withoutUndefined({ a: flipped ? starsRejected : starsChosen, b: flipped ? starsChosen : starsRejected }),
    ...(endedChosen === undefined ? {} : { [flipped ? 'bEnded' : 'aEnded']: endedChosen }),
    ...(endedRejected === undefined ? {} : { [flipped ? 'aEnded' : 'bEnded']: endedRejected }),
  };
}

function withoutUndefined(ratings: { a?: Stars; b?: Stars }): { a?: Stars; b?: Stars } {
  const out: { a?: Stars; b?: Stars } = {};
  if (ratings.a !== undefined) out.a = ratings.a;
  if (ratings.b !== undefined) out.b = ratings.b;
  return out;
}

/** One line -> a label, or its problems (each without the line number). */
function parseLine(line: string, options: ParseOptions, limits: PreferenceLimits): PreferenceLabel | string[] {
  if (line.length > limits.maxLineChars)
    return [`the line is ${line.length} characters long; the limit is ${limits.maxLineChars}`];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return [`not valid JSON (${error instanceof Error ? error.message : String(error)})`];
  }
  if (!isJsonObject(value)) return [`must be a JSON object {"prompt", "chosen", "rejected"}, got ${show(value)}`];
  const reader = new FieldReader(value);
  return readLabel(reader, options, limits) ?? reader.problems;
}

/**
 * Parses TRL-format JSONL. Blank lines are skipped. Throws ImportError('BAD_ARGUMENT') listing
 * every problem as "line N: ..." when any line is bad; returns the labels only when all are good.
 */
export function parsePreferenceJsonl(text: string, options: ParseOptions): PreferenceLabel[] {
  const limits = { ...DEFAULT_PREFERENCE_LIMITS, ...options.limits };
  const source = options.source ?? 'preference log';
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const problems: string[] = [];
  const labels: PreferenceLabel[] = [];
  if (lines.length > limits.maxLines) {
    throwIfProblems('BAD_ARGUMENT', source, [`the file has ${lines.length} lines; the limit is ${limits.maxLines}`]);
  }
  for (let i = 0; i < lines.length && problems.length < limits.maxProblems; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    const parsed = parseLine(line, options, limits);
    if (Array.isArray(parsed)) problems.push(...parsed.map((p) => `line ${i + 1}: ${p}`));
    else labels.push(parsed);
  }
  if (problems.length >= limits.maxProblems) problems.push(`stopped reading after ${limits.maxProblems} problems`);
  if (problems.length === 0 && labels.length === 0) problems.push('the file holds no preference lines');
  throwIfProblems('BAD_ARGUMENT', source, problems);
  return labels;
}
