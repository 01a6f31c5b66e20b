/**
 * The real iterations the `ppo` case times: PPO and GRPO at their default configuration on the
 * default model size, with a reward model (trained once, timed too) as the scorer. Phases:
 * generate (sampling), score (reward model + policy/reference/value forward passes), update.
 */
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GroupTrainer } from '../../src/engine/rl/group-methods';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { Rng } from '../../src/engine/rng';
import type { PpoIterationFactory, PhaseTimes } from './ppo';

const PAD = 0;

function phases(metrics: Record<string, number>): PhaseTimes {
  return { generate: metrics['time/generate_ms'], score: metrics['time/score_ms'], update: metrics['time/update_ms'] };
}

/** Random prompts of 8-12 tokens and 64 random preference pairs (timing only: content is irrelevant). */
function fixtures(vocab: number): { prompts: number[][]; pairs: { prompt: number[]; chosen: number[]; rejected: number[]; target: number }[] } {
  const rng = new Rng(1);
  const seq = (n: number) => Array.from({ length: n }, () => 1 + rng.int(vocab - 2));
  return {
    prompts: Array.from({ length: 4 }, () => seq(8 + rng.int(5))),
    pairs: Array.from({ length: 64 }, () => ({ prompt: seq(10), chosen: seq(40), rejected: seq(40), target: 1 })),
  };
}

/** PPO (algorithm 'ppo') or GRPO ('grpo') iterations, after one timed reward-model epoch. */
export function engineIteration(algorithm: 'ppo' | 'grpo'): PpoIterationFactory {
  return async () => {
    const config = GPT_PRESETS.base;
    const policy = new GPT(config, 1);
    const { prompts, pairs } = fixtures(config.vocabSize);
    const rm = new RewardModel(policy, PAD, { epochs: 1 });
    const started = performance.now();
    await rm.train(pairs);
    const rewardEpochMs = performance.now() - started;
    const ids = { eosId: config.vocabSize - 1, padId: PAD };
    const trainer = algorithm === 'ppo' ? new PPOTrainer(policy, rm, rm.model, ids) : new GroupTrainer('grpo', policy, rm, ids);
    return {
      iterate: async () => ({ ...phases((await trainer.iteration(prompts)).metrics), rewardModelEpochOf58Pairs: rewardEpochMs }),
      dispose: () => [trainer, rm, policy].forEach((x) => x.dispose()),
    };
  };
}
