/**
 * A simulated labeler: a deterministic stand-in for the person who labels, so that demos, tests
 * and benchmarks can run the RLHF loop without one.
 *
 * It has a hidden *gold score* (the "true" preference the reward model must discover) and answers
 * the questions a person would, through Bradley-Terry noise:
 *
 *   P(A preferred over B) = sigmoid(rationality * (score(A) - score(B)))
 *
 * Rationality 0 answers at random, Infinity always picks the better response. A 1-5 star rating is
 * the same idea against four fixed reference scores (the rating cutpoints): the response "beats"
 * reference k with probability sigmoid(rationality * (score - cutpoint_k)), and earns one star
 * for every reference it beats, plus one (an ordered-logit model). With the default cutpoints the
 * noiseless rating is the gold score rounded to the nearest integer plus 3, clamped to 1..5.
 */
import type { Choice, Stars } from '../../contract/labels';
import type { Message } from '../../contract/messages';
import { check, EngineError } from '../errors';
import type { Rng } from '../rng';

/** A gold score: how much the simulated person likes `response` as a continuation of `prompt`. */
export type GoldScore = (prompt: string, response: string) => number;

export type { Choice, Stars } from '../../contract/labels';

/** The answer to "which is better, A or B?" and the probability the labeler had of saying A. */
export interface Judgement {
  choice: Choice;
  pA: number;
}

export interface LabelerOptions {
  /** Inverse noise of every answer, in 1/gold-score units: 0 = coin flips, Infinity = noiseless. */
  rationality?: number;
  /** A comparison is a tie when |P(A) - 0.5| < tieMargin; 0 never ties (except Infinity on equal scores). */
  tieMargin?: number;
  /** Four increasing gold scores separating 1|2, 2|3, 3|4 and 4|5 stars. */
  ratingCutpoints?: readonly number[];
  /** Shown in pickers and reports; default: the id. */
  title?: string;
  /** One or two sentences saying what this labeler likes; default: empty. */
  description?: string;
}

export interface Labeler {
  /** Recorded with every label it gives, beside "human". */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rationality: number;
  readonly tieMargin: number;
  readonly ratingCutpoints: readonly number[];
  /** The gold score, always finite (a non-finite score is an EngineError). */
  score(prompt: string, response: string): number;
  /** Compares two responses to one prompt; draws exactly one number from `rng`. */
  compare(prompt: string, a: string, b: string, rng: Rng): Judgement;
  /** Rates one response with 1-5 stars; draws exactly one number from `rng`. */
  rate(prompt: string, response: string, rng: Rng): Stars;
}

// sigmoid(2 * 0.5) = 0.73: two responses half a typical gold-score difference apart are ranked
// the same way about as often as human raters agree with each other on preference data (~70-75%).
export const DEFAULT_RATIONALITY = 2;
export const DEFAULT_RATING_CUTPOINTS: readonly number[] = [-1.5, -0.5, 0.5, 1.5];

/**
 * The tie margin of every ready-made labeler (built-in, keyword rule, score module): a tie when
 * the two gold scores are all but equal (|P(A) - 0.5| < 0.05, i.e. |Δscore| < 0.1 at the default
 * rationality), as a person judging "which has more animals" would for two stories with none.
 * Without it a labeler that cannot tell two responses apart answers with a coin flip, and a
 * sparse preference turns most labels into noise. `labelerFromScore` itself defaults to 0.
 */
export const DEFAULT_TIE_MARGIN = 0.05;

/**
 * P(first preferred) = sigmoid(rationality * delta), computed without overflow; with infinite
 * rationality it is 1, 0, or 0.5 on an exact tie (where Infinity * 0 would give NaN).
 */
export function preferenceProbability(delta: number, rationality: number): number {
  if (rationality === Infinity) return delta > 0 ? 1 : delta < 0 ? 0 : 0.5;
  const x = rationality * delta;
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function checkOptions(id: string, rationality: number, tieMargin: number, cutpoints: readonly number[]): void {
  const wrong = (option: 'id' | 'rationality' | 'tieMargin' | 'ratingCutpoints', got: string): Message => ({
    code: 'LABELER_OPTION',
    params: { labeler: id, option, got },
  });
  check(id.trim().length > 0, 'BAD_ARGUMENT', wrong('id', id));
  check(rationality >= 0, 'BAD_ARGUMENT', wrong('rationality', String(rationality)));
  check(tieMargin >= 0 && tieMargin <= 0.5, 'BAD_ARGUMENT', wrong('tieMargin', String(tieMargin)));
  const increasing = cutpoints.every((c, k) => Number.isFinite(c) && (k === 0 || c > cutpoints[k - 1]));
  check(cutpoints.length === 4 && increasing, 'BAD_ARGUMENT', wrong('ratingCutpoints', `[${cutpoints.join(', ')}]`));
}

/** A short quote of a text for error messages. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}

/**
 * Bradley-Terry choice from P(A) and one uniform draw `u`: a tie inside the margin (or on an exact
 * tie of a noiseless labeler), otherwise A with probability pA.
 */
function bradleyTerryChoice(pA: number, u: number, rationality: number, tieMargin: number): Choice {
  const exactTie = rationality === Infinity && pA === 0.5;
  if (exactTie || Math.abs(pA - 0.5) < tieMargin) return 'tie';
  return u < pA ? 'a' : 'b';
}

/**
 * Ordered-logit stars: one plus the number of cutpoints the score beats. One uniform `u` for all
 * four keeps the answer consistent (beating cutpoint k+1 implies beating k) and the rating
 * monotone in the score for a given draw.
 */
function orderedLogitStars(score: number, u: number, rationality: number, cutpoints: readonly number[]): Stars {
  const beaten = cutpoints.filter((c) => u < preferenceProbability(score - c, rationality)).length;
  return (1 + beaten) as Stars;
}

/**
 * A labeler from any gold score function. The score is checked on every call: a non-finite value
 * is an EngineError, so a broken score never turns into a silent NaN label. Every question draws
 * exactly one number from the caller's `rng`, whatever the answer, so a labelling run's answers
 * depend only on its seed.
 */
export function labelerFromScore(id: string, gold: GoldScore, opts: LabelerOptions = {}): Labeler {
  const rationality = opts.rationality ?? DEFAULT_RATIONALITY;
  const tieMargin = opts.tieMargin ?? 0;
  const ratingCutpoints = [...(opts.ratingCutpoints ?? DEFAULT_RATING_CUTPOINTS)];
  checkOptions(id, rationality, tieMargin, ratingCutpoints);

  const score = (prompt: string, response: string): number => {
    const s = gold(prompt, response);
    if (typeof s === 'number' && Number.isFinite(s)) return s;
    throw new EngineError('BAD_ARGUMENT', {
      code: 'LABELER_SCORE',
      params: { labeler: id, score: String(s), response: quote(response) },
    });
  };
  const compare = (prompt: string, a: string, b: string, rng: Rng): Judgement => {
    const pA = preferenceProbability(score(prompt, a) - score(prompt, b), rationality);
    return { choice: bradleyTerryChoice(pA, rng.next(), rationality, tieMargin), pA };
  };
  const rate = (prompt: string, response: string, rng: Rng): Stars =>
    orderedLogitStars(score(prompt, response), rng.next(), rationality, ratingCutpoints);

  const title = opts.title ?? id;
  const description = opts.description ?? '';
  return { id, title, description, rationality, tieMargin, ratingCutpoints, score, compare, rate };
}
