/** Strings of the Tune stage's chart tools (metric chooser, earlier runs, downloads) and the presentation layout. */
import type { Algorithm } from '../../contract/algorithms';
import { isKnownMetric, type MetricName } from '../../contract/metrics';
import { formatDate } from './format';

/** Human titles of the metrics the engine logs, by their TRL name; a name without a title is shown as is. */
const METRIC_TITLES: Record<MetricName, string> = {
  'objective/scores': 'Reward-model score',
  'objective/kl': 'KL to the reference (nats per response)',
  'objective/entropy': 'Entropy (nats per response)',
  'objective/non_score_reward': 'KL penalty (−β · KL)',
  'objective/rlhf_reward': 'Score minus KL penalty',
  'policy/clipfrac': 'Clip fraction',
  'policy/approxkl': 'Approximate KL of one update',
  'policy/entropy_tokens': 'Entropy per token',
  'policy/skipped_updates': 'Updates skipped (not a number)',
  'loss/policy': 'Policy loss',
  'loss/value': 'Value loss',
  'loss/kl_term': 'KL term of the loss',
  'loss/sft': 'SFT loss (cross-entropy)',
  'val/clipfrac': 'Value clip fraction',
  'val/var_explained': 'Value: variance explained',
  'val/warmup_loss': 'Value loss of the warm-up before the first update',
  'rewards/chosen': 'DPO implicit reward of the chosen response',
  'rewards/rejected': 'DPO implicit reward of the rejected response',
  'rewards/margins': 'DPO reward margin (chosen − rejected)',
  'rewards/accuracies': 'DPO accuracy (chosen ranked higher)',
  'gold/score': 'Gold score (simulated labeler)',
  'probe/reward': 'Probe: reward-model score',
  'probe/gold': 'Probe: gold score',
  'probe/kl': 'Probe: KL to the reference',
  'response/length': 'Response length (tokens)',
  'response/ended_fraction': 'Responses that reached end-of-text',
  'budget/kl': 'KL budget',
  'budget/stopped': 'Stopped by the KL budget',
  'numerics/restored': 'Step undone (not a number)',
  'time/rollout_ms': 'Rollout time (ms)',
  'time/update_ms': 'Update time (ms)',
  'time/generate_ms': 'Generation time (ms)',
  'time/score_ms': 'Scoring time (ms)',
  beta: 'Beta (KL coefficient)',
  lr: 'Learning rate of the iteration',
};

const GROUP_TITLES: Record<string, string> = {
  objective: 'Objective',
  policy: 'Policy update',
  loss: 'Losses',
  val: 'Value head',
  rewards: 'DPO implicit rewards',
  gold: 'Simulated labeler',
  probe: 'Probe',
  response: 'Responses',
  budget: 'KL budget',
  numerics: 'Numerics',
  time: 'Timing',
  '': 'Other',
};

export const charts = {
  metricTitle: (name: string): string | null => (isKnownMetric(name) ? METRIC_TITLES[name] : null),
  groupTitle: (prefix: string): string => GROUP_TITLES[prefix] ?? prefix,
  klShort: 'KL',
  betaShort: 'β',
  chooser: 'More charts',
  chooserHint: 'Every metric the engine logged in this run, by its TRL name. Checked ones are charted.',
  chooserEmpty: 'The metrics of a run appear here after its first iteration.',
  inDefaults: 'always shown',
  runs: 'Earlier runs',
  runsHint: 'Draw up to two earlier runs over the charts (dashed), or download a run’s metrics.',
  runsEmpty:
    'Each run is kept here with its settings once it has logged an iteration; Reset to reference starts a new run.',
  columns: {
    run: 'Run',
    settings: 'Settings at the start',
    date: 'Started',
    iterations: 'Iterations',
    actions: 'Overlay and download',
  },
  runName: (name: string, id: number, current: boolean): string => `${name} #${id}${current ? ' (current)' : ''}`,
  settings: (algorithm: Algorithm | string | null, beta: number | null, learningRate: number | null): string =>
    [
      algorithm === null ? null : algorithm.toUpperCase(),
      beta === null ? null : `β ${beta}`,
      learningRate === null ? null : `lr ${learningRate}`,
    ]
      .filter((p) => p !== null)
      .join(' · ') || 'settings not recorded',
  date: (ms: number): string => formatDate(ms),
  overlay: 'Overlay',
  overlayFull: 'Two runs are overlaid already: clear one first.',
  overlayLabel: (series: string, run: string): string => `${series} · ${run}`,
  csv: 'CSV',
  csvLabel: (run: string): string => `Download the metrics of ${run} as CSV`,
  svg: 'SVG',
  png: 'PNG',
  downloadLabel: (format: string, title: string): string => `Download the chart “${title}” as ${format}`,
};
