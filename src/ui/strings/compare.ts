/** Strings of the Compare stage: the comparison, its yardstick, and the blind A/B round. */
import type { WinRate } from '../../engine/eval/win-rate';
import type { LabelerInfo } from '../../contract/protocol';
import { formatPercent as pct, winRateValue } from './format';
import { labelerNames } from './labeler-names';

type EvaluateStage = 'base' | 'tuned' | 'reward';

/** Whether `id` names a simulated labeler (one of `labelers`, or a keyword rule) rather than a person. */
export function isSimulatedLabeler(id: string, labelers: readonly LabelerInfo[]): boolean {
  return labelers.some((l) => l.id === id) || id.startsWith('keyword:');
}

/** A simulated labeler's name, if it is one of `labelers`: its title, or its keyword rule. */
function labelerName(id: string, labelers: readonly LabelerInfo[]): string {
  return isSimulatedLabeler(id, labelers) ? labelerNames.title(id) : id;
}

/** The comparison table's header cells: prompt, left policy, right policy. */
const COLUMNS: readonly [prompt: string, left: string, right: string] = ['Prompt', 'Left', 'Right'];

export const compare = {
  heading: 'Compare two policies',
  left: 'Left',
  right: 'Right',
  choice: (c: string, names: Map<number, string>): string => {
    if (c === 'base') return 'Base (the reference)';
    if (c === 'current') return 'Current policy';
    return `Saved: ${names.get(Number(c.slice('checkpoint:'.length))) ?? c}`;
  },
  run: 'Compare on held-out prompts',
  running: 'Sampling both policies…',
  progress: (stage: EvaluateStage, done: number, total: number): string =>
    stage === 'reward'
      ? `Scoring with your reward model: pair ${done} of ${total}`
      : `Sampling the ${stage === 'base' ? 'left' : 'right'} policy: token ${done} of ${total}`,
  rewardHeadline: (w: WinRate): string =>
    `Your reward model prefers the right policy in ${pct(w.rate)} of ${w.pairs} pairs (95% interval ${pct(w.low)}–${pct(w.high)}, bootstrapped over ${w.groups} prompts; ties count half).`,
  noReward:
    'There is no reward model yet, so nothing learned from your labels judges these pairs: train one in the Reward stage. You can judge them yourself in a blind round below.',
  blindHeadline: (w: WinRate | null, votes: number): string =>
    w === null
      ? 'Your own verdict: judge fresh pairs blind below (keys 1, 2, 3).'
      : `Your blind verdict: the right policy wins ${winRateValue(w)} of your ${votes} votes.`,
  yardstickLabel: 'Yardstick: a simulated labeler’s gold score',
  yardstickNone: 'None',
  yardstickOption: (id: string, labelers: readonly LabelerInfo[], gaveLabels: boolean): string =>
    `${labelerName(id, labelers)}${gaveLabels ? ' (gave labels)' : ''}`,
  yardstick: (id: string, labelers: readonly LabelerInfo[], gaveLabels: boolean, w: WinRate): string =>
    `${gaveLabels ? 'By the gold score of' : 'Yardstick only, by the gold score of'} “${labelerName(id, labelers)}”${gaveLabels ? ', the simulated labeler that gave labels' : ', which gave none of the labels'}: the right policy wins ${pct(w.rate)} of ${w.pairs} pairs (95% interval ${pct(w.low)}–${pct(w.high)}; ties count half).`,
  gold: (l: number, r: number): string => `Mean gold score: left ${l.toFixed(2)}, right ${r.toFixed(2)}.`,
  agreement: (rate: number, pairs: number): string =>
    `Your reward model orders ${pct(rate)} of the ${pairs} pairs the gold score tells apart the way the gold score does (a coin toss would get 50%). Where it is wrong, tuning follows it the wrong way.`,
  reward: (l: number, r: number): string => `Mean reward-model score: left ${l.toFixed(2)}, right ${r.toFixed(2)}.`,
  kl: (kl: number): string => `KL(right ‖ left): ${kl.toFixed(2)} nats per response.`,
  distinct: (l: number, r: number): string =>
    `Diversity (distinct word pairs): left ${(l * 100).toFixed(0)}%, right ${(r * 100).toFixed(0)}%.`,
  columns: COLUMNS,
  showAll: (n: number): string => `Show all ${n} pairs`,
  onePerPrompt: 'Show one pair per prompt',
  scores: (gold: number | null, reward: number | null): string =>
    [gold === null ? '' : `gold ${gold.toFixed(2)}`, reward === null ? '' : `reward ${reward.toFixed(2)}`]
      .filter((s) => s !== '')
      .join(' · '),
  blindHeading: 'Blind A/B: judge without knowing which is which',
  blindIntro:
    'Fresh responses of the two policies picked above, drawn for this round only and shown nowhere else, each pair in a random order. Each vote is saved as you give it.',
  blindStart: 'Start a blind round',
  blindLoading: 'Sampling fresh pairs…',
  blindProgress: (i: number, n: number): string => `Pair ${i} of ${n}`,
  first: 'First is better (1)',
  second: 'Second is better (2)',
  tie: 'Tie (3)',
  blindResult: (right: number, left: number, ties: number, w: WinRate | null): string =>
    `You preferred the right policy ${right} times, the left ${left} times, ${ties} ties${w === null ? '.' : `: the right wins ${winRateValue(w)}, each vote one prompt; ties count half.`}`,
  none: 'Pick two policies and compare them on prompts never used for labelling or tuning.',
};
