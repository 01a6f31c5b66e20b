/** Strings of the stages: labelling, shortcuts, reward model, tuning, token view, data (compare.ts: Compare). */
import type { Algorithm } from '../../contract/algorithms';
import { DEFAULT_TUNE, type TuneKey } from '../../contract/tune-settings';
import { MARKED_PLAY } from '../../contract/marked-play';
import type { LabelKind } from '../workspace';
import type { TokenMeasure } from '../token-colour';
import { counted, formatBytes, formatDate, formatPercent, plural } from './format';
import type { LabelWorth } from '../label-worth';
import type { PairReason } from '../../contract/pairs';

/** Why a pair was asked, from the rule that picked it and the reward model's numbers. */
function pairReasonText(reason: PairReason): string {
  if (reason.kind === 'random') return 'a random prompt, two samples from the current policy';
  if (reason.kind === 'secondOpinion') return 'a pair labelled before, asked again for a second opinion';
  if (reason.kind === 'contrast')
    return `the reward model tells these two apart most (P(A better) ${reason.pA.toFixed(2)}) among ${reason.candidates} candidates`;
  return `the reward model's ${reason.heads} heads disagree most about this pair (spread ${reason.spread.toFixed(2)}) among ${reason.candidates} candidates`;
}

export const label = {
  heading: 'Which response is better?',
  starsHeading: 'How good is this response?',
  prompt: 'Prompt',
  responseA: 'Response A',
  responseB: 'Response B',
  response: 'Response',
  chooseA: 'A is better',
  chooseB: 'B is better',
  tie: 'Tie',
  skip: 'Skip',
  undo: 'Undo',
  edit: 'Rewrite',
  star: (n: number): string => counted(n, { one: 'star', other: 'stars' }),
  sampling: 'Sampling two responses from the current policy…',
  samplingOne: 'Sampling a response from the current policy…',
  why: (reason: PairReason): string => `Why this pair: ${pairReasonText(reason)}.`,
  mode: 'Label by',
  modePair: 'comparing two responses',
  modeStars: 'rating one response with stars',
  active: 'Active learning: ask the pair the reward model is least sure about',
  activeHint:
    'Off: random prompts. On: 4 candidate pairs are sampled and the one the reward model’s heads disagree on most is asked.',
  labeler: 'Simulated labeler',
  labelerHint:
    'Used by autopilot and the online loop, and as the "gold" score the charts show. A keyword rule such as +dog -sad works too.',
  keywordOption: 'Keyword rule…',
  keywordLabel: 'Keyword rule',
  autopilot: 'Autopilot: the simulated labeler labels for you',
  autopilotMark: (labeler: string): string => `Autopilot (${labeler}) answered, not you`,
  autopilotMarks: (max: number): string =>
    `Autopilot and the online loop also mark the words their rule turns on (up to ${max} per response)`,
  autopilotPick: 'autopilot’s pick',
  loop: 'Online loop: label, train the reward model, tune, repeat',
  loopHint:
    'A hands-off demo: the simulated labeler labels 8 pairs, the reward model retrains, the policy tunes 2 iterations, and round again.',
  loopStatus: (phase: string | null, rounds: number): string =>
    phase === null
      ? `${counted(rounds, { one: 'round', other: 'rounds' })} done.`
      : `Round ${rounds + 1}: ${phase === 'label' ? 'labelling' : phase === 'reward' ? 'training the reward model' : 'tuning the policy'}…`,
  loopStopped: (phase: string): string =>
    `The loop stopped while ${phase === 'label' ? 'labelling' : phase === 'reward' ? 'training the reward model' : 'tuning'}: see that stage for why.`,
  shortcutsHint: 'Keys: 1 A better · 2 B better · 3 tie · S skip · M mark words · Ctrl+Z undo · E rewrite · ? all keys',
  starShortcutsHint: 'Keys: 1–5 stars · S skip · Ctrl+Z undo · E rewrite · ? all keys',
  news: (n: { kind: string; choice?: string; stars?: number; labeler?: string; what?: LabelKind }): string => {
    const who = n.labeler === undefined || n.labeler === 'human' ? '' : ` (by ${n.labeler})`;
    if (n.kind === 'chose')
      return n.choice === 'skip'
        ? `Skipped${who}; saved.`
        : n.choice === 'tie'
          ? `Saved: a tie${who}.`
          : `Saved: ${n.choice === 'a' ? 'A' : 'B'} is better${who}.`;
    if (n.kind === 'rated') return `Saved: ${counted(n.stars ?? 0, { one: 'star', other: 'stars' })}${who}.`;
    if (n.kind === 'demonstrated') return 'Saved your rewrite as a demonstration for SFT.';
    if (n.kind === 'dropped')
      return `Not saved: ${n.labeler ?? 'the simulated labeler'} answered a pair that is no longer on screen.`;
    return 'Undone: the last label was deleted.';
  },
  editHeading: 'Rewrite the response into a better one',
  editHint: 'Saved as a demonstration: SFT in the Tune stage learns to write like this.',
  editSave: 'Save demonstration',
  editCancel: 'Cancel',
  editWhich: 'Start from',
  addPrompt: 'Add a prompt of your own',
  addPromptButton: 'Add prompt',
  promptCount: (n: number): string => `${n} training prompts (the shipped story openings plus yours).`,
  uncertainty: (u: number): string => `Reward-model spread on this pair: ${u.toFixed(2)}`,
  marksHeading: 'Mark the words that made the difference',
  marksHint:
    'Optional: select words that made the difference (drag across them, or press M and use the arrows), then mark them good or bad.',
  marksSelected: 'Mark the selected words:',
  markGood: 'Good',
  markBad: 'Bad',
  markClear: 'Clear',
  markedWords: (side: 'a' | 'b', polarity: 1 | -1, words: readonly string[]): string =>
    `${side === 'a' ? 'A' : 'B'} ${polarity > 0 ? 'good' : 'bad'}: ${words.map((w) => `“${w}”`).join(', ')}`,
};

export const shortcuts = {
  heading: 'Keyboard shortcuts',
  close: 'Close',
  intro: 'In the Label stage, while no text box has focus:',
  keys: [
    ['1', 'A is better (in star mode: 1 star)'],
    ['2', 'B is better (in star mode: 2 stars)'],
    ['3', 'Tie (in star mode: 3 stars)'],
    ['4, 5', 'In star mode: 4 or 5 stars'],
    ['S', 'Skip this pair'],
    ['Ctrl+Z or Cmd+Z', 'Undo the last mark on the pair, or else the last label'],
    ['M', 'Start marking words: a cursor on the first word of A'],
    ['← →, Shift+← →', 'Move the word cursor; with Shift, select several words'],
    ['↑ ↓', 'Move the word cursor to the other response'],
    ['G, B', 'Mark the selected words good or bad'],
    ['Delete', 'Clear the marks in the selection'],
    ['Esc', 'Stop marking'],
    ['E', 'Rewrite a response into a better one (a demonstration)'],
    ['?', 'Show or hide this list'],
    ['1, 2, 3 in Compare', 'In a blind round: first is better, second is better, tie'],
  ] as readonly (readonly [keys: string, meaning: string])[],
};

export const reward = {
  heading: 'Reward model',
  train: 'Train now',
  training: 'Training…',
  autoTrain: 'Train in the background every 4 new labels',
  progress: (step: number, total: number): string => `Step ${step} of ${total}`,
  notTrained: 'Not trained yet. Label a few pairs, then train.',
  restoreFailed: (why: string): string =>
    `The saved reward model could not be put back, so it is trained again from your labels: ${why}`,
  trainedOn: (n: number, since: number, restored: boolean): string =>
    `Trained on ${counted(n, { one: 'label', other: 'labels' })}${since > 0 ? `, ${since} new since` : ''}.${restored ? ' Saved model put back after the reload; no retraining needed.' : ''}`,
  lossChart: 'Training loss (Bradley-Terry), this training',
  accuracyChart: 'Held-out accuracy after each training',
  calibrationChart: 'Calibration: predicted against observed',
  step: 'step',
  labels: 'labels',
  loss: 'loss',
  accuracy: 'accuracy',
  predicted: 'predicted P(A better)',
  observed: 'observed',
  perfect: 'perfectly calibrated',
  heldOut: (c: { accuracy: number; heldOut: number; decided: number | null }): string => {
    if (c.heldOut === 0)
      return 'No held-out pairs yet: about one label in ten is held out for this check, so label a few more.';
    // Accuracy is undefined only when no held-out pair has a winner (older runs did not store the count).
    if (c.decided === 0 || !Number.isFinite(c.accuracy))
      return `Your ${c.heldOut} held-out ${plural(c.heldOut, { one: 'label is a tie', other: 'labels are all ties' })}; accuracy needs a held-out pair with a winner.`;
    const decided = c.decided ?? c.heldOut;
    const ties = c.heldOut - decided;
    return `Held-out accuracy ${(c.accuracy * 100).toFixed(0)}% on ${counted(decided, { one: 'pair', other: 'pairs' })} it never trained on${ties > 0 ? ` (and ${ties} held-out ${plural(ties, { one: 'tie', other: 'ties' })})` : ''}.`;
  },
  /** What the labels are worth, after a training with a held-out pair that has a winner. */
  worth: (w: LabelWorth): string =>
    `What your labels are worth so far: the reward model sided with you on ${w.agreed} of ${counted(w.pairs, { one: 'held-out pair', other: 'held-out pairs' })}, so its true agreement with you lies between ${formatPercent(w.low)} and ${formatPercent(w.high)} (95% interval)${w.coinToss ? ', a range that still includes a coin toss (50%)' : ''}. About ${w.moreLabels} more labels would halve that range.`,
  scoreHeading: 'Score any text',
  scorePrompt: 'Prompt',
  scoreResponse: 'Response',
  score: 'Score',
  scored: (score: number, spread: number): string =>
    `Reward ${score.toFixed(2)} (normalised: 0 is a typical base-model response), heads disagree by ${spread.toFixed(2)}.`,
  disagreeHeading: 'Where the reward model disagrees with the labels',
  disagreeNone: 'None: on every labelled pair the reward model prefers the labelled winner.',
  disagreeIntro: 'Pairs it has not learned yet, most confidently wrong first:',
  disagreeRow: (p: number, choice: string, labeler: string): string =>
    `Labelled ${choice === 'a' ? 'A' : 'B'} better by ${labeler}; the reward model gives that only ${(p * 100).toFixed(0)}%.`,
};

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

const KIND_NAMES: Record<LabelKind, string> = {
  comparisons: 'Comparisons',
  ratings: 'Star ratings',
  demonstrations: 'Demonstrations',
};

export const data = {
  heading: 'Your data',
  kind: (k: LabelKind): string => KIND_NAMES[k],
  search: 'Search prompts and responses',
  empty: 'Nothing here yet.',
  delete: 'Delete',
  deleteLabel: (id: number): string => `Delete label ${id}`,
  row: {
    choice: (c: string): string => (c === 'a' ? 'A better' : c === 'b' ? 'B better' : c === 'tie' ? 'Tie' : 'Skipped'),
    stars: (n: number): string => `${'★'.repeat(n)}${'☆'.repeat(5 - n)} (${n})`,
    by: (labeler: string, time: number): string => `${labeler} · ${formatDate(time)}`,
  },
  limit: (n: number): string => `Showing the newest ${n}; search to narrow.`,
  exportJsonl: 'Export labels (TRL JSONL)',
  importJsonl: 'Import labels (TRL JSONL, one or more files)',
  exportBackup: 'Back up everything',
  importBackup: 'Restore a backup',
  exportHf: 'Export the current policy (Hugging Face GPT-2)',
  importHf: 'Import a Hugging Face GPT-2 folder',
  usage: (used: number, quota: number, persisted: boolean | null): string =>
    `Storage used: ${formatBytes(used)} of ${formatBytes(quota)}${persisted === true ? ' (kept by the browser)' : persisted === false ? ' (the browser may clear it when disk space runs low)' : ''}.`,
  noUsage: 'This browser does not say how much storage is used.',
  agreementHeading: 'Agreement between labelers',
  agreementNone: 'No pair has been labelled by two labelers yet. Label with autopilot and by hand to compare.',
  agreementRow: (a: string, b: string, pairs: number, observed: number, kappa: number | null): string =>
    `${a} and ${b}: ${pairs} shared pairs, same answer ${(observed * 100).toFixed(0)}%, Cohen's kappa ${kappa === null ? 'undefined (no variation)' : kappa.toFixed(2)}.`,
  /** What the last action did; an import of labels is told by labelers.imported. */
  news: (n: { kind: string; what?: LabelKind; records?: number; name?: string }): string => {
    if (n.kind === 'deleted') return 'Deleted.';
    if (n.kind === 'restored') return `Restored ${counted(n.records ?? 0, { one: 'record', other: 'records' })}.`;
    if (n.kind === 'importedModel') return `Imported "${n.name}" as a saved checkpoint.`;
    if (n.kind === 'exportedModel') return 'Exported the current policy as a Hugging Face GPT-2 folder.';
    return `Exported ${n.name}.`;
  },
};

/** The run's base model when it cannot be found again after a reload. */
export const run = {
  gone: (reason: 'deleted' | 'changed' | 'unavailable', base: string): string =>
    reason === 'deleted'
      ? `The base model of this run (${base}) is no longer stored in this browser: it was deleted, or the browser’s storage was cleared.`
      : reason === 'unavailable'
        ? `The base model of this run (${base}) could not be loaded.`
        : `The base model of this run (${base}) is not the one the run started from: its weights have changed.`,
  goneWhy:
    'The KL penalty and the KL chart measure the policy against the run’s base, so the tuned policy was not put back onto another model and tuning waits. Restore a backup that holds the base, or start a new run whose base is the current policy.',
  goneProblem: 'The base model of this run is gone, so tuning waits until a new run starts.',
  startNew: 'Start a new run from the current policy',
  shipped: (modelId: string): string => `shipped model “${modelId}”`,
  checkpoint: (id: number): string => `saved checkpoint #${id}`,
};
