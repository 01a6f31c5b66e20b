/**
 * What the worker checks before tuning or training the reward model, where the engine would
 * otherwise fail deep inside: each refusal says, with a typed code, what the person can do.
 */
import type { AlgorithmId, Message } from '../contract/messages';
import type { RlhfSession } from '../engine';
import { ALGORITHM_FACTS } from '../contract/algorithms';
import type { LabelLog } from '../contract/labels';
import type { TuneSettings } from '../contract/tune-settings';
import { WorkerFailure } from './failure';

/** Why the reward model has no pair to train on, for `algorithm` (null: training it directly). */
export function noPairs(session: RlhfSession, labels: LabelLog, algorithm: AlgorithmId | null): Message {
  const { comparisons, ratings } = labels;
  const { pairs } = session.pairCounts();
  const params =
    pairs > 0
      ? { algorithm, reason: 'allHeldOut' as const, count: pairs }
      : ratings.length > 0 && comparisons.length === 0
        ? { algorithm, reason: 'ratingsOnly' as const, count: ratings.length }
        : { algorithm, reason: 'none' as const, count: null };
  return { code: 'NO_PAIRS_TO_TRAIN', params };
}

/** Throws, with words the person can act on, when the chosen algorithm cannot run yet. */
export function checkCanTune(session: RlhfSession, settings: TuneSettings, labels: LabelLog): void {
  const { algorithm, samplesPerPrompt } = settings;
  const facts = ALGORITHM_FACTS[algorithm];
  if (facts.needsRewardModel && !session.hasRewardModel && session.pairCounts().training === 0)
    throw new WorkerFailure('NO_REWARD_MODEL', noPairs(session, labels, algorithm));
  if (facts.needsRewardModel && !session.hasRewardModel)
    throw new WorkerFailure('NO_REWARD_MODEL', { code: 'ALGORITHM_NEEDS_REWARD_MODEL', params: { algorithm } });
  if (facts.needsGroups && samplesPerPrompt < 2)
    throw new WorkerFailure('BAD_ARGUMENT', { code: 'ALGORITHM_NEEDS_GROUPS', params: { algorithm } });
  const decided = labels.comparisons.filter((c) => c.choice !== 'tie').length + labels.ratings.length;
  if (decided < facts.minPreferences)
    throw new WorkerFailure('NOT_ENOUGH_LABELS', {
      code: 'DPO_NEEDS_PAIRS',
      params: { needed: facts.minPreferences },
    });
  if (labels.demonstrations.length < facts.minDemonstrations)
    throw new WorkerFailure('NOT_ENOUGH_LABELS', { code: 'SFT_NEEDS_DEMONSTRATIONS', params: {} });
}
