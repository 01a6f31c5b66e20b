/**
 * One interface over every way of tuning the policy, so the same labels can be run through each
 * and compared: PPO, GRPO and RLOO learn online from the reward model; DPO learns offline from the
 * preference pairs; SFT from demonstrations.
 */
import type { GPT } from '../model/gpt';
import { DPOTrainer } from '../rl/dpo';
import { GroupTrainer } from '../rl/group-methods';
import type { IterationResult } from '../rl/iteration';
import { PPOTrainer } from '../rl/ppo';
import type { PPOConfig } from '../rl/ppo-config';
import type { Demonstration } from '../rl/sft';
import { SFTTrainer } from '../rl/sft';
import type { PreferencePair } from '../rl/preferences';
import type { RewardModel } from '../rl/reward-model';

export const ALGORITHMS = ['ppo', 'grpo', 'rloo', 'dpo', 'sft'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface PolicyOptimizer {
  readonly algorithm: Algorithm;
  /**
   * One iteration. Online methods sample from `prompts`; DPO reads `pairs`, SFT `demonstrations`
   * (the whole log so far, passed each time so new labels are used at once).
   */
  iteration(data: {
    prompts: number[][];
    pairs: PreferencePair[];
    demonstrations: Demonstration[];
  }): Promise<IterationResult>;
  dispose(): void;
}

export interface OptimizerContext {
  policy: GPT;
  reward: RewardModel | null;
  eosId: number;
  padId: number;
  /** PPO/GRPO/RLOO settings; DPO and SFT read learningRate, beta (DPO) and seed from it. */
  config: Partial<PPOConfig>;
}

/** Builds the optimiser for `algorithm`; it tunes ctx.policy in place. */
export function createOptimizer(algorithm: Algorithm, ctx: OptimizerContext): PolicyOptimizer {
  const ids = { eosId: ctx.eosId, padId: ctx.padId };
  const needReward = () => {
    if (ctx.reward === null) throw new Error(`${algorithm} needs a trained reward model`);
    return ctx.reward;
  };
  const seed = ctx.config.seed ?? 0;
  switch (algorithm) {
    case 'ppo': {
      const rm = needReward();
      const t = new PPOTrainer(ctx.policy, rm, rm.model, ids, ctx.config);
      return { algorithm, iteration: (d) => t.iteration(d.prompts), dispose: () => t.dispose() };
    }
    case 'grpo':
    case 'rloo': {
      const t = new GroupTrainer(algorithm, ctx.policy, needReward(), ids, ctx.config);
      return { algorithm, iteration: (d) => t.iteration(d.prompts), dispose: () => t.dispose() };
    }
    case 'dpo': {
      const t = new DPOTrainer(ctx.policy, ctx.padId, {
        seed,
        ...(ctx.config.learningRate ? { learningRate: ctx.config.learningRate } : {}),
        ...(ctx.config.beta !== undefined ? { beta: ctx.config.beta } : {}),
      });
      return { algorithm, iteration: (d) => (t.setPairs(d.pairs), t.iteration()), dispose: () => t.dispose() };
    }
    case 'sft': {
      const t = new SFTTrainer(ctx.policy, ctx.padId, {
        seed,
        ...(ctx.config.learningRate ? { learningRate: ctx.config.learningRate } : {}),
      });
      return {
        algorithm,
        iteration: (d) => (t.setDemonstrations(d.demonstrations), t.iteration()),
        dispose: () => t.dispose(),
      };
    }
  }
}
