/**
 * What the loop measures around the reward model and the policy: the reward model normalised on
 * the reference's samples after each training, and the probe of fresh policy samples each round
 * reports (proxy reward, gold score, KL to the reference).
 */
import { generateTexts, promptIds } from '../generate/text';
import { mean } from '../rl/iteration';
import type { RewardModel } from '../rl/reward-model';
import type { Rng } from '../rng';
import { klOnSamples } from './evaluate';
import type { LoopContext } from './rlhf-loop';

/** Normalises the reward model on samples of the reference policy (scores: mean 0, std 1). */
export async function normalizeOnReference(
  rm: RewardModel,
  ctx: LoopContext,
  n: number,
  maxNewTokens: number,
  rng: Rng,
): Promise<void> {
  const prompts = Array.from({ length: n }, () => ctx.prompts[rng.int(ctx.prompts.length)]);
  const gens = await generateTexts(ctx.reference, ctx.codec, prompts, {
    maxNewTokens,
    temperature: 0.7,
    seed: rng.nextUint32(),
  });
  await rm.normalize(
    prompts.map((p) => promptIds(ctx.codec, p)),
    gens.map((g) => g.tokens),
  );
}

/**
 * Proxy reward, gold score and KL to the reference of fresh samples from the current policy,
 * measured the same way for every algorithm (DPO and SFT have no rollout of their own).
 */
export async function probePolicy(
  ctx: LoopContext,
  rm: RewardModel,
  sampling: { maxNewTokens: number; temperature: number },
  rng: Rng,
): Promise<Record<string, number>> {
  const prompts = Array.from({ length: 16 }, () => ctx.prompts[rng.int(ctx.prompts.length)]);
  const gens = await generateTexts(ctx.policy, ctx.codec, prompts, { ...sampling, seed: rng.nextUint32() });
  const ids = prompts.map((p) => promptIds(ctx.codec, p));
  const { mean: scores } = await rm.score(
    ids,
    gens.map((g) => g.tokens),
  );
  return {
    'probe/reward': mean(scores),
    'probe/gold': mean(gens.map((g, i) => ctx.labeler.score(prompts[i], g.text))),
    'probe/kl': await klOnSamples(
      ctx.policy,
      ctx.reference,
      ids,
      gens.map((g) => g.tokens),
      sampling.temperature,
      ctx.codec.eosId,
    ),
  };
}
