/**
 * Critic-free policy optimisation from groups of responses to the same prompt, on the shared
 * online iteration (online.ts):
 *   - GRPO (Shao et al. 2024): advantage = group-normalised score; the KL to the reference is a
 *     k3 term in the loss (β = 0.04, as TRL), not in the reward.
 *   - RLOO (Ahmadian et al. 2024): reward = score - β·KL(sequence), advantage = reward minus the
 *     mean reward of the other responses to the same prompt.
 * Both then maximise the clipped surrogate with one advantage per response, broadcast over its
 * tokens. They share the rollout with PPO, so the same data runs through each.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { grpoAdvantages, klPenalty, maskedMean, rlooAdvantages } from './formulas';
import { sequenceKL } from './iteration';
import { GRPO_BETA } from './algorithm-defaults';
import { OnlineTrainer, type Advantages, type MinibatchView } from './online';
import { DEFAULT_PPO, type PPOConfig } from './ppo-config';
import type { Rollout, Scorer } from './rollout';

export type GroupMethod = 'grpo' | 'rloo';

export { GRPO_BETA } from './algorithm-defaults';

export class GroupTrainer extends OnlineTrainer {
  readonly method: GroupMethod;
  protected readonly extraNames = ['loss/kl_term'];

  /** Tunes `policy` in place, held near `reference` (the run's frozen anchor, not owned). */
  constructor(
    method: GroupMethod,
    policy: GPT,
    reference: GPT,
    scorer: Scorer,
    ids: { eosId: number; padId: number },
    config: Partial<PPOConfig> = {},
  ) {
    const c = { ...DEFAULT_PPO, ...(method === 'grpo' ? { beta: GRPO_BETA } : {}), ...config };
    super({ policy, reference, scorer, ids, config: c, value: null });
    this.method = method;
  }

  /** Stages 4-5: one advantage per response, broadcast over its real tokens [B, Lr]. */
  protected async advantages(r: Rollout): Promise<Advantages> {
    const { beta, samplesPerPrompt: n } = this.config;
    const kl = sequenceKL(r); // [B]
    const rewards = this.method === 'rloo' ? r.scores.map((s, i) => s - beta * kl[i]) : r.scores;
    const grouped = Array.from({ length: rewards.length / n }, (_, p) => rewards.slice(p * n, (p + 1) * n)); // [P, n]
    // Read back asynchronously: a synchronous read on WebGPU goes through an OffscreenCanvas
    // context that headless Chromium cannot create, which takes down the GPU process.
    const advTensor = tf.tidy(() =>
      this.method === 'grpo' ? grpoAdvantages(tf.tensor2d(grouped)) : rlooAdvantages(tf.tensor2d(grouped)),
    );
    const adv = Array.from(await advTensor.data()); // [B]
    advTensor.dispose();
    return {
      advantages: r.seq.responseMask.map((row, i) => row.map((m) => adv[i] * m)),
      kl,
      nonScoreReward: kl.map((k) => -beta * k),
      metrics: {},
    };
  }

  /**
   * Stage 6: GRPO keeps the policy near the reference through β·k3 in the loss; RLOO already paid
   * for KL in the reward, so its term is 0.
   */
  protected extraLoss(v: MinibatchView, r: Rollout): { loss: tf.Scalar; diagnostics: tf.Scalar[] } {
    const klTerm =
      this.method === 'grpo'
        ? (maskedMean(klPenalty(v.logp, v.rows(r.refLogp), 'k3'), v.t.responseMask) as tf.Scalar)
        : tf.scalar(0);
    return { loss: tf.mul(klTerm, this.config.beta) as tf.Scalar, diagnostics: [klTerm] };
  }
}
