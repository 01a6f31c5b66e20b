/**
 * Base against tuned, on held-out prompts: the win-rate and mean score by each judge given (the
 * reward model's learned preference, and a simulated labeler's gold score as a yardstick, which
 * the reward model never saw), KL to the reference, the "alignment tax" (loss on held-out corpus
 * text), and distinct-2 diversity. Every win-rate comes from `winRate` (eval/win-rate.ts): ties
 * count half, and its interval is a bootstrap over prompts.
 */
import * as tf from '@tensorflow/tfjs';
import { agreement, type Agreement } from '../eval/agreement';
import { distinctN } from '../eval/distinct';
import { pairResult, winRate, type WinRate } from '../eval/win-rate';
import { generateTexts, promptIds, type TextCodec, type TextGeneration } from '../generate/text';
import type { GPT } from '../model/gpt';
import { mean } from '../rl/iteration';
import { responseLogProbs } from '../rl/rollout';
import { buildSequences, sequenceTensors } from '../rl/sequences';
import { streamLoss } from '../train/pretrain';

export interface EvaluationOptions {
  prompts: string[];
  samplesPerPrompt: number;
  maxNewTokens: number;
  temperature: number;
  seed: number;
  /** A yardstick: a simulated labeler's gold score, which the reward model never saw; none when absent. */
  gold?: (prompt: string, response: string) => number;
  /**
   * The least gold difference the yardstick's labeler tells apart (its noticeable difference):
   * smaller ones are ties when the reward model is checked against the gold score. 0 when absent.
   */
  goldNoticeable?: number;
  /**
   * The reward model's score of a response, told whether it ended (scored with its end-of-text,
   * as labels are trained): the preference it learned; none when absent.
   */
  reward?: (prompt: string, response: string, ended: boolean) => Promise<number>;
  /** Held-out corpus tokens for the alignment tax; skipped when absent. */
  heldOut?: Int32Array;
  /** Told after each token step of each policy's sampling, then after each pair the reward model scores. */
  onProgress?: (progress: EvaluationProgress) => void | Promise<void>;
}

/** How far an evaluation is: sampling the base, sampling the tuned policy, or reward scoring. */
export interface EvaluationProgress {
  stage: 'base' | 'tuned' | 'reward';
  done: number;
  total: number;
}

/** Tuned against base, as one judge (a gold score or the reward model) sees them. */
export interface Judgement {
  /** Pairs where tuned scores higher win; equal scores tie. Bootstrapped over prompts. */
  winRate: WinRate;
  /** Mean score of each side's samples. */
  base: number;
  tuned: number;
}

export interface EvaluatedPair {
  prompt: string;
  base: string;
  tuned: string;
  goldBase: number | null;
  goldTuned: number | null;
  rewardBase: number | null;
  rewardTuned: number | null;
}

export interface Evaluation {
  /** By the yardstick's gold score; null when none was given. */
  gold: Judgement | null;
  /** By the reward model; null when none was given. */
  reward: Judgement | null;
  /**
   * How often the reward model orders a pair (base, tuned) as the gold score does, over the pairs
   * the gold score tells apart (by at least goldNoticeable); null unless both judges were given.
   */
  rewardGoldAgreement: Agreement | null;
  /** KL(tuned || base) in nats per response, estimated on tuned's samples. */
  kl: number;
  heldOutLossBase: number;
  heldOutLossTuned: number;
  distinct2Base: number;
  distinct2Tuned: number;
  samples: EvaluatedPair[];
}

/** One judge's verdict on the pairs: pair i is (base[i], tuned[i]) answering prompts[i]. */
export function judge(prompts: readonly string[], base: readonly number[], tuned: readonly number[]): Judgement {
  const outcomes = prompts.map((group, i) => ({ group, result: pairResult(tuned[i], base[i]) }));
  return { winRate: winRate(outcomes), base: mean([...base]), tuned: mean([...tuned]) };
}

export interface PolicySamples {
  /** Each prompt repeated samplesPerPrompt times, in order. */
  prompts: string[];
  base: TextGeneration[];
  tuned: TextGeneration[];
}

/**
 * Both policies' responses to each prompt, samplesPerPrompt each, with the same seed (the same
 * random numbers on both sides, so differences come from the policies).
 */
export async function samplePolicies(
  base: GPT,
  tuned: GPT,
  codec: TextCodec,
  o: Omit<EvaluationOptions, 'gold' | 'reward' | 'heldOut'>,
): Promise<PolicySamples> {
  const prompts = o.prompts.flatMap((p) => Array.from({ length: o.samplesPerPrompt }, () => p));
  const sample = async (model: GPT, stage: 'base' | 'tuned'): Promise<TextGeneration[]> => {
    const total = o.maxNewTokens;
    const onStep = (done: number) => o.onProgress?.({ stage, done, total });
    const texts = await generateTexts(model, codec, prompts, { ...samplingOf(o), onStep });
    await o.onProgress?.({ stage, done: total, total });
    return texts;
  };
  return { prompts, base: await sample(base, 'base'), tuned: await sample(tuned, 'tuned') };
}

function samplingOf(o: { maxNewTokens: number; temperature: number; seed: number }) {
  return { maxNewTokens: o.maxNewTokens, temperature: o.temperature, seed: o.seed };
}

/** Each pair's reward-model scores, base then tuned, reporting progress pair by pair. */
async function rewardScores(
  s: PolicySamples,
  o: EvaluationOptions,
  eosId: number,
): Promise<{ base: number[]; tuned: number[] }> {
  const scores = { base: [] as number[], tuned: [] as number[] };
  if (o.reward === undefined) return scores;
  const ended = (g: TextGeneration) => g.tokens.at(-1) === eosId;
  for (let i = 0; i < s.prompts.length; i++) {
    scores.base.push(await o.reward(s.prompts[i], s.base[i].text, ended(s.base[i])));
    scores.tuned.push(await o.reward(s.prompts[i], s.tuned[i].text, ended(s.tuned[i])));
    await o.onProgress?.({ stage: 'reward', done: i + 1, total: s.prompts.length });
  }
  return scores;
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

/** Base against tuned on `prompts`; see the file's comment for what is measured. */
export async function evaluatePolicies(
  base: GPT,
  tuned: GPT,
  codec: TextCodec,
  o: EvaluationOptions,
): Promise<Evaluation> {
  const s = await samplePolicies(base, tuned, codec, o);
  const { prompts, base: b, tuned: t } = s;
  const scoreAll = (score: (p: string, r: string) => number) => ({
    base: b.map((g, i) => score(prompts[i], g.text)),
    tuned: t.map((g, i) => score(prompts[i], g.text)),
  });
  const gold = o.gold === undefined ? null : scoreAll(o.gold);
  const reward = o.reward === undefined ? null : await rewardScores(s, o, codec.eosId);
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
    gold: gold === null ? null : judge(prompts, gold.base, gold.tuned),
    reward: reward === null ? null : judge(prompts, reward.base, reward.tuned),
    rewardGoldAgreement:
      gold === null || reward === null
        ? null
        : agreement(
            gold.base.map((g, i) => [g, gold.tuned[i]]),
            reward.base.map((r, i) => [r, reward.tuned[i]]),
            o.goldNoticeable,
          ),
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
      goldBase: gold?.base[i] ?? null,
      goldTuned: gold?.tuned[i] ?? null,
      rewardBase: reward?.base[i] ?? null,
      rewardTuned: reward?.tuned[i] ?? null,
    })),
  };
}
