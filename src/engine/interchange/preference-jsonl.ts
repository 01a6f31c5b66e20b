/**
 * One comparison as one line of TRL's "standard" preference format
 * `{"prompt", "chosen", "rejected"}` (chosen and rejected are completions of the prompt, without
 * it). What TRL does not know travels as extra fields, which its loaders ignore:
 *
 *   tie             true when the labeler judged both equal (chosen = A, rejected = B)
 *   choice          which side the chosen response was shown on: "a", "b" or "tie"
 *   labeler         the person's labeler name ("human" unless they set one) or a simulated labeler's id
 *   time            when the label was given, ISO 8601
 *   model_chosen    id of the model version that wrote the chosen response (and model_rejected)
 *   decision_ms     how long the labeler took to decide
 *   ended_chosen    true when the chosen response ended with end-of-text when sampled, false when
 *                   it was cut off (and ended_rejected); absent when not known, read as not ended
 *   ratings         {"chosen": 1-5, "rejected": 1-5}: stars given to either response
 *   marks           the words the labeler marked as reasons (fine-grained feedback), a list of
 *                   {"side": "chosen" or "rejected", "start", "end", "polarity"}: characters
 *                   [start, end) of that response, which helped it (polarity 1) or hurt it (-1);
 *                   none overlap on a side. Offsets count UTF-16 code units, as JavaScript does
 *                   (Python's str indexes code points: the two differ after any character beyond
 *                   U+FFFF, such as most emoji). Absent when no words were marked
 *   second_opinion  true when the pair was asked again after it was first labelled
 *
 * A tie states no preference, so an export keeps ties out of the file TRL trains on and writes them
 * to a side file in this same line format (label-jsonl.ts says which file holds what). Skipped
 * comparisons carry no preference and are not written at all.
 */
import type { Choice, Stars, WordMark } from '../../contract/labels';
import { show, type FieldReader } from './fields';
import { readMarks } from './word-marks';
import {
  parseJsonlLines,
  readLabeler,
  readText,
  readTime,
  MAX_ID_CHARS,
  type ParseOptions,
  type PreferenceLimits,
} from './jsonl-lines';

export { DEFAULT_PREFERENCE_LIMITS, type ParseOptions, type PreferenceLimits } from './jsonl-lines';

/** One comparison, in the display's A/B terms (what storage keeps). */
export interface PreferenceLabel {
  prompt: string;
  a: string;
  b: string;
  choice: Choice;
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
  /** Present (true) only on a pair asked again after it was first labelled. */
  secondOpinion?: true;
  /** The words marked as reasons, on A and B; absent when none were marked. */
  marks?: WordMark[];
}

type Side = 'chosen' | 'rejected';

/** A mark's side in the file's terms: A is chosen unless B was (a tie's chosen is A). */
function fileSide(side: WordMark['side'], flipped: boolean): Side {
  return (side === 'a') !== flipped ? 'chosen' : 'rejected';
}

function labelSide(side: Side, flipped: boolean): WordMark['side'] {
  return (side === 'chosen') !== flipped ? 'a' : 'b';
}

/** A decision slower than a day is a clock error. */
const MAX_DECISION_MS = 86_400_000;

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
  if (label.marks !== undefined && label.marks.length > 0)
    line.marks = label.marks.map((m) => ({
      side: fileSide(m.side, flipped),
      start: m.start,
      end: m.end,
      polarity: m.polarity,
    }));
  if (label.secondOpinion === true) line.second_opinion = true;
  return line;
}

/** The labels as TRL JSONL text, one line each, in the order given. */
export function toPreferenceJsonl(labels: readonly PreferenceLabel[]): string {
  return labels.map((label) => `${JSON.stringify(toLine(label))}\n`).join('');
}

/** The side that was chosen: from "choice" when given, else "tie" or A; the two must agree. */
function readChoice(reader: FieldReader): PreferenceLabel['choice'] | undefined {
  const tie = reader.boolean('tie', { optional: true });
  const choice = reader.oneOf('choice', ['a', 'b', 'tie'] as const, { optional: true });
  const tieReadable = tie !== undefined || !reader.has('tie');
  if (choice !== undefined && tieReadable && (choice === 'tie') !== (tie === true)) {
    reader.problem({
      code: 'FIELDS_DISAGREE',
      params: { first: 'tie', firstValue: show(reader.raw('tie')), second: 'choice', secondValue: show(choice) },
    });
    return undefined;
  }
  return choice ?? (tie === true ? 'tie' : 'a');
}

function readStars(reader: FieldReader | undefined, name: string): Stars | undefined {
  return reader?.integer(name, { optional: true, min: 1, max: 5 }) as Stars | undefined;
}

/** Parses one preference line's object; null when it has problems (recorded in `reader`). */
export function readPreferenceLabel(
  reader: FieldReader,
  options: ParseOptions,
  limits: PreferenceLimits,
): PreferenceLabel | null {
  const prompt = readText(reader, 'prompt', limits);
  const chosen = readText(reader, 'chosen', limits);
  const rejected = readText(reader, 'rejected', limits);
  const choice = readChoice(reader);
  const labeler = readLabeler(reader, options);
  const time = readTime(reader, options.now);
  const modelChosen = reader.string('model_chosen', { optional: true, maxChars: MAX_ID_CHARS }) ?? null;
  const modelRejected = reader.string('model_rejected', { optional: true, maxChars: MAX_ID_CHARS }) ?? null;
  const decisionMs = reader.number('decision_ms', { optional: true, min: 0 }) ?? null;
  if (decisionMs !== null && decisionMs > MAX_DECISION_MS)
    reader.problem({ code: 'FIELD_DECISION_TIME', params: { field: 'decision_ms', ms: decisionMs } });
  const endedChosen = reader.boolean('ended_chosen', { optional: true });
  const endedRejected = reader.boolean('ended_rejected', { optional: true });
  const ratings = reader.object('ratings', { optional: true });
  const [starsChosen, starsRejected] = [readStars(ratings, 'chosen'), readStars(ratings, 'rejected')];
  const marks = readMarks(reader, 'marks', { chosen, rejected });
  const secondOpinion = reader.boolean('second_opinion', { optional: true });
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
  const label: PreferenceLabel = {
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
  if (secondOpinion === true) label.secondOpinion = true;
  if (marks.length > 0) label.marks = marks.map((m) => ({ ...m, side: labelSide(m.side, flipped) }));
  return label;
}

function withoutUndefined(ratings: { a?: Stars; b?: Stars }): { a?: Stars; b?: Stars } {
  const out: { a?: Stars; b?: Stars } = {};
  if (ratings.a !== undefined) out.a = ratings.a;
  if (ratings.b !== undefined) out.b = ratings.b;
  return out;
}

/**
 * Parses TRL-format preference JSONL (every line a comparison). Blank lines are skipped. Throws
 * ImportError('BAD_ARGUMENT') listing every problem with its line number when any line is bad; returns
 * the labels only when all are good.
 */
export function parsePreferenceJsonl(text: string, options: ParseOptions): PreferenceLabel[] {
  return parseJsonlLines(text, options, readPreferenceLabel).map((l) => l.value);
}
