/**
 * Field-by-field checks of the session requests (see protocol.ts), so the worker answers a
 * malformed one with BAD_REQUEST instead of failing somewhere inside the engine. Kept apart from
 * protocol.ts only to keep that file readable; protocol.ts's `isRequest` calls `isSessionRequest`.
 */
import { fieldsOf } from './fields';
import { isExperimentId } from './experiments';
import { isLabelSampling, isTuneSettings, TUNE_RANGES } from './tune-settings';

/** Large enough for any lesson, small enough that a runaway message cannot exhaust the worker. */
const MAX_PROMPTS = 10_000;
const MAX_LABELS = 1_000_000;
const MAX_EVAL_SAMPLES = 16;
/** About 20 MB of text: far more than a tab can train on, and what a message can carry easily. */
const MAX_TEXT_CHARS = 20_000_000;
const MAX_PRETRAIN_STEPS = 100_000;

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';

function isStringList(v: unknown, max: number): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.length <= max && v.every(isString);
}

function hasStrings(v: unknown, keys: readonly string[]): boolean {
  const f = fieldsOf(v);
  return f !== null && keys.every((k) => isString(f[k]));
}

function isCount(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isStars(v: unknown): boolean {
  return isCount(v, 1, 5);
}

/** A label's storage id: the key of its held-out split and bootstrap weights. */
function isLabelId(v: unknown): boolean {
  return isCount(v, 0, Number.MAX_SAFE_INTEGER);
}

/** Whether a response ended: absent on labels made before it was recorded. */
function isOptionalFlag(v: unknown): boolean {
  return v === undefined || typeof v === 'boolean';
}

/** Marked words (labels.ts WordMark): absent, or marks inside their side's text, none overlapping. */
function isWordMarks(v: unknown, a: string, b: string): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v) || v.length > a.length + b.length) return false;
  const spans: Record<string, [number, number][]> = { a: [], b: [] };
  for (const m of v) {
    const f = fieldsOf(m);
    if (f === null || (f.side !== 'a' && f.side !== 'b') || (f.polarity !== 1 && f.polarity !== -1)) return false;
    const length = f.side === 'a' ? a.length : b.length;
    if (!isCount(f.start, 0, length) || !isCount(f.end, 0, length) || f.start >= f.end) return false;
    spans[f.side].push([f.start, f.end]);
  }
  return Object.values(spans).every((list) =>
    list.sort((x, y) => x[0] - y[0]).every(([start], i) => i === 0 || start >= list[i - 1][1]),
  );
}

function isLabelLog(v: unknown): boolean {
  const f = fieldsOf(v);
  if (f === null) return false;
  const { comparisons, ratings, demonstrations } = f;
  if (!Array.isArray(comparisons) || !Array.isArray(ratings) || !Array.isArray(demonstrations)) return false;
  if (comparisons.length + ratings.length + demonstrations.length > MAX_LABELS) return false;
  const choices: unknown[] = ['a', 'b', 'tie'];
  const comparisonOk = (c: unknown): boolean => {
    const f = fieldsOf(c);
    return (
      f !== null &&
      hasStrings(f, ['prompt', 'a', 'b', 'labeler']) &&
      choices.includes(f.choice) &&
      isLabelId(f.id) &&
      isOptionalFlag(f.aEnded) &&
      isOptionalFlag(f.bEnded) &&
      isWordMarks(f.marks, f.a as string, f.b as string)
    );
  };
  const ratingOk = (r: unknown): boolean => {
    const f = fieldsOf(r);
    return (
      f !== null &&
      hasStrings(f, ['prompt', 'response', 'labeler']) &&
      isStars(f.stars) &&
      isLabelId(f.id) &&
      isOptionalFlag(f.ended)
    );
  };
  return (
    comparisons.every(comparisonOk) &&
    ratings.every(ratingOk) &&
    demonstrations.every((d) => hasStrings(d, ['prompt', 'response']))
  );
}

function isLabelerSpec(v: unknown): boolean {
  const f = fieldsOf(v);
  if (f === null) return v === null;
  return (f.kind === 'builtin' && isString(f.id)) || (f.kind === 'keyword' && isString(f.rule));
}

function isQuestion(v: unknown): boolean {
  const f = fieldsOf(v);
  if (f === null) return false;
  return (
    (f.kind === 'compare' &&
      hasStrings(f, ['prompt', 'a', 'b']) &&
      (f.marks === undefined || isCount(f.marks, 0, 16))) ||
    (f.kind === 'rate' && hasStrings(f, ['prompt', 'response']))
  );
}

function isPolicyRef(v: unknown): boolean {
  const f = fieldsOf(v);
  if (f === null) return false;
  return (
    f.kind === 'base' ||
    f.kind === 'current' ||
    (f.kind === 'checkpoint' && isString(f.name) && f.bytes instanceof ArrayBuffer)
  );
}

function isPolicySampling(v: unknown): boolean {
  const f = fieldsOf(v);
  if (f === null) return false;
  const t = f.temperature;
  return (
    isStringList(f.prompts, MAX_PROMPTS) &&
    isCount(f.samplesPerPrompt, 1, MAX_EVAL_SAMPLES) &&
    isCount(f.maxNewTokens, 1, 512) &&
    isCount(f.seed, 0, 2 ** 32 - 1) &&
    typeof t === 'number' &&
    t > 0 &&
    t <= 2
  );
}

function isEvaluateOptions(v: unknown): boolean {
  return isPolicySampling(v) && isLabelerSpec(fieldsOf(v)?.yardstick);
}

function isLimit(v: unknown, min: number, max: number): boolean {
  return v === null || isCount(v, min, max);
}

function isExperimentLimits(v: unknown): boolean {
  const f = fieldsOf(v);
  const tokens = TUNE_RANGES.maxNewTokens;
  return (
    f !== null &&
    isLimit(f.labels, 2, 10_000) &&
    isLimit(f.iterations, 1, 10_000) &&
    isLimit(f.maxNewTokens, tokens.min, tokens.max)
  );
}

/** Checks a message whose `type` is one of the session requests; false for any other type. */
export function isSessionRequest(m: Fields): boolean {
  switch (m.type) {
    case 'startSession':
      return isCount(m.seed, 0, 2 ** 32 - 1);
    case 'samplePair':
      return isStringList(m.prompts, MAX_PROMPTS) && typeof m.active === 'boolean' && isLabelSampling(m.sampling);
    case 'sampleOne':
      return isString(m.prompt) && isLabelSampling(m.sampling);
    case 'setLabels':
      return isLabelLog(m.labels);
    case 'setLabeler':
      return isLabelerSpec(m.labeler);
    case 'judge':
      return isQuestion(m.question);
    case 'trainReward':
    case 'iterate':
      return isStringList(m.prompts, MAX_PROMPTS) && (m.type === 'trainReward' || isCount(m.iterations, 1, 100_000));
    case 'scoreText':
      return isString(m.prompt) && isString(m.response);
    case 'configure':
      return isTuneSettings(m.settings);
    case 'reset':
    case 'tokenizer':
      return true;
    case 'evaluate':
      return isPolicyRef(m.base) && isPolicyRef(m.tuned) && isEvaluateOptions(m.options);
    case 'samplePolicies':
      return isPolicyRef(m.base) && isPolicyRef(m.tuned) && isPolicySampling(m.options);
    case 'savePolicy':
      return isString(m.name);
    case 'loadPolicy':
      return m.bytes instanceof ArrayBuffer;
    case 'pretrain':
      return (
        isString(m.text) &&
        m.text.length <= MAX_TEXT_CHARS &&
        isString(m.source) &&
        isCount(m.steps, 1, MAX_PRETRAIN_STEPS)
      );
    case 'runExperiment':
      return (
        isExperimentId(m.experiment) &&
        isCount(m.seed, 0, 2 ** 32 - 1) &&
        isStringList(m.prompts, MAX_PROMPTS) &&
        isExperimentLimits(m.limits)
      );
    default:
      return false;
  }
}
