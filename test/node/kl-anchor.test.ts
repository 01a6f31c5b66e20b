// The KL anchor is the run's base model, whatever the session rebuilt since: the first
// objective/kl after a settings change, a reward-model reload, a rebuild from storage (a reloaded
// page) and a device-loss fallback equals the KL the same weights measure against the original base.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { runRlhfLoop } from '../../src/engine/loop/rlhf-loop';
import { RlhfSession } from '../../src/engine/loop/session';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { tokenLogProbs } from '../../src/engine/model/losses';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import type { PPOConfig } from '../../src/engine/rl/ppo-config';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { RecoveryPoint } from '../../src/workers/device-loss';

const text = Array.from(
  { length: 40 },
  (_, i) => `the ${['dog', 'cat', 'bird'][i % 3]} ran to the park and was happy.`,
).join(' ');
const tokenizer = Tokenizer.train(text, { vocabSize: 280 });
const config = { ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 32 };
const prompts = ['the dog', 'the cat', 'a bird'];
const knobs: Partial<PPOConfig> = {
  maxNewTokens: 6,
  promptsPerIteration: 2,
  samplesPerPrompt: 2,
  temperature: 0.7,
  learningRate: 3e-2,
};
const labels = {
  comparisons: ['the dog', 'the cat', 'a bird', 'the dog'].map((prompt, i) => ({
    id: i,
    prompt,
    a: ' ran to the park',
    b: ' was happy',
    choice: i % 2 === 0 ? ('a' as const) : ('b' as const),
    labeler: 'human',
  })),
  ratings: [],
  demonstrations: [],
};

/**
 * Mean over responses of Σ_t log π(y_t) - log π_base(y_t), at the sampling temperature: each
 * prompt + response run whole and unpadded through both models, one sequence at a time.
 */
function klAgainst(policy: GPT, base: GPT, rollout: { prompts: number[][]; responses: number[][] }): number {
  const perResponse = rollout.responses.map((response, i) => {
    const prompt = rollout.prompts[i];
    const logp = (model: GPT) =>
      tf.tidy(() => {
        const ids = tf.tensor2d([[...prompt, ...response]], undefined, 'int32'); // [1, T]
        const logits = tf.slice(model.logits(ids), [0, prompt.length - 1, 0], [1, response.length, -1]); // [1, Lr, V]
        return Array.from(tokenLogProbs(logits, tf.tensor2d([response], undefined, 'int32'), 0.7).dataSync());
      });
    const [lp, lpBase] = [logp(policy), logp(base)];
    return lp.reduce((sum, x, t) => sum + x - lpBase[t], 0);
  });
  return perResponse.reduce((a, b) => a + b, 0) / perResponse.length;
}

/**
 * One iteration's objective/kl beside the KL its rollout has against `base`, measured with the
 * weights the rollout sampled from (the policy before the update). The rollout is what the
 * reward model was asked to score.
 */
async function firstKl(session: RlhfSession, base: GPT): Promise<{ reported: number; expected: number }> {
  const before = session.policy.clone();
  const score = vi.spyOn(RewardModel.prototype, 'score');
  try {
    const view = await session.iterate(prompts);
    const [rolloutPrompts, responses] = score.mock.calls[0];
    return {
      reported: view.metrics['objective/kl'],
      expected: klAgainst(before, base, { prompts: rolloutPrompts, responses }),
    };
  } finally {
    score.mockRestore();
    before.dispose();
  }
}

describe('the KL anchor is the run base, whatever was rebuilt', () => {
  let tensorsAtStart = 0;
  let base: GPT;
  let session: RlhfSession;

  beforeAll(async () => {
    tensorsAtStart = tf.memory().numTensors;
    base = new GPT(config, 1);
    session = new RlhfSession(base.clone(), tokenizer, {
      seed: 3,
      reward: { ensembleSize: 1, epochs: 1 },
      reference: base.clone(),
    });
    session.setLabels(labels);
    await session.trainRewardModel(prompts);
    session.configure('ppo', knobs);
    // Tune a little, so the policy is no longer the base.
    for (let i = 0; i < 3; i++) await session.iterate(prompts);
  }, 120_000);

  afterAll(() => {
    session.dispose();
    base.dispose();
    expect(tf.memory().numTensors).toBe(tensorsAtStart);
  });

  function expectAnchored({ reported, expected }: { reported: number; expected: number }): void {
    // Far from 0: a trainer anchored on a copy of the tuned policy would report about 0.
    expect(Math.abs(expected)).toBeGreaterThan(0.05);
    expect(reported).toBeCloseTo(expected, 3);
  }

  it('after a settings change (another beta, another algorithm)', async () => {
    session.configure('ppo', { ...knobs, beta: 0.2 });
    expectAnchored(await firstKl(session, base));
    session.configure('grpo', { ...knobs, beta: 0.1 });
    expectAnchored(await firstKl(session, base));
    session.configure('ppo', knobs);
  }, 120_000);

  it('after the reward model is reloaded', async () => {
    const bytes = (await session.saveRewardModel('rm', {}))!;
    session.loadRewardModel(bytes, 'the saved reward model');
    expectAnchored(await firstKl(session, base));
  }, 120_000);

  it('after a rebuild from storage: the saved tuned policy, the base as reference', async () => {
    const rewardBytes = (await session.saveRewardModel('rm', {}))!;
    const policyBytes = await session.savePolicy('tuned', {});
    const rebuilt = new RlhfSession(loadCheckpoint(policyBytes).model, tokenizer, {
      seed: 4,
      reference: base.clone(),
    });
    try {
      rebuilt.loadRewardModel(rewardBytes, 'the saved reward model');
      rebuilt.configure('ppo', knobs);
      expectAnchored(await firstKl(rebuilt, base));
    } finally {
      rebuilt.dispose();
    }
  }, 120_000);

  it('after a device-loss fallback: rebuilt on another backend from the recovery checkpoints', async () => {
    const rewardBytes = (await session.saveRewardModel('rm', {}))!;
    const baseBytes = await saveCheckpoint(base, {
      name: 'base',
      tokenizerFingerprint: tokenizer.fingerprint(),
      info: {},
    });
    const policyBytes = await session.savePolicy('tuned', {});
    const point = new RecoveryPoint();
    point.modelLoaded(baseBytes);
    point.note(
      { id: 1, type: 'savePolicy', name: 'tuned' },
      { kind: 'checkpoint', bytes: policyBytes.slice().buffer, config },
    );
    const kept = point.lost({ backend: 'wasm', reason: 'unknown', message: 'lost' });
    const backend = tf.getBackend();
    await tf.setBackend('cpu');
    const rebuilt = new RlhfSession(loadCheckpoint(new Uint8Array(kept.policy!)).model, tokenizer, {
      seed: 5,
      reference: loadCheckpoint(kept.base!).model,
    });
    const baseAgain = loadCheckpoint(kept.base!).model;
    try {
      rebuilt.loadRewardModel(rewardBytes, 'the saved reward model');
      rebuilt.configure('ppo', knobs);
      expectAnchored(await firstKl(rebuilt, baseAgain));
    } finally {
      rebuilt.dispose();
      baseAgain.dispose();
      await tf.setBackend(backend);
    }
  }, 120_000);

  it('in the loop of npm run rlhf, the trainer measures against --reference, not the starting policy', async () => {
    const policy = session.policy.clone();
    const start = policy.clone();
    const reference = base.clone();
    const iteration = vi.spyOn(PPOTrainer.prototype, 'iteration');
    try {
      const result = await runRlhfLoop(
        {
          policy,
          reference,
          codec: tokenizer,
          labeler: labelerFromScore('long', (_p, r) => r.length, { rationality: Infinity }),
          prompts,
        },
        {
          labels: 4,
          rounds: 1,
          policyIterationsPerRound: 1,
          normalizationSamples: 4,
          seed: 6,
          reward: { ensembleSize: 1, epochs: 1 },
          policy: knobs,
        },
      );
      result.reward.dispose();
      const { rollout } = await iteration.mock.results[0].value;
      expectAnchored({
        reported: result.rounds[0].metrics['objective/kl'],
        expected: klAgainst(start, base, rollout!),
      });
    } finally {
      iteration.mockRestore();
      [policy, start, reference].forEach((m) => m.dispose());
    }
  }, 120_000);
});
