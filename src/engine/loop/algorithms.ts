/**
 * One interface over every way of tuning the policy, so the same labels can be run through each
 * and compared: PPO, GRPO and RLOO learn online from the reward model; DPO learns offline from the
 * preference pairs; SFT from demonstrations. Each takes its own settings; all that have a KL
 * anchor are handed the run's reference.
 */
import type { Algorithm } from '../../contract/algorithms';
import type { GPT } from '../model/gpt';
import { DPOTrainer, type DPOConfig } from '../rl/dpo';
import { GroupTrainer } from '../rl/group-methods';
import type { IterationResult } from '../rl/iteration';
import { PPOTrainer } from '../rl/ppo';
import type { PPOConfig } from '../rl/ppo-config';
import type { Demonstration, SFTConfig } from '../rl/sft';
import { SFTTrainer } from '../rl/sft';
import type { PreferencePair } from '../rl/preferences';
import type { RewardModel } from '../rl/reward-model';
import type { Scorer } from '../rl/rollout';

export { ALGORITHMS, type Algorithm } from '../../contract/algorithms';

/** The settings type of each algorithm: the online methods share PPO's knobs. */
export interface AlgorithmConfigs {
  ppo: PPOConfig;
  grpo: PPOConfig;
  rloo: PPOConfig;
  dpo: DPOConfig;
  sft: SFTConfig;
}

/** An algorithm and its own settings (unset fields keep that trainer's defaults). */
export type PolicySettings = { [A in Algorithm]: { algorithm: A; config: Partial<AlgorithmConfigs[A]> } }[Algorithm];

/**
 * `algorithm`'s settings from the knobs the page and `npm run rlhf` set, which are named as PPO's:
 * the online methods take them all, DPO its β, learning rate and seed, SFT its learning rate and seed.
 */
export function policySettings(algorithm: Algorithm, knobs: Partial<PPOConfig>): PolicySettings {
  const offline = {
    ...(knobs.seed !== undefined ? { seed: knobs.seed } : {}),
    ...(knobs.learningRate ? { learningRate: knobs.learningRate } : {}),
  };
  switch (algorithm) {
    case 'ppo':
    case 'grpo':
    case 'rloo':
      return { algorithm, config: knobs };
    case 'dpo':
      return { algorithm, config: { ...offline, ...(knobs.beta !== undefined ? { beta: knobs.beta } : {}) } };
    case 'sft':
      return { algorithm, config: offline };
  }
}

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
  /** Frees the optimiser's own state; the policy, reference and reward model stay with their owners. */
  dispose(): void;
}

export interface OptimizerContext {
  /** Tuned in place. */
  policy: GPT;
  /** The run's frozen reference, the KL anchor (PPO, GRPO, RLOO, DPO); the optimiser never disposes it. */
  reference: GPT;
  reward: RewardModel | null;
  /**
   * What scores the rollouts of PPO, GRPO and RLOO; default `reward` itself. The page's session
   * passes one that reads whichever reward model it holds now, so a retrained model takes over
   * without a new optimiser (PPO's value model and adaptive beta carry on).
   */
  scorer?: Scorer;
  eosId: number;
  padId: number;
  /** Seeds sampling and minibatch order when the settings set no seed. */
  seed: number;
  settings: PolicySettings;
}

/** Builds the optimiser for ctx.settings.algorithm; it tunes ctx.policy in place. */
export function createOptimizer(ctx: OptimizerContext): PolicyOptimizer {
  const ids = { eosId: ctx.eosId, padId: ctx.padId };
  const s = ctx.settings;
  const needReward = () => {
    if (ctx.reward === null) throw new Error(`${s.algorithm} needs a trained reward model`);
    return ctx.reward;
  };
  switch (s.algorithm) {
    case 'ppo': {
      const rm = needReward();
      const t = new PPOTrainer(ctx.policy, ctx.reference, ctx.scorer ?? rm, rm.model, ids, {
        seed: ctx.seed,
        ...s.config,
      });
      return { algorithm: s.algorithm, iteration: (d) => t.iteration(d.prompts), dispose: () => t.dispose() };
    }
    case 'grpo':
    case 'rloo': {
      const config = { seed: ctx.seed, ...s.config };
      const rm = needReward();
      const t = new GroupTrainer(s.algorithm, ctx.policy, ctx.reference, ctx.scorer ?? rm, ids, config);
      return { algorithm: s.algorithm, iteration: (d) => t.iteration(d.prompts), dispose: () => t.dispose() };
    }
    case 'dpo': {
      const t = new DPOTrainer(ctx.policy, ctx.reference, ctx.padId, { seed: ctx.seed, ...s.config });
      return {
        algorithm: s.algorithm,
        iteration: (d) => (t.setPairs(d.pairs), t.iteration()),
        dispose: () => t.dispose(),
      };
    }
    case 'sft': {
      const t = new SFTTrainer(ctx.policy, ctx.padId, { seed: ctx.seed, ...s.config });
      return {
        algorithm: s.algorithm,
        iteration: (d) => (t.setDemonstrations(d.demonstrations), t.iteration()),
        dispose: () => t.dispose(),
      };
    }
  }
}
