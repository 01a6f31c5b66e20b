/**
 * Base against tuned, on held-out prompts, judged by the labeler's gold score (which the reward
 * model never saw): win-rate, mean gold score, KL to the reference, the "alignment tax" (loss on
 * held-out corpus text), and distinct-2 diversity.
 */
import * as tf from '@tensorflow/tfjs';
import { distinctN } from '../eval/distinct';
import { generateTexts, promptIds, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import { mean } from '../rl/iteration';
import { responseLogProbs } from '../rl/rollout';
import { buildSequences, sequenceTensors } from '../rl/sequences';
import { streamLoss } from '../train/pretrain';

export interface EvaluationOptions {
  prompts: string[];
  /** The hidden "true" preference: a simulated labeler's gold score. */
  gold: (prompt: string, response: string) => number;
  samplesPerPrompt: number;
  maxNewTokens: number;
  temperature: number;
  seed: number;
  /** Held-out corpus tokens for the alignment tax; skipped when absent. */
  heldOut?: Int32Array;
}

export interface Evaluation {
  /** Share of (prompt, sample) pairs where tuned's gold score beats base's (ties count half). */
  winRate: number;
  goldBase: number;
  goldTuned: number;
  /** KL(tuned || base) in nats per response, estimated on tuned's samples. */
  kl: number;
  heldOutLossBase: number;
  heldOutLossTuned: number;
  distinct2Base: number;
  distinct2Tuned: number;
  samples: { prompt: string; base: string; tuned: string; goldBase: number; goldTuned: number }[];
}

/** Mean over samples of Σ_t log π_tuned - log π_base at the sampling temperature. */
export async function klOnSamples(
  tuned: GPT,
  base: GPT,
  prompts: number[][],
  responses: number[][],
  temperature: number,
  padId: number,
): Promise<number> {
  const s = buildSequences(prompts, responses, tuned.config.blockSize, padId);
  const t = sequenceTensors(s);
  const kl = tf.tidy(() => {
    const diff = tf.sub(responseLogProbs(tuned, s, t, temperature), responseLogProbs(base, s, t, temperature)); // [B, Lr]
    return tf.sum(tf.mul(diff, t.responseMask), 1); // [B]
  });
  const values = Array.from(await kl.data());
  tf.dispose([kl, ...Object.values(t)]);
  return mean(values);
}

export async function evaluatePolicies(
  base: GPT,
  tuned: GPT,
  codec: TextCodec,
  o: EvaluationOptions,
): Promise<Evaluation> {
  const prompts = o.prompts.flatMap((p) => Array.from({ length: o.samplesPerPrompt }, () => p));
  const sampling = { maxNewTokens: o.maxNewTokens, temperature: o.temperature, seed: o.seed };
  const [b, t] = [
    await generateTexts(base, codec, prompts, sampling),
    await generateTexts(tuned, codec, prompts, sampling),
  ];
  const goldBase = b.map((g, i) => o.gold(prompts[i], g.text));
  const goldTuned = t.map((g, i) => o.gold(prompts[i], g.text));
  const wins = goldTuned.map((g, i) => (g > goldBase[i] ? 1 : g === goldBase[i] ? 0.5 : 0));
  const kl = await klOnSamples(
    tuned,
    base,
    prompts.map((p) => promptIds(codec, p)),
    t.map((g) => g.tokens),
    o.temperature,
    codec.eosId,
  );
  const [lossBase, lossTuned] =
    o.heldOut === undefined
      ? [NaN, NaN]
      : [await streamLoss(base, o.heldOut, 16), await streamLoss(tuned, o.heldOut, 16)];
  return {
    winRate: mean(wins),
    goldBase: mean(goldBase),
    goldTuned: mean(goldTuned),
    kl,
    heldOutLossBase: lossBase,
    heldOutLossTuned: lossTuned,
    distinct2Base: distinctN(
      b.map((g) => g.tokens),
      2,
    ),
    distinct2Tuned: distinctN(
      t.map((g) => g.tokens),
      2,
    ),
    samples: prompts.map((p, i) => ({
      prompt: p,
      base: b[i].text,
      tuned: t[i].text,
      goldBase: goldBase[i],
      goldTuned: goldTuned[i],
    })),
  };
}
