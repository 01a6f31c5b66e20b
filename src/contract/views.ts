/**
 * What the worker shows the page of a tuning run and a trained reward model: plain numbers and
 * strings, never tensors.
 */

/** One sampled response, token by token, as the token view shows it. */
export interface SampleView {
  prompt: string;
  text: string;
  /** Each response token decoded on its own. */
  tokens: string[];
  logProbs: number[];
  /** log π - log π_ref per token (the k1 KL estimate). */
  kl: number[];
  advantages: number[] | null;
  score: number;
  gold: number | null;
}

export interface IterationView {
  metrics: Record<string, number>;
  samples: SampleView[];
}

/**
 * Where a KL budget stopped a tuning run: the iteration (1-based, of the run) whose KL to the
 * reference passed `budget` nats was undone, so the policy is back at `keptKl`.
 */
export interface BudgetStopView {
  budget: number;
  iteration: number;
  /** The KL that iteration reached. */
  kl: number;
  /** The KL of the weights kept (at the last check within budget; 0 before any). */
  keptKl: number;
}

/** Where the reward model's ensemble prefers the other response than the label did. */
export interface Disagreement {
  index: number;
  /** Ensemble P(the labelled winner is better). */
  pLabelled: number;
}

/** One held-out pair as the reward model judged it after a training: the text and its loss. */
export interface HeldOutPairView {
  prompt: string;
  chosen: string;
  rejected: string;
  /** 1 when the label preferred `chosen`, 0.5 for a tie. */
  target: number;
  /** The reward model's P(chosen is better). */
  pChosen: number;
  /** Its Bradley-Terry loss on this pair. */
  loss: number;
}
