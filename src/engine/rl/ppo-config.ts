/**
 * PPOConfig: every knob of the PPO loop, with the default and why. Defaults follow TRL's PPO
 * trainer and "The N+ Implementation Details of RLHF with PPO" (Huang et al. 2024), except where
 * a 1M-parameter model in a browser tab needs otherwise (learning rate, batch sizes), as noted.
 */
import type { KLEstimator } from './formulas/kl';

export interface PPOConfig {
  /** Prompts per iteration; each gets samplesPerPrompt responses. */
  promptsPerIteration: number;
  /** Responses per prompt: several per prompt give the batch diversity (and GRPO/RLOO their groups). */
  samplesPerPrompt: number;
  /** Longest response, in tokens. */
  maxNewTokens: number;
  /** Sampling temperature; log-probs are computed from logits / temperature to match (N+ detail). */
  temperature: number;
  /** Top-k of the rollout's sampler; 0 keeps every token (TRL's advice for PPO: no top-k). */
  topK: number;
  /** Top-p (nucleus) of the rollout's sampler; 1 keeps every token. */
  topP: number;
  /**
   * End-of-text is not sampled before this many response tokens (Hugging Face's min_new_tokens,
   * a setting TRL's users meet negative KL with); 0 lets a response end at once. A truncation like
   * top-k's: matchedLogProbs decides how its samples are scored.
   */
  minNewTokens: number;
  /**
   * With top-k/top-p or a minimum length: true scores the samples under the truncated distribution
   * they were drawn from (policy and reference renormalised over the kept ids, rl/truncation.ts); false scores
   * them under the full softmax, the mismatch that makes the KL estimate go negative.
   */
  matchedLogProbs: boolean;
  /** KL coefficient β in the reward -β·KL (TRL: 0.05). */
  beta: number;
  /** Adaptive-KL target in nats per response; null keeps β fixed (TRL's default). */
  klTarget: number | null;
  /** Samples for β to adapt by ~e (lm-human-preferences: 10000). */
  klHorizon: number;
  /** Per-token KL estimator of the penalty: k1 (TRL default) or k3. */
  klEstimator: KLEstimator;
  /**
   * Where the penalty goes: false puts -β·KL into each token's reward (TRL's PPO); true adds
   * β·mean(KL estimate) to the loss instead, as GRPO does. With k1 in the loss the gradient is
   * E[∇ log π] at the sampled tokens: zero on average when they come from π itself, but not when
   * they come from a truncated sampler scored by the full softmax (rl/truncation.ts).
   */
  klInLoss: boolean;
  /** Subtracted from the score of a response that never produced end-of-text (TRL's missing_eos_penalty). */
  missingEosPenalty: number;
  /** GAE discount; 1 because the only real reward comes at the end (TRL: 1). */
  gamma: number;
  /** GAE λ (TRL: 0.95). */
  lambda: number;
  /** Clip ε of the surrogate objective (TRL: 0.2). */
  clipRange: number;
  /** Clip of the value update (TRL: 0.2). */
  clipRangeValue: number;
  /** Weight of the value loss in the combined loss (TRL: 0.1). */
  valueCoef: number;
  /** Weight of an entropy bonus; 0 is off (TRL has none). */
  entropyCoef: number;
  /** Passes over the batch per iteration (TRL: 4). */
  ppoEpochs: number;
  /** Minibatches per pass (TRL: 1; 2 keeps the browser's per-step memory small). */
  numMiniBatches: number;
  /**
   * AdamW step size. TRL's 3e-6 is for 1B-parameter models. Measured on the shipped 1M model
   * (docs/learning.md): 1e-4 drifts to KL > 20 nats in 24 iterations; 3e-5 stays near 10.
   */
  learningRate: number;
  /**
   * Iterations of linear learning-rate warm-up (formulas/schedule.ts); 0 starts at the full rate
   * (TRL: 0). The schedule counts from the trainer's first iteration: the page builds a new
   * trainer when its settings change, a saved reward model is loaded or the policy is reset or
   * replaced; `npm run rlhf` builds one per run.
   */
  lrWarmupIterations: number;
  /**
   * The iteration at which a linear decay brings the learning rate to zero (TRL's linear schedule
   * over the run, N+ "anneal lr"); 0 keeps it constant after any warm-up, otherwise it must come
   * after the warm-up. Iterations past it still roll out and step, at a rate of zero.
   */
  lrDecayIterations: number;
  /** Global gradient-norm clip (TRL: 1.0). */
  maxGradNorm: number;
  /** Whiten the per-token rewards before GAE (N+ detail; TRL: off). Advantages are always whitened. */
  whitenRewards: boolean;
  /**
   * PPO only: normalise each rollout's scores by the running mean and standard deviation of every
   * score this trainer has seen (formulas/running-moments.ts), so their scale follows the policy's
   * samples; off keeps the reward model's normalisation on the reference policy's samples alone.
   * The statistics are the trainer's: a reward model retrained under the same trainer (more
   * labelling rounds) is normalised with the scores of its earlier versions too.
   */
  runningScoreNorm: boolean;
  /** Value model start: a copy of the reward model (TRL) or the policy trunk with a zero head. */
  valueInit: 'reward' | 'zeros';
  /**
   * PPO only: rollouts whose returns train the value model alone before the first policy update
   * (critic warm-up, as in "Secrets of RLHF in Large Language Models Part I", Zheng et al. 2023),
   * so the first advantages do not come from a critic that has never seen this policy's returns;
   * 0 is off (TRL has none). They run inside the trainer's first iteration.
   */
  valueWarmupIterations: number;
  /** The step size of the value model's warm-up, its own AdamW; the reward model's 3e-4. */
  valueWarmupLearningRate: number;
  /** Seeds sampling and minibatch order. */
  seed: number;
}

export const DEFAULT_PPO: PPOConfig = {
  promptsPerIteration: 4,
  samplesPerPrompt: 4,
  maxNewTokens: 48,
  temperature: 0.7,
  topK: 0,
  topP: 1,
  minNewTokens: 0,
  matchedLogProbs: true,
  beta: 0.05,
  klTarget: null,
  klHorizon: 10000,
  klEstimator: 'k1',
  klInLoss: false,
  missingEosPenalty: 1.0,
  gamma: 1,
  lambda: 0.95,
  clipRange: 0.2,
  clipRangeValue: 0.2,
  valueCoef: 0.1,
  entropyCoef: 0,
  ppoEpochs: 4,
  numMiniBatches: 2,
  learningRate: 3e-5,
  lrWarmupIterations: 0,
  lrDecayIterations: 0,
  maxGradNorm: 1.0,
  whitenRewards: false,
  runningScoreNorm: false,
  valueInit: 'reward',
  valueWarmupIterations: 0,
  valueWarmupLearningRate: 3e-4,
  seed: 0,
};
