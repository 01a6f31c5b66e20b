/**
 * What an experiment measures of each iteration's samples (engine/loop/experiment.ts): the
 * labeler's gold score and distinct-2 of an online arm's rollout, and for DPO, which samples
 * nothing, fresh probe samples scored by the reward model with their KL to the base.
 */
import type { SampleView } from '../../contract/views';
import { distinctN } from '../eval/distinct';
import { generateTexts, promptIds } from '../generate/text';
import type { GPT } from '../model/gpt';
import type { IterationResult } from '../rl/iteration';
import { mean } from '../rl/iteration';
import type { PPOConfig } from '../rl/ppo-config';
import type { RewardModel } from '../rl/reward-model';
import type { Rollout } from '../rl/rollout';
import { klOnSamples } from './evaluate';
import type { ExperimentContext } from './experiment';
import { rolloutViews } from './sample-views';

/** The probe's sampling temperature: the rollout's own default. */
export const PROBE_TEMPERATURE = 0.7;

/** Gold score and distinct-2 of a batch of samples. */
export function sampleMetrics(ctx: ExperimentContext, prompts: string[], tokens: number[][]) {
  const texts = tokens.map((t) => ctx.codec.decode(t.filter((x) => x !== ctx.codec.eosId)));
  return {
    texts,
    metrics: {
      'gold/score': mean(texts.map((t, i) => ctx.labeler.score(prompts[i], t))),
      'eval/distinct_2': distinctN(
        tokens.map((t) => t.filter((x) => x !== ctx.codec.eosId)),
        2,
      ),
    },
  };
}

/** DPO samples nothing: fresh samples give it the online arms' reward, KL, gold and distinct-2. */
export async function probe(
  ctx: ExperimentContext,
  policy: GPT,
  rm: RewardModel,
  prompts: string[],
  c: Partial<PPOConfig>,
  seed: number,
) {
  const each = prompts.flatMap((p) => Array.from({ length: c.samplesPerPrompt ?? 4 }, () => p));
  const sampling = { maxNewTokens: c.maxNewTokens ?? 48, temperature: PROBE_TEMPERATURE, seed };
  const gens = await generateTexts(policy, ctx.codec, each, sampling);
  const ids = each.map((p) => promptIds(ctx.codec, p));
  const tokens = gens.map((g) => g.tokens);
  const { mean: scores } = await rm.score(ids, tokens);
  const kl = await klOnSamples(policy, ctx.policy, ids, tokens, PROBE_TEMPERATURE, ctx.codec.eosId);
  const s = sampleMetrics(ctx, each, tokens);
  const views: SampleView[] = tokens.map((t, i) => {
    const kept = t.filter((x) => x !== ctx.codec.eosId);
    return {
      prompt: each[i],
      text: s.texts[i],
      tokens: kept.map((x) => ctx.codec.decode([x])),
      logProbs: [],
      kl: [],
      advantages: null,
      score: scores[i],
      gold: ctx.labeler.score(each[i], s.texts[i]),
    };
  });
  return {
    texts: s.texts,
    views,
    metrics: { ...s.metrics, 'objective/scores': mean(scores), 'objective/kl': kl },
  };
}

export function fromRollout(ctx: ExperimentContext, result: IterationResult, r: Rollout) {
  const prompts = r.prompts.map((p) => ctx.codec.decode(p.filter((x) => x !== ctx.codec.eosId)));
  const views = rolloutViews(result, ctx.codec, (p, t) => ctx.labeler.score(p, t));
  return { ...sampleMetrics(ctx, prompts, r.responses), views };
}
