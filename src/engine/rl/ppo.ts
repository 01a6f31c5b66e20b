/**
 * PPO for RLHF, one iteration at a time, in the stages of Ziegler et al. (2019) as TRL and the
 * N+ implementation-details paper describe them:
 *   1. rollout: several responses per prompt from the current policy
 *   2. score: reward model on each response, minus a penalty if it never ended
 *   3. old log-probs (policy), reference log-probs, values: forward passes, no gradients
 *   4. KL-shaped rewards: -β·KL on every token, the score on the last
 *   5. GAE: advantages (whitened) and returns
 *   6. PPO epochs over minibatches: clipped surrogate + clipped value loss (+ entropy bonus)
 *   7. adapt β toward the KL target (when set), and report TRL-named metrics
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import type { NamedParams } from '../model/params';
import { entropy, tokenLogProbs } from '../model/losses';
import { Rng } from '../rng';
import { AdamW } from '../train/optimizer';
import { gae, klShapedRewards, maskedMean, maskedVar, maskedWhiten, ppoPolicyLoss, valueLoss } from './formulas';
import { KLController } from './kl-controller';
import { DEFAULT_PPO, type PPOConfig } from './ppo-config';
import { collectRollout, selectRows, type Rollout, type Scorer } from './rollout';
import { ScalarModel } from './scalar-model';
import { responseHidden, sequenceTensors } from './sequences';
import { mean, minibatches, minibatchUpdates, PolicySnapshot, rolloutMetrics, type IterationResult } from './iteration';

interface Shaped {
  advantages: number[][];
  returns: number[][];
  nonScoreReward: number[]; // per response
  kl: number[]; // per response, k1 summed over tokens
  varExplained: number;
}

export class PPOTrainer {
  readonly config: PPOConfig;
  readonly policy: GPT;
  readonly reference: GPT;
  readonly value: ScalarModel;
  private readonly scorer: Scorer;
  private readonly params: NamedParams;
  private readonly optimizer: AdamW;
  private readonly kl: KLController;
  private readonly snapshot: PolicySnapshot;
  private readonly ids: { eosId: number; padId: number };
  private iterations = 0;

  /**
   * Tunes `policy` in place. The reference is a frozen copy of the policy as it is now. The value
   * model starts from `valueStart` (the reward model, as TRL does) or, if null, from the policy
   * trunk with a zero head.
   */
  constructor(
    policy: GPT,
    scorer: Scorer,
    valueStart: ScalarModel | null,
    ids: { eosId: number; padId: number },
    config: Partial<PPOConfig> = {},
  ) {
    this.config = { ...DEFAULT_PPO, ...config };
    this.policy = policy;
    this.reference = policy.clone();
    this.scorer = scorer;
    this.ids = ids;
    this.value =
      this.config.valueInit === 'reward' && valueStart !== null
        ? valueStart.clone(1)
        : new ScalarModel(policy.clone(), 1, 'zeros');
    // Policy and value train together on pg_loss + valueCoef·vf_loss, as TRL's PolicyAndValueWrapper.
    this.params = {
      entries: () => [
        ...policy.params.entries(),
        ...this.value.entries().map(([n, v]) => [`value.${n}`, v] as [string, tf.Variable]),
      ],
    };
    this.optimizer = new AdamW(this.params, {
      learningRate: this.config.learningRate,
      maxGradNorm: this.config.maxGradNorm,
      weightDecay: 0,
    });
    this.kl = new KLController({
      beta: this.config.beta,
      target: this.config.klTarget,
      horizon: this.config.klHorizon,
    });
    this.snapshot = new PolicySnapshot([policy.params, this.value.trunk.params, this.value.head]);
  }

  get beta(): number {
    return this.kl.beta;
  }

  /** Stages 4-5 on the CPU-side rollout: rewards, advantages and returns as arrays. */
  private async shape(r: Rollout): Promise<Shaped> {
    const c = this.config;
    const out = tf.tidy(() => {
      const mask = tf.tensor2d(r.seq.responseMask);
      const logp = tf.tensor2d(r.logp);
      const refLogp = tf.tensor2d(r.refLogp);
      const values = tf.mul(tf.tensor2d(r.values!), mask) as tf.Tensor2D;
      const { rewards, nonScoreReward } = klShapedRewards({
        scores: tf.tensor1d(r.scores),
        logp,
        refLogp,
        mask,
        beta: this.kl.beta,
        estimator: c.klEstimator,
      });
      const shapedRewards = c.whitenRewards ? (maskedWhiten(rewards, mask, false) as tf.Tensor2D) : rewards;
      const { advantages, returns } = gae(shapedRewards, values, mask, c.gamma, c.lambda);
      const explained = tf.sub(
        1,
        tf.div(maskedVar(tf.sub(returns, values), mask), tf.add(maskedVar(returns, mask), 1e-8)),
      );
      return {
        advantages: tf.mul(maskedWhiten(advantages, mask), mask),
        returns,
        nonScoreReward: tf.sum(nonScoreReward, 1),
        kl: tf.sum(tf.mul(tf.sub(logp, refLogp), mask), 1),
        varExplained: explained,
      };
    });
    const result: Shaped = {
      advantages: (await out.advantages.array()) as number[][],
      returns: (await out.returns.array()) as number[][],
      nonScoreReward: Array.from(await out.nonScoreReward.data()),
      kl: Array.from(await out.kl.data()),
      varExplained: (await out.varExplained.data())[0],
    };
    tf.dispose(Object.values(out));
    return result;
  }

  /** Stage 6: ppoEpochs passes of minibatch updates. Returns the mean of each diagnostic. */
  private update(r: Rollout, s: Shaped, rng: Rng): Promise<Record<string, number>> {
    const c = this.config;
    const names = [
      'loss/policy',
      'loss/value',
      'policy/clipfrac',
      'policy/approxkl',
      'val/clipfrac',
      'policy/entropy_tokens',
    ];
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
        const logp = tokenLogProbs(logits, t.responseTokens, c.temperature); // [b, Lr]
        const pg = ppoPolicyLoss(logp, rows(r.logp), rows(s.advantages), t.responseMask, c.clipRange);
        const vf = valueLoss(
          this.value.tokenValues(mb, t),
          rows(r.values!),
          rows(s.returns),
          t.responseMask,
          c.clipRangeValue,
        );
        const ent = maskedMean(entropy(logits, c.temperature), t.responseMask) as tf.Scalar;
        const loss = tf.sub(tf.add(pg.loss, tf.mul(vf.loss, c.valueCoef)), tf.mul(ent, c.entropyCoef)) as tf.Scalar;
        return { loss, diagnostics: [pg.loss, vf.loss, pg.clipfrac, pg.approxkl, vf.clipfrac, ent] };
      },
    );
  }

  /** One PPO iteration on these prompts (token ids). */
  async iteration(prompts: number[][]): Promise<IterationResult> {
    const c = this.config;
    const t0 = performance.now();
    // 1-3. rollout, score, old/reference log-probs and values
    const rollout = await collectRollout(this.policy, this.reference, this.value, this.scorer, prompts, {
      ...c,
      ...this.ids,
      seed: c.seed + 7919 * this.iterations,
    });
    const t1 = performance.now();
    // 4-5. KL-shaped rewards, GAE
    const shaped = await this.shape(rollout);
    const beta = this.kl.beta;
    // 6. PPO epochs
    const rng = new Rng(c.seed + 104729 * this.iterations);
    const updateStats = await this.update(rollout, shaped, rng);
    const restored = await this.snapshot.keepOrRestore(
      updateStats['policy/skipped_updates'] === 0 && Number.isFinite(updateStats['loss/policy']),
    );
    const t2 = performance.now();
    // 7. adaptive β and metrics
    const klMean = mean(shaped.kl);
    this.kl.update(klMean, rollout.responses.length);
    this.iterations++;
    const scores = mean(rollout.scores);
    const nonScore = mean(shaped.nonScoreReward);
    const metrics = {
      'objective/kl': klMean,
      'objective/non_score_reward': nonScore,
      'objective/rlhf_reward': scores + nonScore,
      'objective/scores': scores,
      ...updateStats,
      'val/var_explained': shaped.varExplained,
      beta,
      ...rolloutMetrics(rollout),
      'numerics/restored': restored ? 1 : 0,
      'time/rollout_ms': t1 - t0,
      'time/update_ms': t2 - t1,
    };
    return { metrics, rollout, advantages: shaped.advantages };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.reference.dispose();
    this.value.dispose();
    this.snapshot.dispose();
  }
}
