/**
 * The reward model: the policy's trunk plus an ensemble of K scalar heads, trained with the
 * Bradley-Terry loss -log σ(r_chosen - r_rejected) on labelled pairs. Each head sees its own
 * bootstrap resample of the pairs (Poisson(1) weights), so where labels are scarce the heads
 * disagree: that disagreement drives active learning and is shown to the user as uncertainty.
 * Scores are normalised to mean 0, std 1 on samples of the reference policy.
 */
import * as tf from '@tensorflow/tfjs';
import { check, outOfRange } from '../errors';
import { textTokens, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import type { NamedParams } from '../model/params';
import { Rng } from '../rng';
import { AdamW, lossAndGrads } from '../train/optimizer';
import { bradleyTerryLosses, smoothTarget } from './formulas';
import { bootstrapWeight, isHeldOut, type PreferencePair } from './preferences';
import { ScalarModel } from './scalar-model';
import { evaluateHeldOut, type HeldOutOutcome, type RewardEvaluation } from './reward-evaluation';
import { buildSequences, sequenceTensors, type SequenceBatch, type SequenceTensors } from './sequences';
import { DEFAULT_REWARD, REWARD_POOLINGS, type RewardConfig } from './reward-config';

export { DEFAULT_REWARD, REWARD_POOLINGS, type RewardConfig, type RewardPooling } from './reward-config';
export type { CalibrationBin, HeldOutOutcome, RewardEvaluation } from './reward-evaluation';

export interface RewardScores {
  /** Ensemble mean of the normalised score, per response. */
  mean: number[];
  /** Standard deviation across heads: how unsure the ensemble is. */
  disagreement: number[];
}

/** Named sequences for a batch of pairs: chosen rows first, then rejected rows. */
function pairSequences(pairs: PreferencePair[], blockSize: number, padId: number): SequenceBatch {
  return buildSequences(
    [...pairs.map((p) => p.prompt), ...pairs.map((p) => p.prompt)],
    [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)],
    blockSize,
    padId,
  );
}

/**
 * Whether the weight `name` (a trunk weight, `transformer.…`, or a head's) trains when only the
 * last `layers` of `nLayer` blocks do (0: every weight): those blocks, the final layer norm and
 * the heads train; the embeddings and earlier blocks do not.
 */
export function trainableWeight(nLayer: number, layers: number): (name: string) => boolean {
  return (name) => {
    if (layers === 0 || !name.startsWith('transformer.')) return true;
    const block = /^transformer\.h\.(\d+)\./.exec(name);
    if (block !== null) return Number(block[1]) >= nLayer - layers;
    return name.startsWith('transformer.ln_f.');
  };
}

export class RewardModel {
  readonly model: ScalarModel;
  readonly config: RewardConfig;
  private readonly padId: number;
  private readonly optimizer: AdamW;
  /** The weights training moves: all of them, the last `trainableLayers` blocks and the heads, or the heads alone. */
  private readonly trained: NamedParams;
  /** Raw-score mean and std on reference samples (see normalize()). */
  normalization = { mean: 0, std: 1 };
  /** Reads every scored response as its text (see textTokens), the way labels are trained on. */
  private readonly codec: TextCodec | null;

  /**
   * Starts from a copy of the policy's weights (the policy itself is untouched). With a codec,
   * every response scored is first read as its text, with end-of-text when it ended: exactly the
   * ids a label of that response trains on (preferences.ts), whatever spelling was sampled.
   */
  constructor(policy: GPT, padId: number, config: Partial<RewardConfig> = {}, codec: TextCodec | null = null) {
    this.config = { ...DEFAULT_REWARD, ...config };
    this.padId = padId;
    this.codec = codec;
    const layers = this.config.trainableLayers;
    const nLayer = policy.config.nLayer;
    check(Number.isInteger(layers) && layers >= 0 && layers <= nLayer, 'BAD_CONFIG', {
      code: 'NUMBER_BETWEEN',
      params: {
        file: null,
        field: 'trainableLayers',
        got: String(layers),
        min: 1,
        max: nLayer,
        integer: true,
        zeroTurnsOff: true,
      },
    });
    const pooling = this.config.pooling;
    check(REWARD_POOLINGS.includes(pooling), 'BAD_CONFIG', {
      code: 'FIELD_TYPE',
      params: { field: 'pooling', expected: 'choice', choices: [...REWARD_POOLINGS], got: JSON.stringify(pooling) },
    });
    const patience = this.config.earlyStopPatience;
    check(
      Number.isInteger(patience) && patience >= 0,
      'BAD_CONFIG',
      outOfRange(null, 'earlyStopPatience', patience, 'nonNegativeInteger'),
    );
    this.model = new ScalarModel(
      policy.clone(),
      this.config.ensembleSize,
      'normal',
      this.config.seed,
      this.config.pooling,
    );
    const model = this.model;
    const trains = trainableWeight(nLayer, layers);
    this.trained = this.config.frozenTrunk
      ? model.head
      : layers === 0
        ? model
        : { entries: () => model.entries().filter(([name]) => trains(name)) };
    this.optimizer = new AdamW(this.trained, { learningRate: this.config.learningRate, weightDecay: 0 });
  }

  /** Weighted Bradley-Terry loss of a batch, every head: scores [2b, K] -> scalar. */
  private batchLoss(pairs: PreferencePair[], s: SequenceBatch, t: SequenceTensors, delta?: tf.Tensor3D): tf.Scalar {
    const b = pairs.length;
    const K = this.config.ensembleSize;
    const scores = this.model.sequenceScores(s, t, delta); // [2b, K]
    const rChosen = tf.slice(scores, [0, 0], [b, K]); // [b, K]
    const rRejected = tf.slice(scores, [b, 0], [b, K]); // [b, K]
    const target = smoothTarget(
      tf.tensor2d(
        pairs.map((p) => [p.target]),
        [b, 1],
      ),
      this.config.labelSmoothing,
    ); // [b, 1]
    const weights = tf.tensor2d(
      pairs.map((p) => Array.from({ length: K }, (_, k) => bootstrapWeight(this.config.seed, k, p.key))),
      [b, K],
    );
    const losses = bradleyTerryLosses(rChosen, rRejected, tf.broadcastTo(target, [b, K])); // [b, K]
    return tf.div(tf.sum(tf.mul(losses, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
  }

  /** The FGM perturbation: ε · g / ‖g‖ per sequence, g the loss gradient w.r.t. input embeddings. */
  private adversarialDelta(pairs: PreferencePair[], s: SequenceBatch, t: SequenceTensors): tf.Tensor3D {
    const shape: [number, number, number] = [s.ids.length, s.Lq + s.Lr, this.model.trunk.config.nEmbd];
    const g = tf.grad((d: tf.Tensor) => this.batchLoss(pairs, s, t, d as tf.Tensor3D))(tf.zeros(shape)) as tf.Tensor3D;
    const norm = tf.sqrt(tf.sum(tf.square(g), [1, 2], true)); // [2b, 1, 1]
    return tf.mul(tf.div(g, tf.add(norm, 1e-12)), this.config.fgmEpsilon);
  }

  /** One optimiser step on a batch of pairs. Returns the loss. */
  private async step(pairs: PreferencePair[]): Promise<number> {
    const s = pairSequences(pairs, this.model.trunk.config.blockSize, this.padId);
    const t = sequenceTensors(s);
    const delta = this.config.fgmEpsilon > 0 ? tf.tidy(() => this.adversarialDelta(pairs, s, t)) : undefined;
    const { loss, grads } = lossAndGrads(this.trained, () => {
      const clean = this.batchLoss(pairs, s, t);
      return delta === undefined ? clean : tf.add(clean, this.batchLoss(pairs, s, t, delta));
    });
    const value = (await loss.data())[0];
    await this.optimizer.step(grads);
    tf.dispose([loss, ...grads.values(), ...Object.values(t), ...(delta ? [delta] : [])]);
    return value;
  }

  /**
   * The ensemble's out-of-bag loss on `pairs`: each head's Bradley-Terry loss on the pairs its
   * bootstrap resample left out (weight 0), averaged over every such (pair, head); NaN when no
   * head left any out.
   */
  async outOfBagLoss(pairs: PreferencePair[]): Promise<number> {
    const K = this.config.ensembleSize;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < pairs.length; i += 16) {
      const batch = pairs.slice(i, i + 16);
      const out = batch.map((p) =>
        Array.from({ length: K }, (_, k) => bootstrapWeight(this.config.seed, k, p.key) === 0),
      );
      if (!out.some((row) => row.some(Boolean))) continue;
      const s = pairSequences(batch, this.model.trunk.config.blockSize, this.padId);
      const losses = tf.tidy(() => {
        const scores = this.model.sequenceScores(s, sequenceTensors(s)); // [2b, K]
        const b = batch.length;
        const target = tf.broadcastTo(
          tf.tensor2d(
            batch.map((p) => [p.target]),
            [b, 1],
          ),
          [b, K],
        );
        return bradleyTerryLosses(tf.slice(scores, [0, 0], [b, K]), tf.slice(scores, [b, 0], [b, K]), target);
      });
      const values = (await losses.array()) as number[][];
      losses.dispose();
      values.forEach((row, j) =>
        row.forEach((loss, k) => {
          if (!out[j][k]) return;
          sum += loss;
          count++;
        }),
      );
    }
    return count === 0 ? NaN : sum / count;
  }

  /**
   * Trains on every pair not held out (see isHeldOut) for config.epochs passes, or as many more
   * as config.minSteps asks, stopping early when config.earlyStopPatience says so; returns the
   * mean loss of each pass made. `onStep(done, total, loss)` reports progress (`total` as
   * planned).
   */
  async train(all: PreferencePair[], onStep?: (done: number, total: number, loss: number) => void): Promise<number[]> {
    const trainIdx = all.map((_, i) => i).filter((i) => !isHeldOut(all[i].key));
    check(trainIdx.length > 0, 'NOT_ENOUGH_LABELS', {
      code: 'NO_PAIRS_TO_TRAIN',
      params: { algorithm: null, reason: all.length === 0 ? 'none' : 'allHeldOut', count: all.length },
    });
    const rng = new Rng(this.config.seed + this.optimizer.stepCount);
    const B = this.config.batchSize;
    const perEpoch = Math.ceil(trainIdx.length / B);
    const epochs = Math.max(this.config.epochs, Math.ceil(this.config.minSteps / perEpoch));
    const total = epochs * perEpoch;
    const epochLosses: number[] = [];
    const patience = this.config.earlyStopPatience;
    // Labelled pairs only: a marked word's pair repeats its label's text under its own bootstrap weights.
    const training = trainIdx.map((i) => all[i]).filter((p) => p.fromMark !== true);
    let best = Infinity;
    let stale = 0;
    let done = 0;
    for (let e = 0; e < epochs && (patience === 0 || e < this.config.epochs || stale < patience); e++) {
      const order = rng.shuffle([...trainIdx]);
      let sum = 0;
      for (let i = 0; i < order.length; i += B) {
        const loss = await this.step(order.slice(i, i + B).map((j) => all[j]));
        sum += loss * Math.min(B, order.length - i);
        onStep?.(++done, total, loss);
      }
      epochLosses.push(sum / order.length);
      if (patience > 0) {
        // No out-of-bag pair at all (a tiny set): nothing says stop, so the planned passes run.
        const oob = await this.outOfBagLoss(training);
        if (oob < best) [best, stale] = [oob, 0];
        else if (!Number.isNaN(oob)) stale++;
      }
    }
    return epochLosses;
  }

  /** The ids the model reads for each response: as given, or as its text reads when it has a codec. */
  reads(responses: readonly number[][]): number[][] {
    const codec = this.codec;
    return codec === null ? responses.map((r) => [...r]) : responses.map((r) => textTokens(codec, r));
  }

  /** Raw (unnormalised) scores of every head: [n][K]. */
  private async rawScores(prompts: number[][], given: number[][]): Promise<number[][]> {
    const responses = this.reads(given);
    const out: number[][] = [];
    const B = 16;
    for (let i = 0; i < prompts.length; i += B) {
      const s = buildSequences(
        prompts.slice(i, i + B),
        responses.slice(i, i + B),
        this.model.trunk.config.blockSize,
        this.padId,
      );
      const scores = tf.tidy(() => this.model.sequenceScores(s, sequenceTensors(s)));
      out.push(...((await scores.array()) as number[][]));
      scores.dispose();
    }
    return out;
  }

  /** Normalised ensemble scores and disagreement for each (prompt, response). */
  async score(prompts: number[][], responses: number[][]): Promise<RewardScores> {
    const raw = await this.rawScores(prompts, responses);
    const { mean: m, std: sd } = this.normalization;
    const normed = raw.map((row) => row.map((r) => (r - m) / sd));
    const mean = normed.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
    const disagreement = normed.map((row, i) =>
      Math.sqrt(row.reduce((a, r) => a + (r - mean[i]) ** 2, 0) / row.length),
    );
    return { mean, disagreement };
  }

  /**
   * For pairs (prompt, a, b): the ensemble's P(a better than b) and its uncertainty, the standard
   * deviation across heads of r_a - r_b. Active learning labels the pairs with the largest.
   */
  async comparePairs(
    prompts: number[][],
    a: number[][],
    b: number[][],
  ): Promise<{ pA: number[]; uncertainty: number[] }> {
    const ra = await this.rawScores(prompts, a);
    const rb = await this.rawScores(prompts, b);
    const diffs = ra.map((row, i) => row.map((x, k) => x - rb[i][k]));
    const meanDiff = diffs.map((d) => d.reduce((s, x) => s + x, 0) / d.length);
    return {
      pA: meanDiff.map((d) => 1 / (1 + Math.exp(-d))),
      uncertainty: diffs.map((d, i) => Math.sqrt(d.reduce((s, x) => s + (x - meanDiff[i]) ** 2, 0) / d.length)),
    };
  }

  /** Sets the normalisation so the ensemble-mean score is mean 0, std 1 on these (reference) samples. */
  async normalize(prompts: number[][], responses: number[][]): Promise<void> {
    const raw = (await this.rawScores(prompts, responses)).map((row) => row.reduce((a, b) => a + b, 0) / row.length);
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const std = Math.sqrt(raw.reduce((a, r) => a + (r - mean) ** 2, 0) / raw.length);
    this.normalization = { mean, std: std > 1e-6 ? std : 1 };
  }

  /** The held-out evaluation (reward-evaluation.ts). */
  evaluate(all: PreferencePair[]): Promise<RewardEvaluation & { perPair: HeldOutOutcome[] }> {
    return evaluateHeldOut(this, all);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
