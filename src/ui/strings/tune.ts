/** Strings of the Tune stage: its controls, study note, charts, warnings, samples, and the token view. */
import type { Algorithm } from '../../contract/algorithms';
import { DEFAULT_TUNE, type TuneKey } from '../../contract/tune-settings';
import { MARKED_PLAY } from '../../contract/marked-play';
import type { TokenMeasure } from '../token-colour';
import { counted, formatPercent } from './format';

const ALGORITHM_NAMES: Record<Algorithm, string> = {
  ppo: 'PPO (proximal policy optimisation)',
  grpo: 'GRPO (group-relative, no value model)',
  rloo: 'RLOO (leave-one-out baseline)',
  dpo: 'DPO (direct preference optimisation, offline)',
  sft: 'SFT (supervised, on your rewrites)',
};

export const tune = {
  heading: 'Tune the policy',
  whatIsARun:
    'A run starts from a base model (a shipped one, an imported Hugging Face model, a model pretrained in this tab, or a saved checkpoint made “Use as base”) and owns the frozen reference copy of that base: the KL penalty and the KL chart measure the policy against it. A new run begins only when you press “Reset to reference”, choose another base, or restore a backup. Changing a tuning setting, the algorithm or the seed, retraining or reloading the reward model, pausing, reloading the page or a lost graphics card do not start a new run: the KL chart carries on where it was.',
  algorithm: 'Algorithm',
  algorithmName: (a: Algorithm): string => ALGORITHM_NAMES[a],
  label: {
    beta: 'Beta (KL penalty)',
    klTarget: 'KL target (0 = fixed beta)',
    clipRange: 'Clip epsilon',
    learningRate: 'Learning rate',
    samplesPerPrompt: 'Samples per prompt',
    promptsPerIteration: 'Prompts per iteration',
    maxNewTokens: 'Response length (tokens)',
    iterations: 'Iterations per Play',
    klBudget: 'KL budget (0 = none)',
  } satisfies Record<TuneKey, string>,
  seed: 'Seed',
  /**
   * What the defaults did in the learning study, in one line: the range of mean gold win-rates the
   * default algorithm reached at `labels` labels over the simulated students' tastes.
   */
  studyNote: (labels: number, low: number, high: number, tastes: number, seeds: number): string =>
    low === high
      ? `Measured with a simulated student at ${labels} labels, these defaults reached a mean gold win-rate of ${formatPercent(low)} against the base model (50% is no change; ${counted(seeds, { one: 'seed', other: 'seeds' })}).`
      : `Measured with simulated students at ${labels} labels, these defaults reached mean gold win-rates of ${formatPercent(low)} to ${formatPercent(high)} against the base model over ${tastes} tastes (50% is no change; up to ${counted(seeds, { one: 'seed', other: 'seeds' })} each).`,
  studyNone: 'The learning study has not measured these defaults yet.',
  studyShow: 'The learning study',
  studyCaption:
    'Gold win-rate of the tuned model against the base on 96 held-out samples, judged by the simulated student’s hidden taste: mean over seeds, with its 95% interval where there are several.',
  studyHead: {
    taste: 'Taste',
    labels: 'Labels',
    cell: 'Algorithm',
    seeds: 'Seeds',
    win: 'Win-rate',
    below: 'Seeds under 55%',
    kl: 'KL (nats)',
    seconds: 'Seconds',
  },
  studyWin: (mean: number, low: number | null, high: number | null): string =>
    low === null || high === null
      ? formatPercent(mean)
      : `${formatPercent(mean)} (${formatPercent(Math.max(0, low))}–${formatPercent(Math.min(1, high))})`,
  studyDefault: '(the defaults)',
  studyMarkedDefault: '(the defaults when a third of the labels carry marks)',
  seedHint:
    'Seeds sampling, a new reward model’s start and the simulated labeler, so a shared link replays the same run. Changing it restarts the session; tuned policy and reward model are kept.',
  hint: {
    beta: 'How hard the policy is held near the reference: higher is safer, lower learns faster and drifts further.',
    klTarget: 'When set, beta adapts to keep the KL near this many nats per response.',
    clipRange: 'How far one update may move each token’s probability ratio from 1.',
    learningRate: 'Step size of each update: too high and the policy falls apart.',
    samplesPerPrompt: 'Responses per prompt; GRPO and RLOO compare them with each other, so they need 2 or more.',
    promptsPerIteration: 'Prompts in each batch.',
    maxNewTokens: 'Longest response sampled, for tuning and for labelling.',
    iterations: `How many iterations one press of Play runs. Left at ${DEFAULT_TUNE.iterations}, PPO runs ${MARKED_PLAY.iterations} once a third of the reward model’s labels carry marked words.`,
    klBudget:
      'Nats per response the policy may drift from the reference: the iteration that passes it is undone and the run stops.',
  } satisfies Record<TuneKey, string>,
  play: 'Play',
  pause: 'Pause',
  resume: 'Resume',
  step: 'Step one iteration',
  stop: 'Stop',
  reset: 'Reset to reference',
  resetHint: 'Puts the policy back to the model you started from; your labels stay.',
  progress: (i: number, of: number): string => `Iteration ${i} of ${of}`,
  paused: 'Paused after an iteration; Resume to go on.',
  idle: (n: number): string =>
    n === 0
      ? 'The policy is the base model: nothing tuned yet.'
      : `${counted(n, { one: 'iteration', other: 'iterations' })} so far; the policy is saved after each run.`,
  /** Why one press of Play runs the longer Play: the reward model learned from marked words. */
  markedPlay: (iterations: number, setting: number, marked: number, labels: number): string =>
    `Your reward model learned from marked words on ${marked} of ${counted(labels, { one: 'label', other: 'labels' })}, so Play runs ${iterations} iterations instead of ${setting}: the longer Play the learning study measured for marked labels. Set “Iterations per Play” to any other number to choose your own.`,
  charts: 'Live metrics',
  chart: {
    reward: 'Reward-model score',
    gold: 'Gold score (simulated labeler)',
    kl: 'KL to the reference (nats per response)',
    entropy: 'Entropy (nats per response)',
    clip: 'Clip fraction',
    value: 'Value loss',
    beta: 'Beta',
  },
  iteration: 'iteration',
  noGold: 'The gold score appears when a simulated labeler is chosen (Label stage).',
  samples: 'Recent samples',
  sampleRow: (score: number, gold: number | null, iteration: number): string =>
    `Iteration ${iteration} · reward ${score.toFixed(2)}${gold === null ? '' : ` · gold ${gold.toFixed(2)}`}`,
  noSamples:
    'Samples appear here as the policy tunes (PPO, GRPO and RLOO sample; DPO and SFT learn from stored labels).',
  coinToss: (low: number, high: number): string =>
    `Before you press Play: your reward model sided with you on too few held-out labels to rule out a coin toss (95% interval ${formatPercent(low)}–${formatPercent(high)}). A Play follows it wherever it points, even away from what you asked. Marking the words that made each difference teaches it more per label than another verdict does.`,
  warnKl: (kl: number, limit: number): string =>
    `KL is running away: ${Number.isFinite(kl) ? kl.toFixed(1) : 'not a number'} nats from the reference (limit ${limit}). The text will degrade and the reward model is now judging text unlike what it learned from. Pause, raise beta or set a KL target, lower the learning rate, or reset to the reference.`,
  warnHacking: (reward: number, gold: number, window: number): string =>
    `Reward hacking: over the last ${window} iterations the reward model’s score rose by ${reward.toFixed(2)} while the gold score fell by ${Math.abs(gold).toFixed(2)}. The policy is exploiting the reward model’s mistakes. Label more pairs (active learning finds its blind spots), retrain it, and raise beta.`,
  saveNamed: 'Save as…',
  saveName: 'Checkpoint name',
  saved: (name: string): string => `Saved "${name}"; it is kept until you delete it.`,
};

const MEASURES: Record<TokenMeasure, string> = {
  logProb: 'log-probability',
  kl: 'per-token KL',
  advantage: 'advantage',
};

export const tokens = {
  heading: 'Token view',
  colourBy: 'Colour tokens by',
  measure: (m: TokenMeasure): string => MEASURES[m],
  legend: (m: TokenMeasure): string =>
    m === 'logProb'
      ? 'Darker blue: the policy was surer of the token.'
      : 'Blue: above zero · orange: below zero · darker: further from zero.',
  detail: (token: string, logProb: number, kl: number, advantage: number | null): string =>
    `Token ${JSON.stringify(token)}: log-probability ${logProb.toFixed(2)} (p = ${Math.exp(logProb).toFixed(2)}), KL ${kl.toFixed(3)}${advantage === null ? '' : `, advantage ${advantage.toFixed(2)}`}`,
  hint: 'Hover or focus a token (Tab) to read its numbers.',
  table: 'All tokens as a table',
  columns: ['#', 'Token', 'log-prob', 'KL', 'advantage'] as readonly string[],
  pick: 'Sample',
};
