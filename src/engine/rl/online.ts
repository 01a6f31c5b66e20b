/**
 * The iteration every online method shares (PPO, GRPO, RLOO), in the stages of Ziegler et al.
 * (2019) as TRL and the N+ implementation-details paper describe them:
 *   1. rollout: several responses per prompt from the current policy
 *   2. score: reward model on each response, minus a penalty if it never ended
 *   3. old log-probs (policy), reference log-probs (and values): forward passes, no gradients
 *   4-5. advantages: the method's own (PPO: KL-shaped rewards and GAE; GRPO, RLOO: groups)
 *   6. epochs over minibatches: the clipped surrogate plus the method's own loss terms
 *   7. snapshot: keep the weights if the update was healthy, else put the last healthy ones back
 *   8. metrics under TRL's names (and PPO's adaptive β)
 * A method fills in stages 4-5 (`advantages`) and its loss terms in 6 (`extraLoss`).
 *
 * The reference is the run's frozen KL anchor, handed in by its owner (the session, the loop),
 * as TRL's trainers receive `ref_model`: a trainer never copies the policy to make one, so
 * rebuilding a trainer (new settings, a reloaded reward model, a reloaded page) keeps measuring
 * KL against the model the run started from.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import type { NamedParams, ParamStore } from '../model/params';
import { tokenLogProbs } from '../model/losses';
import { Rng } from '../rng';
import { AdamW } from '../train/optimizer';
import { check } from '../errors';
import { ppoPolicyLoss, scheduledLearningRate, scheduleProblem } from './formulas';
import { mean, minibatches, minibatchUpdates, PolicySnapshot, rolloutMetrics, type IterationResult } from './iteration';
import type { PPOConfig } from './ppo-config';
import { keptBias, restrictLogits } from './truncation';
import { collectRollout, selectRows, type Rollout, type Scorer } from './rollout';
import type { ScalarModel } from './scalar-model';
import { responseHidden, sequenceTensors, type SequenceBatch, type SequenceTensors } from './sequences';

/** What a method's stages 4-5 hand to the update and to the metrics. */
export interface Advantages {
  /** Per-token advantage [B, Lr], 0 on padding: what the surrogate and the token view read. */
  advantages: number[][];
  /** Per-response KL to the reference, k1 summed over the response's tokens [B]. */
  kl: number[];
  /** Per-response reward that is not the score: the KL penalty the method pays [B]. */
  nonScoreReward: number[];
  /** The method's own diagnostics of this stage (PPO: val/var_explained). */
  metrics: Record<string, number>;
}

/** One minibatch as the loss sees it, inside the gradient tape. */
export interface MinibatchView {
  mb: SequenceBatch;
  t: SequenceTensors;
  logits: tf.Tensor3D; // [b, Lr, V] policy, with gradients
  logp: tf.Tensor2D; // [b, Lr] log π of the sampled tokens at the sampling temperature
  /** Rows `idx` of a [B, Lr] array, as a tensor [b, Lr]. */
  rows: (x: number[][]) => tf.Tensor2D;
}

export interface OnlineParts {
  /** Tuned in place. */
  policy: GPT;
  /** The run's frozen reference; not owned (never disposed here). */
  reference: GPT;
  scorer: Scorer;
  /** A value model trained with the policy (PPO), owned and disposed by the trainer; null: none. */
  value: ScalarModel | null;
  ids: { eosId: number; padId: number };
  config: PPOConfig;
}

export abstract class OnlineTrainer<A extends Advantages = Advantages> {
  readonly config: PPOConfig;
  readonly policy: GPT;
  readonly reference: GPT;
  readonly value: ScalarModel | null;
  private readonly scorer: Scorer;
  private readonly ids: { eosId: number; padId: number };
  private readonly params: NamedParams;
  private readonly optimizer: AdamW;
  private readonly snapshot: PolicySnapshot;
  private iterations = 0;

  /** Names of the diagnostics `extraLoss` returns, in order. */
  protected abstract readonly extraNames: string[];

  protected constructor(parts: OnlineParts) {
    this.config = parts.config;
    this.policy = parts.policy;
    this.reference = parts.reference;
    this.value = parts.value;
    this.scorer = parts.scorer;
    this.ids = parts.ids;
    const schedule = scheduleProblem(this.config.lrWarmupIterations, this.config.lrDecayIterations);
    check(schedule === null, 'BAD_CONFIG', schedule!);
    const value = parts.value;
    // With a value model, policy and value train together on one loss, as TRL's PolicyAndValueWrapper.
    this.params = {
      entries: () => [
        ...parts.policy.params.entries(),
        ...(value?.entries().map(([n, v]) => [`value.${n}`, v] as [string, tf.Variable]) ?? []),
      ],
    };
    this.optimizer = new AdamW(this.params, {
      learningRate: this.config.learningRate,
      maxGradNorm: this.config.maxGradNorm,
      weightDecay: 0,
    });
    const stores: ParamStore[] = value === null ? [] : [value.trunk.params, value.head];
    this.snapshot = new PolicySnapshot([parts.policy.params, ...stores]);
  }

  /** The KL coefficient of this iteration. */
  get beta(): number {
    return this.config.beta;
  }

  /** Stages 4-5: the method's advantages for this rollout. */
  protected abstract advantages(r: Rollout): Promise<A>;

  /** Stage 6: the method's loss terms added to the clipped surrogate, and their diagnostics. */
  protected abstract extraLoss(v: MinibatchView, r: Rollout, a: A): { loss: tf.Scalar; diagnostics: tf.Scalar[] };

  /** Stage 8, after the metrics are taken: PPO adapts β toward its KL target. */
  protected adaptBeta?(klMean: number, samples: number): void;

  /** Stage 6: ppoEpochs passes of minibatch updates; the mean of each diagnostic. */
  private update(r: Rollout, a: A, rng: Rng, learningRate: number): Promise<Record<string, number>> {
    const c = this.config;
    const names = ['loss/policy', 'policy/clipfrac', 'policy/approxkl', ...this.extraNames];
    return minibatchUpdates(
      this.params,
      this.optimizer,
      minibatches(r.responses.length, c.numMiniBatches, c.ppoEpochs, rng),
      names,
      (idx) => {
        const mb = selectRows(r.seq, idx);
        const t = sequenceTensors(mb);
        const rows = (x: number[][]) => tf.tensor2d(idx.map((i) => x[i]));
        const logits = this.policy.lmHead(responseHidden(this.policy, mb, t)); // [b, Lr, V]
        // Matched log-probs: the ratio is that of the truncated distribution the tokens came from.
        const bias = r.kept === null ? null : keptBias(r.kept, idx, mb.Lr, this.policy.config.vocabSize);
        const logp = tokenLogProbs(restrictLogits(logits, bias), t.responseTokens, c.temperature); // [b, Lr]
        const pg = ppoPolicyLoss(logp, rows(r.logp), rows(a.advantages), t.responseMask, c.clipRange);
        const extra = this.extraLoss({ mb, t, logits, logp, rows }, r, a);
        return {
          loss: tf.add(pg.loss, extra.loss) as tf.Scalar,
          diagnostics: [pg.loss, pg.clipfrac, pg.approxkl, ...extra.diagnostics],
        };
      },
      learningRate,
    );
  }

  /**
   * This iteration's step size, after the warm-up and decay of the config, counted from this
   * trainer's first iteration (the page builds a new trainer when its settings change, a saved reward model is
   * loaded or the policy is reset or replaced; `npm run rlhf` one per run).
   */
  get learningRate(): number {
    const c = this.config;
    return scheduledLearningRate(c.learningRate, this.iterations, c.lrWarmupIterations, c.lrDecayIterations);
  }

  /** Stages 1-3 on these prompts (token ids), sampling with `seed`. */
  protected collect(prompts: number[][], seed: number): Promise<Rollout> {
    return collectRollout(this.policy, this.reference, this.value, this.scorer, prompts, {
      ...this.config,
      ...this.ids,
      seed,
    });
  }

  /** One iteration on these prompts (token ids). */
  async iteration(prompts: number[][]): Promise<IterationResult> {
    const c = this.config;
    const t0 = performance.now();
    // 1-3. rollout, score, old/reference log-probs (and values)
    const rollout = await this.collect(prompts, c.seed + 7919 * this.iterations);
    const t1 = performance.now();
    // 4-5. advantages
    const a = await this.advantages(rollout);
    const beta = this.beta;
    const learningRate = this.learningRate;
    // 6. epochs of clipped minibatch updates
    const stats = await this.update(rollout, a, new Rng(c.seed + 104729 * this.iterations), learningRate);
    // 7. snapshot
    const restored = await this.snapshot.keepOrRestore(
      stats['policy/skipped_updates'] === 0 && Number.isFinite(stats['loss/policy']),
    );
    const t2 = performance.now();
    // 8. metrics
    const klMean = mean(a.kl);
    this.adaptBeta?.(klMean, rollout.responses.length);
    this.iterations++;
    const scores = mean(rollout.scores);
    const nonScore = mean(a.nonScoreReward);
    const metrics = {
      'objective/kl': klMean,
      'objective/non_score_reward': nonScore,
      'objective/rlhf_reward': scores + nonScore,
      'objective/scores': scores,
      ...stats,
      ...a.metrics,
      beta,
      lr: learningRate,
      ...rolloutMetrics(rollout),
      'numerics/restored': restored ? 1 : 0,
      'time/rollout_ms': t1 - t0,
      'time/update_ms': t2 - t1,
    };
    return { metrics, rollout, advantages: a.advantages };
  }

  /** Frees what the trainer made (optimiser state, snapshot, value model); never the reference. */
  dispose(): void {
    this.optimizer.dispose();
    this.value?.dispose();
    this.snapshot.dispose();
  }
}
