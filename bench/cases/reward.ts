/**
 * Reward-model training: epochs of the default RewardConfig (an ensemble of heads on a copy of the
 * policy trunk, Bradley-Terry loss, AdamW) over random preference pairs, per epoch and per
 * optimiser step. Every tenth pair is held out for evaluation, as in the app, so it is not trained on.
 */
import { GPT } from '../../src/engine/model/gpt';
import { isHeldOut } from '../../src/engine/rl/preferences';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { measure } from '../stats';
import { percent } from '../table';
import type { BenchCase, CaseContext, CaseResult } from '../types';
import { PAD_ID, randomPairs } from './fixtures';

async function run({ sizes, clock, log }: CaseContext): Promise<CaseResult> {
  const s = sizes.rl;
  const policy = new GPT(s.model, 1);
  // One epoch per train() call, so each timed run is one pass over the pairs.
  const rm = new RewardModel(policy, PAD_ID, { epochs: 1 });
  const pairs = randomPairs(s.pairs, s.promptLength, s.responseLength, s.model.vocabSize);
  const trained = pairs.filter((_, i) => !isHeldOut(i)).length;
  const { batchSize, ensembleSize } = rm.config;
  const steps = Math.ceil(trained / batchSize);
  log(`reward: ${s.warmup} + ${s.repeats} epochs of ${trained} pairs, ${steps} steps each`);
  const epoch = await measure(() => rm.train(pairs), s, clock);
  rm.dispose();
  policy.dispose();
  const stepMs = epoch.medianMs / steps;
  return {
    rows: [
      {
        metric: 'reward-model epoch',
        value: epoch.medianMs,
        unit: 'ms',
        note: `${trained} pairs of ${s.promptLength} + 2 x ${s.responseLength} tokens, spread ${percent(epoch.spread)}`,
      },
      { metric: '  per optimiser step', value: stepMs, unit: 'ms', note: `${batchSize} pairs, ${ensembleSize} heads` },
      { metric: '  pairs per second', value: trained / (epoch.medianMs / 1000), unit: 'pairs/s' },
    ],
    figures: { pairs: trained, steps, batchSize, ensembleSize, epoch, stepMs },
    headline: { rewardModelEpochMs: epoch.medianMs },
  };
}

export const rewardCase: BenchCase = {
  name: 'reward',
  title: 'Reward-model training (ensemble, Bradley-Terry, AdamW)',
  run,
};
