/**
 * The RLHF formulas, one function per formula, in reading order: masked statistics, the KL
 * penalty and shaped rewards, GAE, PPO's clipped losses, preference losses (Bradley-Terry, DPO),
 * group advantages (GRPO, RLOO), the learning-rate schedule and running score moments. Per-token entropy is `entropy` in
 * model/losses.ts.
 */
export { maskedMean, maskedVar, maskedWhiten, sequenceLogProb } from './masked';
export { klPenalty, klShapedRewards, type KLEstimator, type KLShapedRewardsInput } from './kl';
export { gae, gaeReference } from './gae';
export { ppoPolicyLoss, valueLoss } from './ppo-losses';
export {
  bradleyTerryLoss,
  bradleyTerryLosses,
  bradleyTerryProbability,
  smoothTarget,
  dpoLoss,
  type DPOInput,
} from './preference-losses';
export { grpoAdvantages, rlooAdvantages } from './group-advantages';
export { scheduledLearningRate, scheduleProblem } from './schedule';
export { mergeMoments, momentsStd, NO_MOMENTS, type Moments } from './running-moments';
