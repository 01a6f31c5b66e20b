/**
 * One RL iteration at the trainers' default configuration on the default model size, PPO and GRPO
 * on the same prompts, split into the stages the trainers time themselves:
 *   rollout  sampling the responses (KV-cache generate)
 *   scoring  the reward model, then the policy, reference (and for PPO value) forward passes
 *   update   advantages and the clipped minibatch epochs
 * The reward model is a fresh one: an untrained scorer costs the same as a trained one, and its
 * training is timed by the `reward` case. Random weights rarely sample end-of-text, so every
 * response runs to the full length: the iteration's worst case, which is what a student waits for.
 */
import { GPT } from '../../src/engine/model/gpt';
import { GroupTrainer } from '../../src/engine/rl/group-methods';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { measure, median } from '../stats';
import { percent } from '../table';
import type { BenchCase, CaseContext, CaseResult, Headline } from '../types';
import { eosId, PAD_ID, rlPrompts } from './fixtures';

type Algorithm = 'ppo' | 'grpo';

/** The trainers' own timers: [name in the JSON, metric key, row label]. */
const PHASES = [
  ['generate', 'time/generate_ms', 'rollout (sampling)'],
  ['score', 'time/score_ms', 'scoring (reward model, forward passes)'],
  ['update', 'time/update_ms', 'update (advantages, PPO epochs)'],
] as const;

const LABEL: Record<Algorithm, string> = { ppo: 'PPO', grpo: 'GRPO' };
const HEADLINE: Record<Algorithm, keyof Headline> = { ppo: 'ppoIterationMs', grpo: 'grpoIterationMs' };

async function run(algorithm: Algorithm, { sizes, clock, log }: CaseContext): Promise<CaseResult> {
  const s = sizes.rl;
  const policy = new GPT(s.model, 1);
  const reference = policy.clone();
  const rm = new RewardModel(policy, PAD_ID);
  const ids = { eosId: eosId(s.model.vocabSize), padId: PAD_ID };
  const trainer =
    algorithm === 'ppo'
      ? new PPOTrainer(policy, reference, rm, rm.model, ids, s.ppo)
      : new GroupTrainer('grpo', policy, reference, rm, ids, s.ppo);
  const c = trainer.config;
  const prompts = rlPrompts(c.promptsPerIteration, s.promptLength, s.model.vocabSize);
  const responses = c.promptsPerIteration * c.samplesPerPrompt;
  log(`${algorithm}: ${s.warmup} + ${s.repeats} iterations of ${responses} responses of <= ${c.maxNewTokens} tokens`);
  const metrics: Record<string, number>[] = [];
  const timing = await measure(async () => metrics.push((await trainer.iteration(prompts)).metrics), s, clock);
  [trainer, rm, policy, reference].forEach((x) => x.dispose());
  const timed = metrics.slice(s.warmup).map((m) => Object.fromEntries(PHASES.map(([name, key]) => [name, m[key]])));
  const phases = Object.fromEntries(PHASES.map(([name]) => [name, median(timed.map((m) => m[name]))]));
  // The trainers time their stages on the wall clock; as shares they hold whatever clock timed the whole.
  const wallTotal = PHASES.reduce((sum, [name]) => sum + phases[name], 0);
  const shares = Object.fromEntries(PHASES.map(([name]) => [name, phases[name] / wallTotal]));
  const target = algorithm === 'ppo' ? '; target < 15000 on wasm' : '';
  return {
    rows: [
      {
        metric: `${LABEL[algorithm]} iteration`,
        value: timing.medianMs,
        unit: 'ms',
        note: `${responses} responses of <= ${c.maxNewTokens} tokens, spread ${percent(timing.spread)}${target}`,
      },
      ...PHASES.map(([name, , label]) => ({
        metric: `  ${label}`,
        value: phases[name],
        unit: 'ms',
        note: `${percent(shares[name])}; median, wall clock`,
      })),
    ],
    figures: {
      responses,
      maxNewTokens: c.maxNewTokens,
      ppoEpochs: c.ppoEpochs,
      numMiniBatches: c.numMiniBatches,
      timing,
      phases,
      shares,
      phaseSamplesMs: timed,
    },
    headline: { [HEADLINE[algorithm]]: timing.medianMs },
  };
}

export const ppoCase: BenchCase = {
  name: 'ppo',
  title: 'PPO iteration (rollout, scoring, update)',
  run: (ctx) => run('ppo', ctx),
};

export const grpoCase: BenchCase = {
  name: 'grpo',
  title: 'GRPO iteration (rollout, scoring, update)',
  run: (ctx) => run('grpo', ctx),
};
