/**
 * `npm run rlhf`'s flags, parsed into the loop's settings. Every default is the page's
 * (contract/learning-defaults.ts): one round of --labels pairs from the current policy at the
 * Label stage's temperature, one reward model, one Play of the Tune stage's iterations with the
 * algorithm's own settings. test/node/learning-defaults.test.ts holds the two together.
 */
import { ALGORITHMS, ALGORITHM_FACTS, isAlgorithm, type Algorithm } from '../../src/contract/algorithms';
import { LEARNING_DEFAULTS, defaultPolicyKnobs } from '../../src/contract/learning-defaults';
import { DEFAULT_TIE_MARGIN } from '../../src/engine/labelers/labeler';
import type { LoopConfig } from '../../src/engine/loop/rlhf-loop';
import { fail, numberFlag, parseFlags } from './cli';
import { exists } from './files';
import { parseSeeds } from './study';

/** Labels in a lesson: the size docs/learning.md measures the defaults at. */
export const DEFAULT_LABELS = 40;

export const USAGE =
  'npm run rlhf -- --labeler NAME|RULE|PATH --out DIR [--labels N] [--algo ppo|grpo|rloo|dpo] [--seed S | --seeds A-B] [--iterations M] [--policy-iterations K] [--label-rounds K] [--checkpoint PATH] [--beta B] [--kl-target NATS] [--kl-horizon SAMPLES] [--kl-budget NATS] [--lr X] [--samples-per-prompt K] [--missing-eos-penalty X] [--label-temperature T] [--active | --contrast] [--eval-samples N] [--heldout FILE] [--reference PATH] [--tie-margin X]';

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
  'kl-target': { type: 'string' },
  'kl-horizon': { type: 'string' },
  'kl-budget': { type: 'string' },
  'samples-per-prompt': { type: 'string' },
  'missing-eos-penalty': { type: 'string' },
  'policy-iterations': { type: 'string' },
  'label-temperature': { type: 'string' },
  'label-rounds': { type: 'string' },
  active: { type: 'boolean', default: false },
  contrast: { type: 'boolean', default: false },
  'eval-samples': { type: 'string' },
  heldout: { type: 'string' },
  reference: { type: 'string' },
  'tie-margin': { type: 'string' },
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

const int = (n: number) => Number.isInteger(n) && n > 0;
const positive = (n: number) => n > 0;
const nonNegative = (n: number) => n >= 0;

/** An optional number flag: undefined when not given. */
function optional(value: string | undefined, name: string, ok: (n: number) => boolean, what: string) {
  return value === undefined ? undefined : numberFlag(value, name, 0, ok, what);
}

/** Parses `args` (default: this process's) into checked options; a bad flag exits with its usage. */
export function rlhfOptions(args?: string[]): RlhfOptions {
  const f = parseFlags(FLAGS, USAGE, args);
  if (f.labeler === undefined || f.out === undefined) fail(`--labeler and --out are required\nusage: ${USAGE}`);
  if (f.heldout !== undefined && !exists(f.heldout))
    fail(
      `--heldout ${f.heldout}: no such file (give held-out text, such as the heldout.txt pretraining writes beside a model)`,
    );
  if (f.seed !== undefined && f.seeds !== undefined) fail('give --seed S or --seeds A-B, not both');
  // A simulated labeler compares and rates; it writes no demonstrations.
  const labelerCanTeach = (a: Algorithm): boolean => ALGORITHM_FACTS[a].minDemonstrations === 0;
  if (!isAlgorithm(f.algo) || !labelerCanTeach(f.algo))
    fail(
      `--algo must be one of ${ALGORITHMS.filter(labelerCanTeach).join(', ')} (SFT needs demonstrations, which a simulated labeler does not write), got "${f.algo}"`,
    );
  const algorithm: Algorithm = f.algo;
  let seeds: number[];
  if (f.seeds !== undefined) {
    const parsed = parseSeeds(f.seeds);
    if (typeof parsed === 'string') fail(`--seeds ${parsed}`);
    seeds = parsed;
  } else seeds = [numberFlag(f.seed, 'seed', 0, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')];
  const knobs = {
    beta: optional(f.beta, 'beta', nonNegative, 'a non-negative number'),
    learningRate: optional(f.lr, 'lr', positive, 'a positive number'),
    klTarget: optional(f['kl-target'], 'kl-target', positive, 'a positive number (nats per response)'),
    klHorizon: optional(f['kl-horizon'], 'kl-horizon', positive, 'a positive number of samples'),
    samplesPerPrompt: optional(f['samples-per-prompt'], 'samples-per-prompt', int, 'a positive integer'),
    missingEosPenalty: optional(f['missing-eos-penalty'], 'missing-eos-penalty', nonNegative, 'a non-negative number'),
  };
  const given = Object.fromEntries(Object.entries(knobs).filter(([, v]) => v !== undefined));
  const klBudget = optional(f['kl-budget'], 'kl-budget', positive, 'a positive number (nats per response)');
  const tieMargin = numberFlag(
    f['tie-margin'],
    'tie-margin',
    DEFAULT_TIE_MARGIN,
    (n) => n >= 0 && n <= 0.5,
    'a number from 0 to 0.5',
  );
  const d = LEARNING_DEFAULTS;
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
      labels: numberFlag(f.labels, 'labels', DEFAULT_LABELS, int, 'a positive integer'),
      rounds: numberFlag(f.iterations, 'iterations', d.labelRounds * d.playsPerRound, int, 'a positive integer'),
      policyIterationsPerRound: numberFlag(
        f['policy-iterations'],
        'policy-iterations',
        d.tune.iterations * d.playsPerRound,
        int,
        'a positive integer',
      ),
      ...(f['label-rounds'] !== undefined
        ? { labelRounds: numberFlag(f['label-rounds'], 'label-rounds', 0, int, 'a positive integer') }
        : d.labelRounds < d.labelRounds * d.playsPerRound
          ? { labelRounds: d.labelRounds }
          : {}),
      candidatesPerLabel: f.active || f.contrast ? 4 : 1,
      ...(f.contrast ? { pairSelection: 'contrast' as const } : {}),
      ...(klBudget !== undefined ? { klBudget } : {}),
      labelTemperature: numberFlag(
        f['label-temperature'],
        'label-temperature',
        d.labelTemperature,
        (n) => n > 0 && n <= 2,
        'a number above 0 and at most 2',
      ),
      normalizationSamples: d.normalizationSamples,
      reward: { ...d.reward },
      seed: seeds[0],
      policy: { ...defaultPolicyKnobs(algorithm), ...given },
    },
    evalSamples: numberFlag(f['eval-samples'], 'eval-samples', 8, int, 'a positive integer'),
  };
}
