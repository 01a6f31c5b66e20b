/**
 * Supervised fine-tuning on demonstrations (prompt + ideal response, e.g. a response the user
 * edited into a better one): cross-entropy on the response tokens only, the prompt is context.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { maskedCrossEntropy } from '../model/losses';
import type { IterationResult } from './iteration';
import { DEFAULT_SFT, type SFTConfig } from './algorithm-defaults';
import { OfflineRunner } from './offline';
import { buildSequences, responseHidden, sequenceTensors } from './sequences';

export interface Demonstration {
  prompt: number[];
  /** The ideal response, ending with end-of-text so the model also learns where to stop. */
  response: number[];
}

export { DEFAULT_SFT, type SFTConfig } from './algorithm-defaults';

export class SFTTrainer {
  readonly policy: GPT;
  private readonly runner: OfflineRunner;
  private readonly padId: number;
  private demonstrations: Demonstration[] = [];

  constructor(policy: GPT, padId: number, config: Partial<SFTConfig> = {}) {
    this.policy = policy;
    this.padId = padId;
    this.runner = new OfflineRunner(policy, { ...DEFAULT_SFT, ...config });
  }

  setDemonstrations(demonstrations: Demonstration[]): void {
    this.demonstrations = demonstrations;
  }

  /** Mean response-token cross-entropy of a batch: the SFT loss. */
  private loss(batch: Demonstration[]): { loss: tf.Scalar; diagnostics: tf.Scalar[] } {
    const s = buildSequences(
      batch.map((d) => d.prompt),
      batch.map((d) => d.response),
      this.policy.config.blockSize,
      this.padId,
    );
    const t = sequenceTensors(s);
    const logits = this.policy.lmHead(responseHidden(this.policy, s, t)); // [b, Lr, V]
    const loss = maskedCrossEntropy(logits, t.responseTokens, t.responseMask);
    return { loss, diagnostics: [loss] };
  }

  /** One pass over the demonstrations. */
  async iteration(): Promise<IterationResult> {
    const started = performance.now();
    const stats = await this.runner.run(this.demonstrations, ['loss/sft'], (b) => this.loss(b), {
      code: 'SFT_NEEDS_DEMONSTRATIONS',
      params: {},
    });
    return { metrics: { ...stats, 'time/update_ms': performance.now() - started } };
  }

  dispose(): void {
    this.runner.dispose();
  }
}
