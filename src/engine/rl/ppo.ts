/**
 * PPO for RLHF (Ziegler et al. 2019; TRL; the N+ implementation-details paper), on the shared
 * online iteration (online.ts). What PPO adds:
 *   3. a value model, whose estimates the rollout records
 *   4. KL-shaped rewards: -β·KL on every token, the score on the last (or β·KL in the loss)
 *   5. GAE: advantages (whitened) and returns
 *   6. clipped value loss (+ entropy bonus) beside the clipped surrogate
 *   8. adapt β toward the KL target (when set)
 * and, when configured, a warm-up of the value model alone before the first policy update.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { entropy } from '../model/losses';
import { check, outOfRange } from '../errors';
import { Rng } from '../rng';
import { AdamW } from '../train/optimizer';
import {
  gae,
  klPenalty,
  klShapedRewards,
  maskedMean,
  maskedVar,
  maskedWhiten,
  mergeMoments,
  momentsStd,
  NO_MOMENTS,
  valueLoss,
  type Moments,
} from './formulas';
import { minibatches, minibatchUpdates, type IterationResult } from './iteration';
import { KLController } from './kl-controller';
import { OnlineTrainer, type Advantages, type MinibatchView } from './online';
import { DEFAULT_PPO, type PPOConfig } from './ppo-config';
import { selectRows, type Rollout, type Scorer } from './rollout';
import { ScalarModel } from './scalar-model';
import { sequenceTensors } from './sequences';

interface Shaped extends Advantages {
  returns: number[][]; // [B, Lr]
}

/** PPO's value model: a copy of the reward model (TRL), or the policy trunk with a zero head. */
function valueModel(config: PPOConfig, policy: GPT, valueStart: ScalarModel | null): ScalarModel {
  return config.valueInit === 'reward' && valueStart !== null
    ? valueStart.clone(1)
    : new ScalarModel(policy.clone(), 1, 'zeros');
}

export class PPOTrainer extends OnlineTrainer<Shaped> {
  protected readonly extraNames = ['loss/value', 'val/clipfrac', 'policy/entropy_tokens', 'loss/kl_term'];
  private readonly kl: KLController;
  private readonly critic: ScalarModel;
  /** Every score seen so far, when scores are normalised as the policy moves (runningScoreNorm). */
  private scoreMoments: Moments = NO_MOMENTS;
  private warmedUp = false;

  /**
   * Tunes `policy` in place, held near `reference` (the run's frozen anchor, not owned). The value
   * model starts from `valueStart` (the reward model, as TRL does) or, if null, from the policy
   * trunk with a zero head.
   */
  constructor(
    policy: GPT,
    reference: GPT,
    scorer: Scorer,
    valueStart: ScalarModel | null,
    ids: { eosId: number; padId: number },
    config: Partial<PPOConfig> = {},
  ) {
    const c = { ...DEFAULT_PPO, ...config };
    check(
      Number.isInteger(c.valueWarmupIterations) && c.valueWarmupIterations >= 0,
      'BAD_CONFIG',
      outOfRange(null, 'valueWarmupIterations', c.valueWarmupIterations, 'nonNegativeInteger'),
    );
    check(
      c.valueWarmupLearningRate > 0 && Number.isFinite(c.valueWarmupLearningRate),
      'BAD_CONFIG',
      outOfRange(null, 'valueWarmupLearningRate', c.valueWarmupLearningRate, 'positiveNumber'),
    );
    const value = valueModel(c, policy, valueStart);
    super({ policy, reference, scorer, ids, config: c, value });
    this.critic = value;
    this.kl = new KLController({ beta: c.beta, target: c.klTarget, horizon: c.klHorizon });
  }

  override get beta(): number {
    return this.kl.beta;
  }

  /** Stages 4-5 on the CPU-side rollout: rewards, advantages and returns as arrays. */
  protected async advantages(r: Rollout): Promise<Shaped> {
    const c = this.config;
    let scores = r.scores;
    if (c.runningScoreNorm) {
      const m = (this.scoreMoments = mergeMoments(this.scoreMoments, r.scores));
      const sd = momentsStd(m);
      scores = r.scores.map((x) => (x - m.mean) / sd);
    }
    const out = tf.tidy(() => {
      const mask = tf.tensor2d(r.seq.responseMask);
      const logp = tf.tensor2d(r.logp);
      const refLogp = tf.tensor2d(r.refLogp);
      const values = tf.mul(tf.tensor2d(r.values!), mask) as tf.Tensor2D;
      const { rewards, nonScoreReward } = klShapedRewards({
        scores: tf.tensor1d(scores),
        logp,
        refLogp,
        mask,
        // With the KL in the loss the rewards carry the score alone; the penalty is still reported.
        beta: c.klInLoss ? 0 : this.kl.beta,
        estimator: c.klEstimator,
      });
      const reported = c.klInLoss
        ? tf.mul(tf.mul(klPenalty(logp, refLogp, c.klEstimator), -this.kl.beta), mask)
        : nonScoreReward;
      const shapedRewards = c.whitenRewards ? (maskedWhiten(rewards, mask, false) as tf.Tensor2D) : rewards;
      const { advantages, returns } = gae(shapedRewards, values, mask, c.gamma, c.lambda);
      const explained = tf.sub(
        1,
        tf.div(maskedVar(tf.sub(returns, values), mask), tf.add(maskedVar(returns, mask), 1e-8)),
      );
      return {
        advantages: tf.mul(maskedWhiten(advantages, mask), mask),
        returns,
        nonScoreReward: tf.sum(reported, 1),
        kl: tf.sum(tf.mul(tf.sub(logp, refLogp), mask), 1),
        varExplained: explained,
      };
    });
    const result: Shaped = {
      advantages: (await out.advantages.array()) as number[][],
      returns: (await out.returns.array()) as number[][],
      nonScoreReward: Array.from(await out.nonScoreReward.data()),
      kl: Array.from(await out.kl.data()),
      metrics: { 'val/var_explained': (await out.varExplained.data())[0] },
    };
    tf.dispose(Object.values(out));
    return result;
  }

  /**
   * Stage 6: valueCoef·(clipped value loss) - entropyCoef·(entropy), and β·(mean KL estimate) when
   * the KL is in the loss, beside the surrogate.
   */
  protected extraLoss(v: MinibatchView, r: Rollout, s: Shaped): { loss: tf.Scalar; diagnostics: tf.Scalar[] } {
    const c = this.config;
    const vf = valueLoss(
      this.critic.tokenValues(v.mb, v.t),
      v.rows(r.values!),
      v.rows(s.returns),
      v.t.responseMask,
      c.clipRangeValue,
    );
    const ent = maskedMean(entropy(v.logits, c.temperature), v.t.responseMask) as tf.Scalar;
    const klTerm = c.klInLoss
      ? (maskedMean(klPenalty(v.logp, v.rows(r.refLogp), c.klEstimator), v.t.responseMask) as tf.Scalar)
      : tf.scalar(0);
    const loss = tf.addN([
      tf.mul(vf.loss, c.valueCoef),
      tf.neg(tf.mul(ent, c.entropyCoef)),
      tf.mul(klTerm, this.kl.beta),
    ]) as tf.Scalar;
    return { loss, diagnostics: [vf.loss, vf.clipfrac, ent, klTerm] };
  }

  /** The first iteration starts with the value model's warm-up, when the config asks for one. */
  override async iteration(prompts: number[][]): Promise<IterationResult> {
    const warmup = this.warmedUp ? null : await this.warmUpValue(prompts);
    this.warmedUp = true;
    const result = await super.iteration(prompts);
    if (warmup !== null) result.metrics['val/warmup_loss'] = warmup;
    return result;
  }

  /**
   * valueWarmupIterations rollouts of the unchanged policy on these prompts; on each, the value
   * model alone takes ppoEpochs passes of minibatch steps toward the rollout's returns (GAE's, with
   * its current values), with its own AdamW and no clipping: the clip keeps a trained critic near
   * its old values, and a warm-up is there to move it. The policy and the main optimiser's state
   * are untouched. Returns the mean value loss of the last rollout's steps, or null when off.
   */
  private async warmUpValue(prompts: number[][]): Promise<number | null> {
    const c = this.config;
    if (c.valueWarmupIterations === 0) return null;
    const critic = this.critic;
    const params = { entries: () => critic.entries() };
    const optimizer = new AdamW(params, {
      learningRate: c.valueWarmupLearningRate,
      maxGradNorm: c.maxGradNorm,
      weightDecay: 0,
    });
    const rng = new Rng(c.seed + 65537);
    let loss = NaN;
    try {
      for (let k = 0; k < c.valueWarmupIterations; k++) {
        // Seeds apart from the iterations' (seed + 7919·i): 65537 is no multiple of 7919.
        const r = await this.collect(prompts, c.seed + 65537 + 7919 * k);
        const { returns } = await this.advantages(r);
        const batches = minibatches(r.responses.length, c.numMiniBatches, c.ppoEpochs, rng);
        const passes = await minibatchUpdates(params, optimizer, batches, ['loss/value'], (idx) => {
          const mb = selectRows(r.seq, idx);
          const t = sequenceTensors(mb);
          const rows = (x: number[][]) => tf.tensor2d(idx.map((i) => x[i]));
          const vf = valueLoss(critic.tokenValues(mb, t), rows(r.values!), rows(returns), t.responseMask, Infinity);
          return { loss: vf.loss, diagnostics: [vf.loss] };
        });
        loss = passes['loss/value'];
      }
    } finally {
      optimizer.dispose();
    }
    return loss;
  }

  /** Stage 8: adaptive β. */
  protected override adaptBeta(klMean: number, samples: number): void {
    this.kl.update(klMean, samples);
  }
}
