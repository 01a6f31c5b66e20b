/** Strings of the stages: labelling, shortcuts, reward model, data (tune.ts: Tune, compare.ts: Compare). */
import type { LabelKind } from '../workspace';
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
  autoTrain: (n: number): string => `Train in the background every ${n} new labels`,
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
