/**
 * The reward model checked against a simulated labeler's gold score on many fresh pairs of the
 * kind the labels came from: what its held-out accuracy, read on the few labels a lesson holds
 * out, estimates. Only a simulated labeler makes it possible (a person's taste has no score to
 * read), so `npm run rlhf` reports it to explain a run, and nothing in training reads it.
 */
import { agreement, type Agreement } from '../eval/agreement';
import { generateTexts, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';

export interface GoldCheckOptions {
  /** The prompts the pairs answer, each `pairsPerPrompt` times. */
  prompts: readonly string[];
  pairsPerPrompt: number;
  maxNewTokens: number;
  /** The labelling temperature: the pairs are sampled as the labelled ones were. */
  temperature: number;
  seed: number;
  gold: (prompt: string, response: string) => number;
  /** The least gold difference the labeler tells apart: smaller ones are its ties, left out. */
  noticeable: number;
  /** The reward model's score of a response, told whether it ended. */
  reward: (prompt: string, response: string, ended: boolean) => Promise<number>;
}

/**
 * Samples two responses of `policy` to each prompt and pair slot, and returns how often the reward
 * model orders each pair as the gold score does, over the pairs the labeler would not call a tie.
 */
export async function rewardAgainstGold(policy: GPT, codec: TextCodec, o: GoldCheckOptions): Promise<Agreement> {
  const prompts = o.prompts.flatMap((p) => Array.from({ length: o.pairsPerPrompt }, () => p));
  const sampling = { maxNewTokens: o.maxNewTokens, temperature: o.temperature, seed: o.seed };
  // One batch of both sides: pair i is responses i and n + i.
  const texts = await generateTexts(policy, codec, [...prompts, ...prompts], sampling);
  const n = prompts.length;
  const ended = (i: number) => texts[i].tokens.at(-1) === codec.eosId;
  const gold = prompts.map((p, i): [number, number] => [o.gold(p, texts[i].text), o.gold(p, texts[n + i].text)]);
  const reward: [number, number][] = [];
  for (let i = 0; i < n; i++)
    reward.push([
      await o.reward(prompts[i], texts[i].text, ended(i)),
      await o.reward(prompts[i], texts[n + i].text, ended(n + i)),
    ]);
  return agreement(gold, reward, o.noticeable);
}
