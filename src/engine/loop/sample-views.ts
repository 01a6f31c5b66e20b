/**
 * An iteration's samples as the page's token view shows them: text, tokens, log-probs, per-token
 * KL to the reference, advantages, the reward model's score and the labeler's gold score. One
 * function for the session and the experiment runner, so both show a sample the same way.
 */
import type { SampleView } from '../../contract/views';
import type { TextCodec } from '../generate/text';
import type { IterationResult } from '../rl/iteration';

/** The labeler's score of a response to a prompt, or null where the run has no labeler. */
export type GoldOf = ((prompt: string, response: string) => number) | null;

/** The rollout's samples of `result`; none for an algorithm that samples nothing (DPO, SFT). */
export function rolloutViews(result: IterationResult, codec: TextCodec, gold: GoldOf): SampleView[] {
  const r = result.rollout;
  if (r === undefined) return [];
  return r.responses.map((tokens, i) => {
    const len = tokens.length;
    const prompt = codec.decode(r.prompts[i]);
    const text = codec.decode(tokens.filter((t) => t !== codec.eosId));
    return {
      prompt,
      text,
      tokens: tokens.map((t) => codec.decode([t])),
      logProbs: r.logp[i].slice(0, len),
      kl: r.logp[i].slice(0, len).map((lp, j) => lp - r.refLogp[i][j]),
      advantages: result.advantages?.[i].slice(0, len) ?? null,
      score: r.scores[i],
      gold: gold === null ? null : gold(prompt, text),
    };
  });
}
