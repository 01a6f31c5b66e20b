/**
 * A pair of responses put to the labeler, as the worker sends it and the page shows it. Why it was
 * asked travels as data (which rule picked it, and the reward model's numbers); the page words it.
 */

/** Why this pair was asked. */
export type PairReason =
  /** A random prompt, two samples from the current policy (no reward model to choose with). */
  | { kind: 'random' }
  /** The reward model's `heads` disagree most about it: the largest `spread` of r_a - r_b among `candidates` pairs. */
  | { kind: 'uncertain'; heads: number; spread: number; candidates: number }
  /** The reward model tells its two responses apart most (P(A better) = `pA`) among `candidates` pairs. */
  | { kind: 'contrast'; pA: number; candidates: number }
  /** A pair already labelled, asked again for a second opinion. */
  | { kind: 'secondOpinion' };

export interface PairRequest {
  prompt: string;
  a: string;
  b: string;
  /** Whether each response ended with end-of-text (its label records it). */
  aEnded: boolean;
  bEnded: boolean;
  reason: PairReason;
  /** The ensemble's uncertainty about this pair, when a reward model exists. */
  uncertainty: number | null;
}
