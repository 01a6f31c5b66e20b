/**
 * Strings of the experiments that break RLHF on purpose: each experiment's title, what to watch,
 * why it happens and the fix, keyed by its id; and the sentences that read the run's own numbers.
 */
import type { ExperimentId } from '../../contract/experiments';
import type { Reading } from '../experiment-evidence';
import { formatPercent } from './format';

export interface ExperimentText {
  title: string;
  /** The setup in one or two sentences. */
  setup: string;
  /** What to look at on the charts while it runs. */
  watch: string;
  /** Why it goes wrong, in RLHF terms. */
  why: string;
  /** What prevents it. */
  fix: string;
}

export const EXPERIMENT_TEXT: Record<ExperimentId, ExperimentText> = {
  'reward-hacking': {
    title: 'Reward hacking',
    setup:
      'A reward model trained on only 20 labels, then frozen, and PPO with β = 0: nothing holds the policy near the model it started from.',
    watch:
      'The reward-model score (the proxy) against the simulated labeler’s gold score (the truth the labels came from).',
    why: 'The reward model learned the labeler’s taste from a handful of pairs, so it is right near the text it was trained on and wrong further away. Without a KL penalty the policy is free to walk away from that text, towards whatever the reward model over-scores. The proxy keeps rising; the gold score, which nobody optimises, does not follow.',
    fix: 'Keep a KL penalty (β > 0) so the policy stays where the reward model is reliable, label more pairs, and retrain the reward model on what the tuned policy now writes.',
  },
  'lr-collapse': {
    title: 'KL runaway and collapse',
    setup: 'PPO with a learning rate ten times the default.',
    watch: 'The KL to the reference, and distinct-2 (the share of distinct token pairs in the samples).',
    why: 'Each update moves the policy much further than the clipped objective can check: PPO’s clip limits how much one sample’s probability ratio counts, not how far the weights move. The policy overshoots, the KL grows fast, and the text collapses onto a few repeated phrases, which distinct-2 shows as a fall.',
    fix: 'Lower the learning rate (the default is tuned for this model), keep the KL target, and stop a run whose KL passes a budget.',
  },
  'negative-kl': {
    title: 'A KL that goes negative: a story that may not end',
    setup:
      'PPO whose rollout never lets a response end (end-of-text held back, as a minimum-length setting does), with the KL penalty in the loss and three times the default step size. The broken arm penalises log π − log π_ref of the sampled tokens, scored with the full softmax, end-of-text included; the fixed arm scores them with the distribution they were drawn from and uses k3, the estimator GRPO puts in its loss.',
    watch:
      'The KL to the reference in both arms: the broken arm’s falls below zero and keeps falling, while the fixed arm’s stays a KL, at or above zero.',
    why: 'A KL is never negative, but the chart shows an estimate: the average of log π(token) − log π_ref(token) over the sampled tokens, which is a KL only when the tokens come from π itself. Here they come from π with end-of-text removed and the rest renormalised, so every token’s term also carries log(1 − π(end)) − log(1 − π_ref(end)). The penalty in the loss lowers the probability of every token the sampler can draw, so the policy moves probability onto end-of-text, which the sampler never draws: that term goes below zero, the estimate with it, and the penalty turns into a bonus for a change the chart hides. Sampling with top-k or top-p and scoring without the truncation is the same error, the failure most often reported against TRL.',
    fix: 'Score the rollout with the distribution it was sampled from, and put in the loss an estimator whose gradient holds the policy near the reference (k3; the plain log-ratio’s gradient is zero on average), as the fixed arm does. Or sample during training without a minimum length, top-k or top-p.',
  },
  'bad-labels': {
    title: 'Too few, contradictory labels',
    setup: 'A reward model trained on 12 labels, half of them flipped against the labeler’s own verdict.',
    watch: 'The reward model’s accuracy on held-out labels, and the gold score while the policy is tuned against it.',
    why: 'With half the verdicts flipped the labels say nothing consistent, so the reward model fits noise: its held-out accuracy is near chance (50%). Tuning against it moves the policy in a direction unrelated to the labeler’s taste, so the gold score drifts, often down.',
    fix: 'More labels, and consistent ones: check agreement by asking some pairs twice, and look at the pairs the reward model disagrees with before tuning.',
  },
  'dpo-vs-ppo': {
    title: 'DPO and PPO on the same labels',
    setup:
      'The same 40 labels train a reward model for PPO and go straight into DPO, which needs no reward model. Both start from the same base.',
    watch:
      'The gold score and the KL to the reference, both arms on the same charts. PPO’s come from its rollouts; DPO samples nothing, so fresh samples (the same prompts and seed each time) measure it.',
    why: 'PPO samples new responses and learns from the reward model’s scores of them, so it can improve beyond the labelled pairs but also exploit the reward model’s mistakes. DPO learns only from the labelled pairs themselves: cheaper and stable, but it sees nothing the labels do not cover.',
    fix: 'Neither is wrong: compare gold score at equal KL. With few labels DPO often holds up better; with a good reward model PPO can go further.',
  },
};

/** Arm keys as a legend shows them. */
const ARM_NAMES: Record<string, string> = {
  beta0: 'β = 0',
  lr10: 'learning rate ×10',
  broken: 'broken',
  fixed: 'fixed',
  noisy: 'noisy labels',
  ppo: 'PPO',
  dpo: 'DPO',
};

/** Metrics as a sentence names them. */
const METRIC_PHRASES: Record<string, string> = {
  'objective/scores': 'the proxy reward (reward-model score)',
  'gold/score': 'the labeler’s gold score',
  'objective/kl': 'the KL to the reference',
  'eval/distinct_2': 'distinct-2',
};

/** Chart titles of the metrics an experiment charts. */
const CHART_TITLES: Record<string, string> = {
  'objective/scores': 'Proxy reward (reward-model score)',
  'gold/score': 'Gold score (the simulated labeler’s)',
  'objective/kl': 'KL to the reference (nats per response)',
  'eval/distinct_2': 'Distinct-2 of the samples',
};

const number = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

export const experiments = {
  entry: 'Experiments',
  heading: 'Experiments that break RLHF on purpose',
  intro:
    'Each experiment runs in a workspace of its own: your labels, reward model and policy stay exactly as they are. Open one, watch it go wrong, and read why.',
  open: (title: string) => `Run “${title}”`,
  link: 'Link to this experiment',
  back: 'Back to your run',
  list: 'All experiments',
  separate: 'Experiment workspace: your own labels, reward model and policy are untouched.',
  waiting: 'Waiting for the model to load…',
  run: 'Run it',
  again: 'Run it again',
  cancel: 'Cancel',
  cancelled:
    'Cancelled. The experiment stopped cleanly; what it measured so far is shown below, and your own run was never touched.',
  phase: { label: 'The simulated labeler labels pairs', reward: 'Training the reward model', tune: 'Tuning' },
  progress: (done: number, total: number) => `${done} of ${total} steps`,
  labelled: (labels: number, flipped: number) =>
    flipped === 0 ? `${labels} labels given.` : `${labels} labels given, ${flipped} of them flipped on purpose.`,
  rewardAccuracy: (accuracy: number, heldOut: number) =>
    Number.isFinite(accuracy)
      ? `The reward model agrees with ${formatPercent(accuracy)} of ${heldOut} held-out labels (chance is 50%).`
      : `The reward model has no decided held-out label to be checked on (${heldOut} held out).`,
  setupHeading: 'The setup',
  watchHeading: 'What to watch',
  whatHappened: 'What happened',
  whyHeading: 'Why it happens',
  fixHeading: 'The fix',
  samples: 'Latest samples',
  sampleMeta: (arm: string, iteration: number, gold: number | null) =>
    `${armName(arm)}, iteration ${iteration}${gold === null ? '' : `, gold ${number(gold)}`}`,
  iteration: 'Iteration',
  chartTitle: (metric: string) => CHART_TITLES[metric] ?? metric,
  armName,
  /** One measured movement: "the proxy reward rose from 0.10 to 1.52 (β = 0)". */
  moved: (metric: string, arm: string, from: number, to: number, arms: number): string => {
    const verb = to > from ? 'rose' : to < from ? 'fell' : 'stayed';
    const where = arms > 1 ? ` (${armName(arm)})` : '';
    const span = verb === 'stayed' ? `at ${number(to)}` : `from ${number(from)} to ${number(to)}`;
    return `${METRIC_PHRASES[metric] ?? metric} ${verb} ${span}${where}`;
  },
  belowZero: (metric: string, arm: string, to: number) =>
    `${METRIC_PHRASES[metric] ?? metric} ended at ${number(to)} (${armName(arm)})${to < 0 ? ', below zero' : ''}`,
  /** An arm's end value against another arm's: "the KL ended at 4.10 (broken), 8 times the 0.52 of fixed". */
  exceeds: (metric: string, arm: string, to: number, than: string, other: number) =>
    `${METRIC_PHRASES[metric] ?? metric} ended at ${number(to)} (${armName(arm)}), ${other > 0 ? `${number(to / other)} times the ${number(other)} of ${armName(than)}` : `against ${number(other)} for ${armName(than)}`}`,
  /** Sentences joined: "A, while B." */
  joined: (parts: string[]) => `${capitalise(parts.join(', while '))}.`,
  held: 'That is the failure this experiment is about.',
  notHeld: (which: string[]) =>
    `This run did not show it clearly: ${which.join(' and ')} went the other way. Small runs are noisy; run it again or with more iterations.`,
  tooShort: 'The run was too short to read a trend from; run it to the end.',
  /** DPO against PPO: which ended with the higher gold score. */
  comparison: (a: string, aGold: number, b: string, bGold: number) =>
    aGold === bGold
      ? `${armName(a)} and ${armName(b)} ended with the same gold score (${number(aGold)}).`
      : `${armName(aGold > bGold ? a : b)} ended with the higher gold score (${number(Math.max(aGold, bGold))} against ${number(Math.min(aGold, bGold))}).`,
};

function armName(arm: string): string {
  return ARM_NAMES[arm] ?? arm;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What the run measured, as sentences: the evidence's movements joined ("the proxy reward rose from
 * … while the gold score fell from …"), whether that is what the experiment shows, and for a
 * side-by-side comparison each arm's gold score and KL.
 */
export function whatHappened(readings: readonly Reading[], armReadings: readonly Reading[], arms: number): string[] {
  const lines: string[] = [];
  if (readings.length > 0) {
    lines.push(
      experiments.joined(
        readings.map((r) =>
          r.expect === 'below-zero'
            ? experiments.belowZero(r.metric, r.arm, r.to)
            : r.than !== null
              ? experiments.exceeds(r.metric, r.arm, r.to, r.than.arm, r.than.value)
              : experiments.moved(r.metric, r.arm, r.from, r.to, arms),
        ),
      ),
    );
    const missed = readings.filter((r) => r.held === false).map((r) => METRIC_PHRASES[r.metric] ?? r.metric);
    lines.push(missed.length === 0 ? experiments.held : experiments.notHeld(missed));
  }
  if (arms > 1 || readings.length === 0) {
    for (const arm of new Set(armReadings.map((r) => r.arm))) {
      const own = armReadings.filter((r) => r.arm === arm);
      lines.push(`${armName(arm)}: ${own.map((r) => experiments.moved(r.metric, r.arm, r.from, r.to, 1)).join('; ')}.`);
    }
    const golds = armReadings.filter((r) => r.metric === 'gold/score');
    if (golds.length === 2) lines.push(experiments.comparison(golds[0].arm, golds[0].to, golds[1].arm, golds[1].to));
  }
  return lines.length === 0 ? [experiments.tooShort] : lines;
}
