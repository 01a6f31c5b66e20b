/**
 * Rejection-sampling fine-tuning (best-of-n; RAFT, Dong et al. 2023; the Improve step of ReST,
 * Gulcehre et al. 2023; Llama 2's rejection sampling): the policy samples `candidates` responses
 * to each of `count` prompts, the reward model the person's labels trained keeps the best of each,
 * and supervised fine-tuning on those demonstrations moves the policy toward what the reward model
 * prefers. The few human labels teach the judge; the judge picks from many samples.
 */
import { promptIds, generateTexts, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import type { Demonstration } from '../rl/sft';
import type { Scorer } from '../rl/rollout';
import type { Rng } from '../rng';

export interface BestOfNSampling {
  maxNewTokens: number;
  temperature: number;
}

export interface BestOfN {
  /** One per prompt drawn: the prompt and its best-scored response (ending in end-of-text where it ended). */
  demonstrations: Demonstration[];
  /** Mean reward-model score of the kept responses, and of all the candidates. */
  keptScore: number;
  candidateScore: number;
}

/** The index of the largest value of each consecutive group of `size` values (the first on a tie). */
export function bestOfEachGroup(scores: number[], size: number): number[] {
  const best: number[] = [];
  for (let start = 0; start < scores.length; start += size) {
    let top = start;
    for (let i = start + 1; i < Math.min(start + size, scores.length); i++) if (scores[i] > scores[top]) top = i;
    best.push(top);
  }
  return best;
}

/** `count` prompts drawn from `prompts`, `candidates` samples of each from `policy`, the best of each by `reward`. */
export async function bestOfN(
  policy: GPT,
  codec: TextCodec,
  prompts: string[],
  count: number,
  candidates: number,
  reward: Scorer,
  sampling: BestOfNSampling,
  rng: Rng,
): Promise<BestOfN> {
  if (count === 0) return { demonstrations: [], keptScore: NaN, candidateScore: NaN };
  const picked = Array.from({ length: count }, () => prompts[rng.int(prompts.length)]);
  const texts = await generateTexts(
    policy,
    codec,
    picked.flatMap((p) => Array<string>(candidates).fill(p)),
    { maxNewTokens: sampling.maxNewTokens, temperature: sampling.temperature, seed: rng.nextUint32() },
  );
  const ids = picked.map((p) => promptIds(codec, p));
  // The reward model's own scores of the tokens as sampled (end-of-text included). Unlike a
  // rollout's, no missing-end-of-text penalty: the pick is the reward model's preference alone.
  const { mean } = await reward.score(
    texts.map((_, i) => ids[Math.floor(i / candidates)]),
    texts.map((t) => t.tokens),
  );
  const best = bestOfEachGroup(mean, candidates);
  const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    demonstrations: best.map((i, p) => ({ prompt: ids[p], response: texts[i].tokens })),
    keptScore: average(best.map((i) => mean[i])),
    candidateScore: average(mean),
  };
}
