/**
 * `npm run rlhf`'s flags, parsed into the loop's settings. Every default is the page's
 * (contract/learning-defaults.ts): one round of --labels pairs from the current policy at the
 * Label stage's temperature, one reward model, one Play of the Tune stage's iterations with the
 * algorithm's own settings. test/node/learning-defaults.test.ts holds the two together.
 */
import type { SeedsProblem } from '../../src/contract/input-messages';
import { ALGORITHMS, ALGORITHM_FACTS, isAlgorithm, type Algorithm } from '../../src/contract/algorithms';
import { LEARNING_DEFAULTS, LEARNING_STUDY_LABELS, defaultPolicyKnobs } from '../../src/contract/learning-defaults';
import { DEFAULT_TIE_MARGIN } from '../../src/engine/labelers/labeler';
import type { LoopConfig } from '../../src/engine/loop/rlhf-loop';
import type { KLEstimator } from '../../src/engine/rl/formulas/kl';
import { scheduleProblem } from '../../src/engine/rl/formulas/schedule';
import { REWARD_POOLINGS } from '../../src/engine/rl/reward-config';
import type { NumberRule } from '../../src/contract/messages';
import { fail, numberFlag, parseFlags } from './cli';
import { exists } from './files';
import { parseSeeds } from './study';

/** Labels in a lesson: the size docs/learning.md measures the defaults at. */
export const DEFAULT_LABELS = LEARNING_STUDY_LABELS;

export const USAGE =
  'npm run rlhf -- --labeler NAME|RULE|PATH --out DIR [--labels N] [--algo ppo|grpo|rloo|dpo] [--seed S | --seeds A-B] [--iterations M] [--policy-iterations K] [--label-rounds K] [--checkpoint PATH] [--beta B] [--kl-target NATS] [--kl-horizon SAMPLES] [--kl-budget NATS] [--lr X] [--rm-epochs E] [--rm-lr X] [--rm-label-smoothing X] [--rm-trainable-layers K] [--rm-early-stop K] [--rm-pooling last|mean] [--rm-frozen-trunk] [--samples-per-prompt K] [--missing-eos-penalty X] [--label-temperature T] [--active | --contrast] [--reward-every N] [--eval-samples N] [--heldout FILE] [--reference PATH] [--tie-margin X] [--top-k K] [--top-p P] [--min-new-tokens N] [--unmatched-logprobs] [--kl-in-loss] [--kl-estimator k1|k3] [--whiten-rewards] [--running-score-norm] [--spread-penalty X] [--lr-warmup K] [--lr-decay N] [--value-warmup K] [--judged-pairs N] [--marks N [--mark-form without|prefix]] [--algo sft --best-of-n N [--best-of-n-prompts P]]';

const FLAGS = {
  labeler: { type: 'string' },
  labels: { type: 'string' },
  algo: { type: 'string', default: LEARNING_DEFAULTS.tune.algorithm },
  iterations: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  out: { type: 'string' },
  checkpoint: { type: 'string' },
  beta: { type: 'string' },
  lr: { type: 'string' },
  'rm-epochs': { type: 'string' },
  'rm-lr': { type: 'string' },
  'rm-label-smoothing': { type: 'string' },
  'rm-trainable-layers': { type: 'string' },
  'rm-early-stop': { type: 'string' },
  'kl-target': { type: 'string' },
  'kl-horizon': { type: 'string' },
  'kl-budget': { type: 'string' },
  'samples-per-prompt': { type: 'string' },
  'missing-eos-penalty': { type: 'string' },
  'min-new-tokens': { type: 'string' },
  'policy-iterations': { type: 'string' },
  'label-temperature': { type: 'string' },
  'label-rounds': { type: 'string' },
  active: { type: 'boolean', default: false },
  contrast: { type: 'boolean', default: false },
  'eval-samples': { type: 'string' },
  heldout: { type: 'string' },
  reference: { type: 'string' },
  'tie-margin': { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  'unmatched-logprobs': { type: 'boolean', default: false },
  'kl-in-loss': { type: 'boolean', default: false },
  'kl-estimator': { type: 'string' },
  'rm-pooling': { type: 'string' },
  'rm-frozen-trunk': { type: 'boolean' },
  'whiten-rewards': { type: 'boolean', default: false },
  'running-score-norm': { type: 'boolean', default: false },
  'spread-penalty': { type: 'string' },
  'lr-warmup': { type: 'string' },
  'lr-decay': { type: 'string' },
  'value-warmup': { type: 'string' },
  'judged-pairs': { type: 'string' },
  'reward-every': { type: 'string' },
  'best-of-n': { type: 'string' },
  marks: { type: 'string' },
  'mark-form': { type: 'string' },
  'best-of-n-prompts': { type: 'string' },
} as const;

export interface RlhfOptions {
  labeler: string;
  tieMargin: number;
  out: string;
  checkpoint?: string;
  reference?: string;
  heldout?: string;
  /** The seeds to run, one after another; `--seed S` is one seed written to --out itself. */
  seeds: number[];
  /** True when --seeds was given: each seed writes DIR/seed-S and the run ends with a summary. */
  study: boolean;
  loop: LoopConfig;
  evalSamples: number;
}

/** An optional number flag: undefined when not given. */
function optional(value: string | undefined, name: string, rule: NumberRule) {
  return value === undefined ? undefined : numberFlag(value, name, 0, rule);
}

/** A `--seeds` list that cannot be read, or `--seed` and `--seeds` together. */
function seedsFail(got: string, problem: SeedsProblem): never {
  fail({ code: 'CLI_SEEDS', params: { got, problem } });
}

/** Parses `args` (default: this process's) into checked options; a bad flag exits with its usage. */
export function rlhfOptions(args?: string[]): RlhfOptions {
  const f = parseFlags(FLAGS, USAGE, args);
  if (f.labeler === undefined || f.out === undefined)
    fail({ code: 'CLI_REQUIRED', params: { flags: ['--labeler', '--out'], usage: USAGE } });
  if (f.heldout !== undefined && !exists(f.heldout))
    fail({ code: 'CLI_MISSING', params: { path: f.heldout, what: 'heldout' } });
  if (f.seed !== undefined && f.seeds !== undefined) seedsFail(f.seeds, { kind: 'withSeed' });
  // A simulated labeler compares and rates; it writes no demonstrations. With --best-of-n the
  // reward model picks them from the policy's samples.
  const bestOf = f['best-of-n'] !== undefined;
  const labelerCanTeach = (a: Algorithm): boolean => ALGORITHM_FACTS[a].minDemonstrations === 0 || bestOf;
  if (!isAlgorithm(f.algo) || !labelerCanTeach(f.algo))
    fail({
      code: 'CLI_CHOICE',
      params: {
        flag: '--algo',
        choices: ALGORITHMS.filter(labelerCanTeach),
        got: f.algo,
        note: 'sftNeedsDemonstrations',
        usage: null,
      },
    });
  const algorithm: Algorithm = f.algo;
  let seeds: number[];
  if (f.seeds !== undefined) {
    const parsed = parseSeeds(f.seeds);
    if (!Array.isArray(parsed)) seedsFail(f.seeds, parsed);
    seeds = parsed;
  } else seeds = [numberFlag(f.seed, 'seed', 0, 'nonNegativeInteger')];
  const topK = numberFlag(f['top-k'], 'top-k', 0, 'nonNegativeInteger');
  const topP = numberFlag(f['top-p'], 'top-p', 1, 'unitUpToOne');
  const minNewTokens = numberFlag(f['min-new-tokens'], 'min-new-tokens', 0, 'nonNegativeInteger');
  const truncated = topK !== 0 || topP !== 1 || minNewTokens !== 0;
  if (f['unmatched-logprobs'] && !truncated)
    fail({
      code: 'CLI_FLAG_NEEDS',
      params: { flag: '--unmatched-logprobs', needs: '--top-k, --top-p or --min-new-tokens' },
    });
  // GRPO's KL is in its loss already; RLOO's and DPO's have nowhere else to go. Only PPO has
  // per-token rewards to whiten, and a value model to warm up.
  for (const flag of ['kl-in-loss', 'whiten-rewards', 'running-score-norm', 'value-warmup'] as const)
    if (f[flag] !== undefined && f[flag] !== false && algorithm !== 'ppo')
      fail({ code: 'CLI_FLAG_NEEDS', params: { flag: `--${flag}`, needs: '--algo ppo' } });
  // The schedule is the online trainers' (PPO, GRPO, RLOO); DPO steps through its pairs.
  for (const flag of ['lr-warmup', 'lr-decay'] as const)
    if (f[flag] !== undefined && algorithm === 'dpo')
      fail({ code: 'CLI_FLAG_NEEDS', params: { flag: `--${flag}`, needs: '--algo ppo, grpo or rloo' } });
  // Only the online trainers score their rollouts; DPO and SFT (best-of-n included) have no score to penalise.
  if (f['missing-eos-penalty'] !== undefined && (algorithm === 'dpo' || algorithm === 'sft'))
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--missing-eos-penalty', needs: '--algo ppo, grpo or rloo' } });
  // Only the online trainers tune on the reward model's scores as they sample.
  if (f['spread-penalty'] !== undefined && (algorithm === 'dpo' || algorithm === 'sft'))
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--spread-penalty', needs: '--algo ppo, grpo or rloo' } });
  if (bestOf && algorithm !== 'sft')
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--best-of-n', needs: '--algo sft' } });
  if (f['best-of-n-prompts'] !== undefined && !bestOf)
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--best-of-n-prompts', needs: '--best-of-n' } });
  if (f['judged-pairs'] !== undefined && algorithm !== 'dpo')
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--judged-pairs', needs: '--algo dpo' } });
  const markForm = f['mark-form'];
  // Marks teach the reward model; DPO's policy learns from the labelled pairs alone unless the
  // reward model judges pairs for it.
  if (f.marks !== undefined && algorithm === 'dpo' && f['judged-pairs'] === undefined)
    fail({
      code: 'CLI_FLAG_NEEDS',
      params: { flag: '--marks', needs: '--algo ppo, grpo, rloo, sft --best-of-n, or dpo --judged-pairs' },
    });
  if (markForm !== undefined && (f.marks === undefined || f.marks === '0'))
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--mark-form', needs: '--marks' } });
  if (markForm !== undefined && markForm !== 'prefix' && markForm !== 'without')
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--mark-form', choices: ['prefix', 'without'], got: markForm, note: null, usage: USAGE },
    });
  const poolingFlag = f['rm-pooling'];
  const pooling = REWARD_POOLINGS.find((p) => p === poolingFlag);
  if (poolingFlag !== undefined && pooling === undefined)
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--rm-pooling', choices: [...REWARD_POOLINGS], got: poolingFlag, note: null, usage: USAGE },
    });
  if (f['rm-frozen-trunk'] === true && f['rm-trainable-layers'] !== undefined)
    fail({ code: 'CLI_FLAG_EXCLUDES', params: { flag: '--rm-frozen-trunk', other: '--rm-trainable-layers' } });
  const estimator = f['kl-estimator'];
  const klEstimator: KLEstimator | undefined = estimator === 'k1' || estimator === 'k3' ? estimator : undefined;
  if (estimator !== undefined && klEstimator === undefined)
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--kl-estimator', choices: ['k1', 'k3'], got: estimator, note: null, usage: USAGE },
    });
  const knobs = {
    beta: optional(f.beta, 'beta', 'nonNegativeNumber'),
    learningRate: optional(f.lr, 'lr', 'positiveNumber'),
    klTarget: optional(f['kl-target'], 'kl-target', 'positiveNumber'),
    klHorizon: optional(f['kl-horizon'], 'kl-horizon', 'positiveNumber'),
    samplesPerPrompt: optional(f['samples-per-prompt'], 'samples-per-prompt', 'positiveInteger'),
    missingEosPenalty: optional(f['missing-eos-penalty'], 'missing-eos-penalty', 'nonNegativeNumber'),
    lrWarmupIterations: optional(f['lr-warmup'], 'lr-warmup', 'nonNegativeInteger'),
    lrDecayIterations: optional(f['lr-decay'], 'lr-decay', 'nonNegativeInteger'),
    valueWarmupIterations: optional(f['value-warmup'], 'value-warmup', 'nonNegativeInteger'),
  };
  const schedule = scheduleProblem(knobs.lrWarmupIterations ?? 0, knobs.lrDecayIterations ?? 0, {
    warmup: '--lr-warmup',
    decay: '--lr-decay',
  });
  if (schedule !== null) fail(schedule);
  const given = {
    ...Object.fromEntries(Object.entries(knobs).filter(([, v]) => v !== undefined)),
    ...(truncated ? { topK, topP, minNewTokens, matchedLogProbs: !f['unmatched-logprobs'] } : {}),
    ...(f['kl-in-loss'] ? { klInLoss: true } : {}),
    ...(klEstimator !== undefined ? { klEstimator } : {}),
    ...(f['whiten-rewards'] ? { whitenRewards: true } : {}),
    ...(f['running-score-norm'] ? { runningScoreNorm: true } : {}),
  };
  const d = LEARNING_DEFAULTS;
  const rounds = numberFlag(f.iterations, 'iterations', d.labelRounds * d.playsPerRound, 'positiveInteger');
  const labelRounds =
    f['label-rounds'] !== undefined ? numberFlag(f['label-rounds'], 'label-rounds', 0, 'positiveInteger') : undefined;
  const rewardEvery = optional(f['reward-every'], 'reward-every', 'positiveInteger');
  // Pair selection needs a reward model to select with: the first round's pairs come before any,
  // unless the reward model also trains between its labels.
  for (const flag of ['active', 'contrast'] as const)
    if (f[flag] && Math.min(rounds, labelRounds ?? rounds) < 2 && rewardEvery === undefined)
      fail({
        code: 'CLI_FLAG_NEEDS',
        params: {
          flag: `--${flag}`,
          needs:
            '--reward-every N, or two or more labelling rounds (--iterations, and --label-rounds when given, of 2 or more; the first round labels before any reward model)',
        },
      });
  const klBudget = optional(f['kl-budget'], 'kl-budget', 'positiveNumber');
  const spreadPenalty = optional(f['spread-penalty'], 'spread-penalty', 'nonNegativeNumber');
  const tieMargin = numberFlag(f['tie-margin'], 'tie-margin', DEFAULT_TIE_MARGIN, { min: 0, max: 0.5, integer: false });
  return {
    labeler: f.labeler,
    tieMargin,
    out: f.out,
    checkpoint: f.checkpoint,
    reference: f.reference,
    heldout: f.heldout,
    seeds,
    study: f.seeds !== undefined,
    loop: {
      algorithm,
      labels: numberFlag(f.labels, 'labels', DEFAULT_LABELS, 'positiveInteger'),
      rounds,
      policyIterationsPerRound: numberFlag(
        f['policy-iterations'],
        'policy-iterations',
        d.tune.iterations * d.playsPerRound,
        'positiveInteger',
      ),
      // The page's Play lengthens when enough labels carry marks; a given --policy-iterations is kept.
      ...(f['policy-iterations'] === undefined ? { markedPlay: true } : {}),
      ...(labelRounds !== undefined
        ? { labelRounds }
        : d.labelRounds < d.labelRounds * d.playsPerRound
          ? { labelRounds: d.labelRounds }
          : {}),
      candidatesPerLabel: f.active || f.contrast ? 4 : 1,
      ...(f.contrast ? { pairSelection: 'contrast' as const } : {}),
      ...(klBudget !== undefined ? { klBudget } : {}),
      ...(rewardEvery !== undefined ? { rewardEvery } : {}),
      ...(spreadPenalty !== undefined ? { spreadPenalty } : {}),
      labelTemperature: numberFlag(f['label-temperature'], 'label-temperature', d.labelTemperature, {
        min: 0,
        max: 2,
        integer: false,
      }),
      normalizationSamples: d.normalizationSamples,
      ...(f['judged-pairs'] !== undefined
        ? { judgedPairs: numberFlag(f['judged-pairs'], 'judged-pairs', 0, 'nonNegativeInteger') }
        : {}),
      ...(f.marks !== undefined
        ? {
            marksPerResponse: numberFlag(f.marks, 'marks', 0, 'nonNegativeInteger'),
            ...(markForm === 'prefix' ? { markForm: 'prefix' as const } : {}),
          }
        : {}),
      ...(bestOf
        ? {
            bestOfN: {
              candidates: numberFlag(f['best-of-n'], 'best-of-n', 0, 'positiveInteger'),
              prompts: numberFlag(f['best-of-n-prompts'], 'best-of-n-prompts', 32, 'positiveInteger'),
            },
          }
        : {}),
      reward: {
        ...d.reward,
        epochs: numberFlag(f['rm-epochs'], 'rm-epochs', d.reward.epochs, 'positiveInteger'),
        learningRate: numberFlag(f['rm-lr'], 'rm-lr', d.reward.learningRate, 'positiveNumber'),
        labelSmoothing: numberFlag(f['rm-label-smoothing'], 'rm-label-smoothing', d.reward.labelSmoothing, {
          min: 0,
          max: 0.5,
          integer: false,
        }),
        trainableLayers: numberFlag(
          f['rm-trainable-layers'],
          'rm-trainable-layers',
          d.reward.trainableLayers,
          'nonNegativeInteger',
        ),
        pooling: pooling ?? d.reward.pooling,
        frozenTrunk: f['rm-frozen-trunk'] ?? d.reward.frozenTrunk,
        earlyStopPatience: numberFlag(
          f['rm-early-stop'],
          'rm-early-stop',
          d.reward.earlyStopPatience,
          'nonNegativeInteger',
        ),
      },
      seed: seeds[0],
      policy: { ...defaultPolicyKnobs(algorithm), ...given },
    },
    evalSamples: numberFlag(f['eval-samples'], 'eval-samples', 8, 'positiveInteger'),
  };
}
