/**
 * Direct Preference Optimisation (Rafailov et al. 2023): learns from the preference log directly,
 * with no reward model and no sampling. The implicit reward is β·(log π - log π_ref) summed over a
 * response; the loss is Bradley-Terry on those rewards. β = 0.1 as in the paper and TRL.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { tokenLogProbs } from '../model/losses';
import { dpoLoss, sequenceLogProb } from './formulas';
import type { IterationResult } from './iteration';
import { DEFAULT_DPO, type DPOConfig } from './algorithm-defaults';
import { OfflineRunner } from './offline';
import type { PreferencePair } from './preferences';
import { buildSequences, responseHidden, sequenceTensors } from './sequences';

export { DEFAULT_DPO, type DPOConfig } from './algorithm-defaults';

export class DPOTrainer {
  readonly config: DPOConfig;
  readonly policy: GPT;
  readonly reference: GPT;
  private readonly runner: OfflineRunner;
  private readonly padId: number;
  private pairs: PreferencePair[] = [];

  /**
   * Tunes `policy` in place; `reference` is the run's frozen anchor of the implicit reward (not
   * owned: the trainer never disposes it).
   */
  constructor(policy: GPT, reference: GPT, padId: number, config: Partial<DPOConfig> = {}) {
    this.config = { ...DEFAULT_DPO, ...config };
    this.policy = policy;
    this.reference = reference;
    this.padId = padId;
    this.runner = new OfflineRunner(policy, this.config);
  }

  /** The preference pairs to learn from (the whole log so far). */
  setPairs(pairs: PreferencePair[]): void {
    this.pairs = pairs;
  }

  /** Sequence log-probs of chosen then rejected responses under `model`: [2b]. */
  private sequenceLogps(model: GPT, batch: PreferencePair[]): tf.Tensor1D {
    const prompts = batch.map((p) => p.prompt);
    const s = buildSequences(
      [...prompts, ...prompts],
      [...batch.map((p) => p.chosen), ...batch.map((p) => p.rejected)],
      model.config.blockSize,
      this.padId,
    );
    const t = sequenceTensors(s);
    const logp = tokenLogProbs(model.lmHead(responseHidden(model, s, t)), t.responseTokens); // [2b, Lr]
    return sequenceLogProb(logp, t.responseMask); // [2b]
  }

  private loss(batch: PreferencePair[]): { loss: tf.Scalar; diagnostics: tf.Scalar[] } {
    const b = batch.length;
    const policy = this.sequenceLogps(this.policy, batch);
    // Gradients flow only to the policy's variables, so the reference needs no stop-gradient.
    const ref = this.sequenceLogps(this.reference, batch);
    const out = dpoLoss(
      {
        policyChosenLogps: tf.slice(policy, 0, b),
        policyRejectedLogps: tf.slice(policy, b, b),
        refChosenLogps: tf.slice(ref, 0, b),
        refRejectedLogps: tf.slice(ref, b, b),
        target: tf.tensor1d(batch.map((p) => p.target)),
      },
      this.config.beta,
    );
    const chosen = tf.mean(out.chosenRewards) as tf.Scalar;
    const rejected = tf.mean(out.rejectedRewards) as tf.Scalar;
    return {
      loss: out.loss,
      diagnostics: [out.loss, chosen, rejected, out.rewardAccuracy, tf.sub(chosen, rejected) as tf.Scalar],
    };
  }

  /** One pass over the preference pairs. Metric names follow TRL's DPOTrainer. */
  async iteration(): Promise<IterationResult> {
    const started = performance.now();
    const names = ['loss/policy', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins'];
    const stats = await this.runner.run(this.pairs, names, (b) => this.loss(b), {
      code: 'DPO_NEEDS_PAIRS',
      params: { needed: 1 },
    });
    return { metrics: { ...stats, beta: this.config.beta, 'time/update_ms': performance.now() - started } };
  }

  dispose(): void {
    this.runner.dispose();
  }
}
