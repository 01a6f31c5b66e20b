/**
 * Critic-free policy optimisation from groups of responses to the same prompt:
 *   - GRPO (Shao et al. 2024): advantage = group-normalised score; the KL to the reference is a
 *     k3 term in the loss (β = 0.04, as TRL), not in the reward.
 *   - RLOO (Ahmadian et al. 2024): reward = score - β·KL(sequence), advantage = reward minus the
 *     mean reward of the other responses to the same prompt.
 * Both then maximise the clipped surrogate with one advantage per response, broadcast over its
 * tokens. They share the rollout with PPO, so the same data runs through each.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { tokenLogProbs } from '../model/losses';
import { Rng } from '../rng';
import { AdamW } from '../train/optimizer';
import { grpoAdvantages, klPenalty, maskedMean, ppoPolicyLoss, rlooAdvantages } from './formulas';
import {
  mean,
  minibatches,
  minibatchUpdates,
  PolicySnapshot,
  rolloutMetrics,
  sequenceKL,
  type IterationResult,
} from './iteration';
import { GRPO_BETA } from './algorithm-defaults';
import { DEFAULT_PPO, type PPOConfig } from './ppo-config';
import { collectRollout, selectRows, type Rollout, type Scorer } from './rollout';
import { responseHidden, sequenceTensors } from './sequences';

export type GroupMethod = 'grpo' | 'rloo';

export { GRPO_BETA } from './algorithm-defaults';

export class GroupTrainer {
  readonly method: GroupMethod;
  readonly config: PPOConfig;
  readonly policy: GPT;
  readonly reference: GPT;
  private readonly scorer: Scorer;
  private readonly optimizer: AdamW;
  private readonly snapshot: PolicySnapshot;
  private readonly ids: { eosId: number; padId: number };
  private iterations = 0;

  constructor(
    method: GroupMethod,
    policy: GPT,
    scorer: Scorer,
    ids: { eosId: number; padId: number },
    config: Partial<PPOConfig> = {},
  ) {
    this.method = method;
    this.config = { ...DEFAULT_PPO, ...(method === 'grpo' ? { beta: GRPO_BETA } : {}), ...config };
    this.policy = policy;
    this.reference = policy.clone();
    this.scorer = scorer;
    this.ids = ids;
    this.optimizer = new AdamW(policy.params, {
      learningRate: this.config.learningRate,
      maxGradNorm: this.config.maxGradNorm,
      weightDecay: 0,
    });
    this.snapshot = new PolicySnapshot([policy.params]);
  }

  /** One advantage per response [B], and the per-response KL (k1, summed over tokens) [B]. */
  private async advantages(r: Rollout): Promise<{ adv: number[]; kl: number[] }> {
    const n = this.config.samplesPerPrompt;
    const kl = sequenceKL(r);
    const rewards = this.method === 'rloo' ? r.scores.map((s, i) => s - this.config.beta * kl[i]) : r.scores;
    const grouped = Array.from({ length: rewards.length / n }, (_, p) => rewards.slice(p * n, (p + 1) * n)); // [P, n]
    // Read back asynchronously: a synchronous read on WebGPU goes through an OffscreenCanvas
    // context that headless Chromium cannot create, which takes down the GPU process.
    const advTensor = tf.tidy(() =>
      this.method === 'grpo' ? grpoAdvantages(tf.tensor2d(grouped)) : rlooAdvantages(tf.tensor2d(grouped)),
    );
    const adv = await advTensor.data();
    advTensor.dispose();
    return { adv: Array.from(adv), kl };
  }

  private update(r: Rollout, adv: number[], rng: Rng): Promise<Record<string, number>> {
    const c = this.config;
    const names = ['loss/policy', 'policy/clipfrac', 'policy/approxkl', 'loss/kl_term'];
    return minibatchUpdates(
      this.policy.params,
      this.optimizer,
      minibatches(r.responses.length, c.numMiniBatches, c.ppoEpochs, rng),
      names,
      (idx) => {
        const mb = selectRows(r.seq, idx);
        const t = sequenceTensors(mb);
        const advantages = tf.tensor2d(idx.map((i) => r.logp[i].map(() => adv[i]))); // one per response, on every token
        const logp = tokenLogProbs(
          this.policy.lmHead(responseHidden(this.policy, mb, t)),
          t.responseTokens,
          c.temperature,
        ); // [b, Lr]
        const pg = ppoPolicyLoss(logp, tf.tensor2d(idx.map((i) => r.logp[i])), advantages, t.responseMask, c.clipRange);
        // GRPO keeps the policy near the reference through the loss; RLOO already paid for KL in the reward.
        const refLogp = tf.tensor2d(idx.map((i) => r.refLogp[i]));
        const klTerm =
          this.method === 'grpo'
            ? (maskedMean(klPenalty(logp, refLogp, 'k3'), t.responseMask) as tf.Scalar)
            : tf.scalar(0);
        return {
          loss: tf.add(pg.loss, tf.mul(klTerm, c.beta)) as tf.Scalar,
          diagnostics: [pg.loss, pg.clipfrac, pg.approxkl, klTerm],
        };
      },
    );
  }

  /** One iteration: rollout and scoring as PPO, group advantages, clipped updates. */
  async iteration(prompts: number[][]): Promise<IterationResult> {
    const c = this.config;
    const t0 = performance.now();
    const rollout = await collectRollout(this.policy, this.reference, null, this.scorer, prompts, {
      ...c,
      ...this.ids,
      seed: c.seed + 7919 * this.iterations,
    });
    const t1 = performance.now();
    const { adv, kl } = await this.advantages(rollout);
    const stats = await this.update(rollout, adv, new Rng(c.seed + 104729 * this.iterations));
    const restored = await this.snapshot.keepOrRestore(
      stats['policy/skipped_updates'] === 0 && Number.isFinite(stats['loss/policy']),
    );
    this.iterations++;
    const klMean = mean(kl);
    const scores = mean(rollout.scores);
    const metrics = {
      'objective/kl': klMean,
      'objective/non_score_reward': -c.beta * klMean,
      'objective/rlhf_reward': scores - c.beta * klMean,
      'objective/scores': scores,
      ...stats,
      beta: c.beta,
      ...rolloutMetrics(rollout),
      'numerics/restored': restored ? 1 : 0,
      'time/rollout_ms': t1 - t0,
      'time/update_ms': performance.now() - t1,
    };
    return {
      metrics,
      rollout,
      advantages: rollout.logp.map((row, i) => row.map((_, j) => adv[i] * rollout.seq.responseMask[i][j])),
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.reference.dispose();
    this.snapshot.dispose();
  }
}
