/**
 * One reward-model training of the page's session: on every labelled pair and the pairs the
 * person's marked words make, then normalised on the reference's samples of the run's prompts and
 * evaluated on the held-out pairs, with those pairs as text for the Reward stage.
 */
import { LEARNING_DEFAULTS } from '../../contract/learning-defaults';
import type { HeldOutPairView } from '../../contract/views';
import { generateTexts, promptIds } from '../generate/text';
import type { GPT } from '../model/gpt';
import { markPairs, type Comparison, type PreferencePair } from '../rl/preferences';
import type { RewardEvaluation, RewardModel } from '../rl/reward-model';
import type { Tokenizer } from '../tokenizer/tokenizer';

export interface RewardTrainingResult {
  losses: number[];
  evaluation: RewardEvaluation;
  heldOut: HeldOutPairView[];
}

export async function trainRewardOnLabels(
  reward: RewardModel,
  on: {
    pairs: PreferencePair[];
    comparisons: readonly Comparison[];
    prompts: string[];
    reference: GPT;
    tokenizer: Tokenizer;
  },
  onStep?: (done: number, total: number, loss: number) => void,
): Promise<RewardTrainingResult> {
  const { pairs, prompts, tokenizer } = on;
  // The words a person marked teach it too (markPairs); the held-out accuracy reads labels alone.
  const marked = on.comparisons.flatMap((c) => markPairs(c, tokenizer));
  const losses = await reward.train([...pairs, ...marked], onStep);
  const refPrompts = Array.from(
    { length: LEARNING_DEFAULTS.normalizationSamples },
    (_, i) => prompts[i % prompts.length],
  );
  const refSamples = await generateTexts(on.reference, tokenizer, refPrompts, {
    maxNewTokens: 48,
    temperature: 0.7,
    seed: 1,
  });
  await reward.normalize(
    refPrompts.map((p) => promptIds(tokenizer, p)),
    refSamples.map((g) => g.tokens),
  );
  const { perPair, ...evaluation } = await reward.evaluate(pairs);
  const decode = (ids: number[]): string => tokenizer.decode(ids.filter((id) => id !== tokenizer.eosId));
  const heldOut = perPair.map(({ pair, pChosen, loss }) => ({
    prompt: decode(pair.prompt),
    chosen: decode(pair.chosen),
    rejected: decode(pair.rejected),
    target: pair.target,
    pChosen,
    loss,
  }));
  return { losses, evaluation, heldOut };
}
