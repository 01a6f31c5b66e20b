/**
 * The reward model as a judge: fresh pairs from the current policy, each scored by the reward
 * model the person's labels trained, become extra preference pairs for DPO. RLHF's own
 * amplification (a few human labels teach a judge, the judge labels many more), offline: DPO
 * learns from them as from labels, with the judge's confidence as a soft target,
 *   target = P(a ≻ b) = σ(mean over heads of r_a - r_b),
 * so a pair the judge cannot tell apart (target near 0.5) teaches almost nothing.
 */
import { promptIds, responseIds, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import { labelKey, type PreferencePair } from '../rl/preferences';
import type { RewardModel } from '../rl/reward-model';
import type { Rng } from '../rng';
import { samplePairs, type PairSampling } from './labeling';

/** Keys of judged pairs start here, apart from the label ids a run's labels are keyed by. */
const JUDGED_KEY = 0x7fffffff;

export interface JudgedPairs {
  pairs: PreferencePair[];
  /** Mean of |P(a ≻ b) - 0.5| over the pairs: 0 when the judge sees no difference, 0.5 when it is sure. */
  confidence: number;
}

/** `count` pairs sampled from `policy` on `prompts`, judged by `reward`. */
export async function judgePairs(
  policy: GPT,
  codec: TextCodec,
  prompts: string[],
  count: number,
  reward: RewardModel,
  sampling: PairSampling,
  rng: Rng,
): Promise<JudgedPairs> {
  if (count === 0) return { pairs: [], confidence: 0 };
  const asked = await samplePairs(policy, codec, prompts, count, null, { ...sampling, candidates: 1 }, rng);
  // Scored on the tokens a label of the same pair would train on (end-of-text where it ended).
  const a = asked.map((p) => responseIds(codec, p.a, p.aEnded));
  const b = asked.map((p) => responseIds(codec, p.b, p.bEnded));
  const prompt = asked.map((p) => promptIds(codec, p.prompt));
  const { pA } = await reward.comparePairs(prompt, a, b);
  const pairs = asked.map((_, i): PreferencePair => ({
    key: labelKey(JUDGED_KEY, i),
    prompt: prompt[i],
    chosen: a[i],
    rejected: b[i],
    target: pA[i],
  }));
  const confidence = pA.reduce((s, p) => s + Math.abs(p - 0.5), 0) / Math.max(1, pA.length);
  return { pairs, confidence };
}
