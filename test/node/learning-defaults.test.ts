// `npm run rlhf` at its defaults runs the page's flow: the parsed CLI settings equal what the page
// uses (the Tune stage's settings for each algorithm, one Play of its iterations, the Label
// stage's temperature, the reward model's training settings), read from one object.
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, STUDY_PPO_VALUE_WARMUP } from '../../src/contract/algorithms';
import { LEARNING_DEFAULTS, STUDY_REWARD_MIN_STEPS } from '../../src/contract/learning-defaults';
import { LABEL_TEMPERATURE, sanitizeTune, toPPOConfig, withAlgorithm } from '../../src/contract/tune-settings';
import { DEFAULT_REWARD } from '../../src/engine/rl/reward-model';
import { DEFAULT_SETUP } from '../../src/ui/page-setup';
import { DEFAULT_LABELS, rlhfOptions } from '../../scripts/lib/rlhf-options';

const BASE = ['--labeler', 'happy-endings', '--out', 'unused'];

describe('the CLI defaults are the page defaults', () => {
  it('opens on the page default algorithm with its settings, one round of labels and one Play', () => {
    const o = rlhfOptions(BASE);
    const page = DEFAULT_SETUP.tune;
    expect(o.loop.algorithm).toBe(page.algorithm);
    expect(o.loop.policy).toEqual(toPPOConfig(page));
    expect(o.loop.labels).toBe(DEFAULT_LABELS);
    expect(o.loop.rounds).toBe(1);
    expect(o.loop.labelRounds).toBeUndefined();
    expect(o.loop.policyIterationsPerRound).toBe(page.iterations);
    expect(o.loop.labelTemperature).toBe(LABEL_TEMPERATURE);
    expect(o.loop.candidatesPerLabel).toBe(DEFAULT_SETUP.active ? 4 : 1);
    expect(o.loop.normalizationSamples).toBe(LEARNING_DEFAULTS.normalizationSamples);
    const { seed: _seed, ...reward } = DEFAULT_REWARD;
    expect(o.loop.reward).toEqual({ ...reward, minSteps: STUDY_REWARD_MIN_STEPS });
    expect(o.seeds).toEqual([0]);
    expect(o.study).toBe(false);
    // The page lengthens a Play whose reward model learned from marks (marked-play.ts); so does the
    // CLI, unless --policy-iterations names the Play's length.
    expect(o.loop.markedPlay).toBe(true);
    expect(rlhfOptions([...BASE, '--policy-iterations', String(page.iterations)]).loop.markedPlay).toBeUndefined();
  });

  for (const algorithm of ALGORITHMS.filter((a) => a !== 'sft')) {
    it(`--algo ${algorithm} takes the settings the page switches to for ${algorithm}`, () => {
      const o = rlhfOptions([...BASE, '--algo', algorithm]);
      const page = withAlgorithm(DEFAULT_SETUP.tune, algorithm);
      expect(o.loop.policy).toEqual(toPPOConfig(page));
      expect(o.loop.policy).toEqual(toPPOConfig(sanitizeTune({ algorithm })));
      expect(o.loop.policyIterationsPerRound).toBe(page.iterations);
    });
  }

  it('a flag overrides one setting and leaves the others at the page defaults', () => {
    const o = rlhfOptions([...BASE, '--algo', 'ppo', '--missing-eos-penalty', '0', '--samples-per-prompt', '8']);
    expect(o.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), missingEosPenalty: 0, samplesPerPrompt: 8 });
  });

  it('--kl-in-loss and --kl-estimator move the PPO penalty into the loss and pick its estimator', () => {
    const o = rlhfOptions([...BASE, '--algo', 'ppo', '--kl-in-loss', '--kl-estimator', 'k3']);
    expect(o.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), klInLoss: true, klEstimator: 'k3' });
    const j = rlhfOptions([...BASE, '--algo', 'dpo', '--judged-pairs', '200']);
    expect(j.loop.judgedPairs).toBe(200);
    expect(rlhfOptions([...BASE, '--algo', 'dpo']).loop.judgedPairs).toBeUndefined();
    const w = rlhfOptions([...BASE, '--algo', 'ppo', '--whiten-rewards']);
    expect(w.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), whitenRewards: true });
    const rn = rlhfOptions([...BASE, '--algo', 'ppo', '--running-score-norm']);
    expect(rn.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), runningScoreNorm: true });
    const b = rlhfOptions([...BASE, '--algo', 'sft', '--best-of-n', '8']);
    expect(b.loop.bestOfN).toEqual({ candidates: 8, prompts: 32 });
    expect(
      rlhfOptions([...BASE, '--algo', 'sft', '--best-of-n', '4', '--best-of-n-prompts', '64']).loop.bestOfN,
    ).toEqual({
      candidates: 4,
      prompts: 64,
    });
    expect(rlhfOptions([...BASE, '--algo', 'ppo']).loop.bestOfN).toBeUndefined();
    // Fine-grained marks: none unless asked for, taught without the word unless --mark-form prefix.
    expect(rlhfOptions([...BASE, '--algo', 'ppo']).loop.marksPerResponse).toBeUndefined();
    expect(rlhfOptions([...BASE, '--marks', '3']).loop).toMatchObject({ marksPerResponse: 3 });
    expect(rlhfOptions([...BASE, '--marks', '3']).loop.markForm).toBeUndefined();
    expect(rlhfOptions([...BASE, '--marks', '2', '--mark-form', 'prefix']).loop).toMatchObject({
      marksPerResponse: 2,
      markForm: 'prefix',
    });
    expect(rlhfOptions([...BASE, '--marks', '2', '--mark-form', 'without']).loop.markForm).toBeUndefined();
    // PPO warms its value model up by default, the study's pick; --value-warmup 0 turns it off.
    expect(toPPOConfig(DEFAULT_SETUP.tune).valueWarmupIterations).toBe(STUDY_PPO_VALUE_WARMUP);
    const v = rlhfOptions([...BASE, '--algo', 'ppo', '--value-warmup', '0']);
    expect(v.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), valueWarmupIterations: 0 });
    for (const algorithm of ['grpo', 'rloo', 'dpo'] as const)
      expect(rlhfOptions([...BASE, '--algo', algorithm]).loop.policy.valueWarmupIterations).toBeUndefined();
  });

  it("--spread-penalty lowers the online trainers' scores by the heads' spread, and is off by default", () => {
    for (const algorithm of ['ppo', 'grpo', 'rloo'] as const) {
      expect(rlhfOptions([...BASE, '--algo', algorithm, '--spread-penalty', '1']).loop.spreadPenalty).toBe(1);
      expect(rlhfOptions([...BASE, '--algo', algorithm]).loop.spreadPenalty).toBeUndefined();
    }
  });

  it("--lr-warmup and --lr-decay set the online trainers' schedule and nothing else", () => {
    const o = rlhfOptions([...BASE, '--algo', 'rloo', '--lr-warmup', '2', '--lr-decay', '10']);
    expect(o.loop.policy).toEqual({
      ...toPPOConfig(withAlgorithm(DEFAULT_SETUP.tune, 'rloo')),
      lrWarmupIterations: 2,
      lrDecayIterations: 10,
    });
  });

  it('--min-new-tokens holds end-of-text back in the rollout, its log-probs matched unless --unmatched-logprobs', () => {
    const truncation = { topK: 0, topP: 1, minNewTokens: 48 };
    const m = rlhfOptions([...BASE, '--algo', 'ppo', '--min-new-tokens', '48']);
    expect(m.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), ...truncation, matchedLogProbs: true });
    const u = rlhfOptions([...BASE, '--algo', 'ppo', '--min-new-tokens', '48', '--unmatched-logprobs']);
    expect(u.loop.policy).toEqual({ ...toPPOConfig(DEFAULT_SETUP.tune), ...truncation, matchedLogProbs: false });
  });

  it('--active and --contrast pick among 4 candidates from the second labelling round on', () => {
    const a = rlhfOptions([...BASE, '--active', '--iterations', '2']);
    expect(a.loop).toMatchObject({ rounds: 2, candidatesPerLabel: 4 });
    expect(a.loop.pairSelection).toBeUndefined();
    const c = rlhfOptions([...BASE, '--contrast', '--iterations', '3', '--label-rounds', '2']);
    expect(c.loop).toMatchObject({ rounds: 3, labelRounds: 2, candidatesPerLabel: 4, pairSelection: 'contrast' });
  });

  it('--reward-every trains between labels at the page’s background cadence, and lets pair selection run in one round', () => {
    expect(rlhfOptions(BASE).loop.rewardEvery).toBeUndefined();
    const every = String(LEARNING_DEFAULTS.backgroundTrainingEvery);
    const a = rlhfOptions([...BASE, '--reward-every', every, '--active']);
    expect(a.loop).toMatchObject({ rounds: 1, rewardEvery: 4, candidatesPerLabel: 4 });
    expect(() => rlhfOptions([...BASE, '--reward-every', '0'])).toThrow();
    expect(() => rlhfOptions([...BASE, '--active'])).toThrow();
  });

  it('--rm-early-stop stops the reward model on its out-of-bag loss and changes nothing else', () => {
    expect(LEARNING_DEFAULTS.reward.earlyStopPatience).toBe(0);
    const o = rlhfOptions([...BASE, '--rm-early-stop', '1']);
    expect(o.loop.reward).toEqual({ ...LEARNING_DEFAULTS.reward, earlyStopPatience: 1 });
  });

  it('--rm-trainable-layers trains only the last K blocks of the reward model and changes nothing else', () => {
    const o = rlhfOptions([...BASE, '--rm-trainable-layers', '2']);
    expect(o.loop.reward).toEqual({ ...LEARNING_DEFAULTS.reward, trainableLayers: 2 });
    expect(o.loop.policy).toEqual(toPPOConfig(DEFAULT_SETUP.tune));
  });

  it('--rm-label-smoothing smooths the reward model labels and changes nothing else', () => {
    const o = rlhfOptions([...BASE, '--rm-label-smoothing', '0.1']);
    expect(o.loop.reward).toEqual({ ...LEARNING_DEFAULTS.reward, labelSmoothing: 0.1 });
    expect(o.loop.policy).toEqual(toPPOConfig(DEFAULT_SETUP.tune));
  });

  it('--rm-epochs and --rm-lr change the reward model training and nothing else', () => {
    const o = rlhfOptions([...BASE, '--rm-epochs', '8', '--rm-lr', '1e-3']);
    const { seed: _seed, ...reward } = DEFAULT_REWARD;
    expect(o.loop.reward).toEqual({ ...reward, minSteps: STUDY_REWARD_MIN_STEPS, epochs: 8, learningRate: 1e-3 });
    expect(o.loop.policy).toEqual(toPPOConfig(DEFAULT_SETUP.tune));
  });

  it('--seeds gives a study of those seeds, the first seeding the loop', () => {
    const o = rlhfOptions([...BASE, '--seeds', '3-5']);
    expect(o.seeds).toEqual([3, 4, 5]);
    expect(o.study).toBe(true);
    expect(o.loop.seed).toBe(3);
  });
});
