/**
 * The names of the metrics a tuning run logs, as TRL's trainers name them (`objective/kl`,
 * `policy/clipfrac`, DPO's `rewards/margins`, SFT's `loss/sft`), plus the loop's own probes and
 * budget. The engine writes them, storage keeps them, the page charts and explains them.
 */
export const METRIC_NAMES = [
  'objective/scores',
  'objective/kl',
  'objective/entropy',
  'objective/non_score_reward',
  'objective/rlhf_reward',
  'policy/clipfrac',
  'policy/approxkl',
  'policy/entropy_tokens',
  'policy/skipped_updates',
  'loss/policy',
  'loss/value',
  'loss/kl_term',
  'loss/sft',
  'val/clipfrac',
  'val/var_explained',
  'val/warmup_loss',
  'rewards/chosen',
  'rewards/rejected',
  'rewards/margins',
  'rewards/accuracies',
  'gold/score',
  'probe/reward',
  'probe/gold',
  'probe/kl',
  'response/length',
  'response/ended_fraction',
  'budget/kl',
  'budget/stopped',
  'numerics/restored',
  'time/rollout_ms',
  'time/update_ms',
  'time/generate_ms',
  'time/score_ms',
  'beta',
  'lr',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** One iteration's metrics by name; a run logs only the ones its algorithm measures. */
export type Metrics = Partial<Record<MetricName, number>>;

/** True for the names this app logs; a stored run or an imported log may carry others. */
export function isKnownMetric(name: string): name is MetricName {
  return METRIC_NAMES.some((known) => known === name);
}
