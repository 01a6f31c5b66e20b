// The reward model's checkpoint: a trained, normalised ensemble saved and loaded scores every text
// bit for bit as before; foreign, corrupt or mismatched files are refused with an EngineError that
// says what is wrong.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { decodeSafetensors, encodeSafetensors, toFloat32 } from '../../src/engine/checkpoint/safetensors';
import { EngineError } from '../../src/engine/errors';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { DEFAULT_REWARD, RewardModel } from '../../src/engine/rl/reward-model';
import { RlhfSession } from '../../src/engine/loop/session';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import {
  REWARD_CHECKPOINT_FORMAT,
  isRewardCheckpoint,
  loadRewardCheckpoint,
  saveRewardCheckpoint,
} from '../../src/engine/rl/reward-checkpoint';
import { Rng } from '../../src/engine/rng';
import { tensorsLeaked } from '../helpers/tensors';
import { sentenceOf } from '../helpers/sentence';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const PAD = 31;
const tokenizer = { fingerprint: () => 'tok-a', vocabSize: 32 };
const meta = { name: 'rm', tokenizerFingerprint: 'tok-a', info: { labels: 12, accuracy: 0.75 } };

function randomPairs(n: number, seed: number) {
  const rng = new Rng(seed);
  const seq = (len: number) => Array.from({ length: len }, () => 1 + rng.int(29));
  return Array.from({ length: n }, (_, key) => ({ key, prompt: seq(2), chosen: seq(5), rejected: seq(5), target: 1 }));
}

/** Rewrites one metadata field (or one tensor's values) of a file, keeping the rest. */
function rewrite(
  bytes: Uint8Array,
  change: {
    meta?: Record<string, string>;
    tensors?: (t: Map<string, { shape: number[]; data: Float32Array }>) => void;
  },
): Uint8Array {
  const file = decodeSafetensors(bytes);
  const tensors = new Map([...file.tensors].map(([name, e]) => [name, { shape: e.shape, data: toFloat32(e, name) }]));
  change.tensors?.(tensors);
  return encodeSafetensors(tensors, { ...file.metadata, ...change.meta });
}

/** The EngineError `fn` throws: its code, and its message as a person reads it. */
function errorOf(fn: () => unknown): { code: EngineError['code']; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof EngineError) return { code: err.code, message: sentenceOf(err) };
    throw err;
  }
  throw new Error('expected an EngineError, but nothing was thrown');
}

describe('reward-model checkpoint', () => {
  let policy: GPT;
  let reward: RewardModel;
  let bytes: Uint8Array;
  const prompts = [[1, 2], [3], [4, 5, 6]];
  const responses = [
    [7, 7, 9],
    [10, 11],
    [12, 13, 14, 15],
  ];

  beforeAll(async () => {
    policy = new GPT(config, 1);
    reward = new RewardModel(policy, PAD, { ensembleSize: 3, epochs: 1, seed: 5 });
    await reward.train(randomPairs(10, 2));
    await reward.normalize(prompts, responses);
    bytes = await saveRewardCheckpoint(reward, meta);
  }, 60_000);

  afterAll(() => {
    reward.dispose();
    policy.dispose();
  });

  it('round-trips to bit-identical scores, heads, normalisation and config', async () => {
    expect(isRewardCheckpoint(bytes)).toBe(true);
    const { reward: back, metadata } = loadRewardCheckpoint(bytes, { padId: PAD, tokenizer });
    expect(metadata).toMatchObject({ name: 'rm', tokenizerFingerprint: 'tok-a', info: meta.info });
    expect(back.config).toEqual(reward.config);
    expect(back.normalization).toEqual(reward.normalization);
    expect(back.normalization.std).not.toBe(1);
    const before = await reward.score(prompts, responses);
    const after = await back.score(prompts, responses);
    expect(after.mean).toEqual(before.mean);
    expect(after.disagreement).toEqual(before.disagreement);
    expect(before.disagreement.every((d) => d > 0)).toBe(true);
    expect(
      await back.comparePairs(
        prompts,
        responses,
        responses.map((r) => [...r].reverse()),
      ),
    ).toEqual(
      await reward.comparePairs(
        prompts,
        responses,
        responses.map((r) => [...r].reverse()),
      ),
    );
    // Saving the restored model again gives the same tensors and the same metadata values.
    const again = decodeSafetensors(await saveRewardCheckpoint(back, meta));
    const first = decodeSafetensors(bytes);
    expect([...again.tensors.keys()]).toEqual([...first.tensors.keys()]);
    for (const [name, e] of first.tensors) expect(again.tensors.get(name)!.data).toEqual(e.data);
    for (const field of ['config', 'reward_config', 'normalization', 'info'])
      expect(JSON.parse(again.metadata[field])).toEqual(JSON.parse(first.metadata[field]));
    back.dispose();
  });

  it('leaves no tensors behind when saving, or loading then disposing', async () => {
    expect(await tensorsLeaked(() => saveRewardCheckpoint(reward, meta))).toBe(0);
    expect(await tensorsLeaked(() => loadRewardCheckpoint(bytes, { padId: PAD }).reward.dispose())).toBe(0);
  });

  it('refuses a policy checkpoint, a foreign file and truncated bytes', async () => {
    const gpt = await saveCheckpoint(policy, { name: 'p', tokenizerFingerprint: 'tok-a', info: {} });
    expect(isRewardCheckpoint(gpt)).toBe(false);
    const asPolicy = errorOf(() => loadRewardCheckpoint(gpt, { padId: PAD, source: 'saved.safetensors' }));
    expect(asPolicy.code).toBe('BAD_CHECKPOINT');
    expect(asPolicy.message).toMatch(/^saved\.safetensors: a policy checkpoint, not a reward model/);
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { format: 'other' } }), { padId: PAD })).message,
    ).toMatch(/not an RLHF Playground reward model/);
    expect(errorOf(() => loadRewardCheckpoint(bytes.subarray(0, bytes.length - 9), { padId: PAD })).code).toBe(
      'BAD_CHECKPOINT',
    );
    expect(isRewardCheckpoint(new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('refuses another tokenizer, and a config that does not match the tensors', () => {
    const other = errorOf(() =>
      loadRewardCheckpoint(bytes, { padId: PAD, tokenizer: { fingerprint: () => 'tok-b', vocabSize: 32 } }),
    );
    expect(other.code).toBe('BAD_TOKENIZER');
    expect(other.message).toMatch(/tok-a.*tok-b/);
    const heads = JSON.stringify({ ...reward.config, ensembleSize: 4 });
    const wrongHeads = errorOf(() =>
      loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: heads } }), { padId: PAD }),
    );
    expect(wrongHeads.code).toBe('BAD_CHECKPOINT');
    expect(wrongHeads.message).toMatch(/score\.weight has shape \[16, 3\]/);
    const wider = JSON.stringify({ ...config, nEmbd: 32 });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { config: wider } }), { padId: PAD })).message,
    ).toMatch(/has shape/);
    expect(
      errorOf(() =>
        loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: '{"ensembleSize":0}' } }), { padId: PAD }),
      ).message,
    ).toMatch(/reward_config\.ensembleSize must be a positive integer, got 0/);
  });

  it('reads a checkpoint saved before minSteps with the default, and refuses a bad one', () => {
    const { minSteps: _m, ...older } = reward.config;
    const old = loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: JSON.stringify(older) } }), {
      padId: PAD,
    }).reward;
    expect(old.config.minSteps).toBe(DEFAULT_REWARD.minSteps);
    old.dispose();
    const bad = JSON.stringify({ ...reward.config, minSteps: -1 });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: bad } }), { padId: PAD })).message,
    ).toMatch(/reward_config\.minSteps must be/);
  });

  it('reads a checkpoint saved before labelSmoothing as none, and refuses one of 1 or more', () => {
    const { labelSmoothing: _l, ...older } = reward.config;
    const old = loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: JSON.stringify(older) } }), {
      padId: PAD,
    }).reward;
    expect(old.config.labelSmoothing).toBe(0);
    old.dispose();
    const bad = JSON.stringify({ ...reward.config, labelSmoothing: 1 });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: bad } }), { padId: PAD })).message,
    ).toMatch(/reward_config\.labelSmoothing must be/);
  });

  it('reads a checkpoint saved before trainableLayers (or earlyStopPatience) as every weight trained (no early stop), and refuses a negative count', () => {
    const { trainableLayers: _t, earlyStopPatience: _e, ...older } = reward.config;
    const old = loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: JSON.stringify(older) } }), {
      padId: PAD,
    }).reward;
    expect(old.config.trainableLayers).toBe(0);
    expect(old.config.earlyStopPatience).toBe(0);
    const patient = JSON.stringify({ ...reward.config, earlyStopPatience: 2 });
    const kept = loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: patient } }), { padId: PAD }).reward;
    expect(kept.config.earlyStopPatience).toBe(2);
    kept.dispose();
    const negative = JSON.stringify({ ...reward.config, earlyStopPatience: -1 });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: negative } }), { padId: PAD }))
        .message,
    ).toMatch(/reward_config\.earlyStopPatience must be/);
    old.dispose();
    const bad = JSON.stringify({ ...reward.config, trainableLayers: -1 });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: bad } }), { padId: PAD })).message,
    ).toMatch(/reward_config\.trainableLayers must be/);
    // More trainable blocks than the model has: refused as a bad file, naming it, leaking nothing.
    const deep = JSON.stringify({ ...reward.config, trainableLayers: 99 });
    const before = tf.memory().numTensors;
    const refused = errorOf(() =>
      loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: deep } }), { padId: PAD, source: 'rm.safetensors' }),
    );
    expect(refused).toMatchObject({ code: 'BAD_CHECKPOINT' });
    expect(refused.message).toMatch(/rm\.safetensors.*reward_config\.trainableLayers/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads a checkpoint saved before pooling and frozenTrunk as last-token scores of a trained trunk, and refuses values it does not know', () => {
    const { pooling: _p, frozenTrunk: _f, ...older } = reward.config;
    const old = loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: JSON.stringify(older) } }), {
      padId: PAD,
    }).reward;
    expect(old.config.pooling).toBe('last');
    expect(old.model.pooling).toBe('last');
    expect(old.config.frozenTrunk).toBe(false);
    old.dispose();
    const before = tf.memory().numTensors;
    const pooling = JSON.stringify({ ...reward.config, pooling: 'max' });
    const refused = errorOf(() =>
      loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: pooling } }), {
        padId: PAD,
        source: 'rm.safetensors',
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_CHECKPOINT' });
    expect(refused.message).toMatch(/rm\.safetensors: reward_config\.pooling.*"max"/);
    const frozen = JSON.stringify({ ...reward.config, frozenTrunk: 'yes' });
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { reward_config: frozen } }), { padId: PAD })).message,
    ).toMatch(/reward_config\.frozenTrunk/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad normalisation, missing or extra tensors, and NaN weights', () => {
    expect(
      errorOf(() =>
        loadRewardCheckpoint(rewrite(bytes, { meta: { normalization: '{"mean":0,"std":0}' } }), { padId: PAD }),
      ).message,
    ).toMatch(/normalization\.std must be a positive number, got 0/);
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { meta: { normalization: 'nope' } }), { padId: PAD })).message,
    ).toMatch(/"normalization" is not valid JSON/);
    expect(
      errorOf(() => loadRewardCheckpoint(rewrite(bytes, { tensors: (t) => t.delete('score.bias') }), { padId: PAD }))
        .message,
    ).toMatch(/tensor score\.bias is missing/);
    expect(
      errorOf(() =>
        loadRewardCheckpoint(
          rewrite(bytes, { tensors: (t) => t.set('extra', { shape: [1], data: new Float32Array(1) }) }),
          { padId: PAD },
        ),
      ).message,
    ).toMatch(/unexpected tensor\(s\) extra/);
    const nan = rewrite(bytes, { tensors: (t) => (t.get('score.bias')!.data[1] = NaN) });
    expect(errorOf(() => loadRewardCheckpoint(nan, { padId: PAD })).message).toMatch(
      /tensor score\.bias: value at index 1 is NaN/,
    );
  });

  it('marks its files with their own format', () => {
    expect(decodeSafetensors(bytes).metadata.format).toBe(REWARD_CHECKPOINT_FORMAT);
  });
});

describe('RlhfSession with a saved reward model', () => {
  const text = Array.from(
    { length: 30 },
    (_, i) => `the ${['dog', 'cat', 'bird'][i % 3]} ran to the park and was happy.`,
  ).join(' ');
  const tok = Tokenizer.train(text, { vocabSize: 280 });
  const gpt = { ...GPT_PRESETS.tiny, vocabSize: tok.vocabSize, blockSize: 32 };
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

  it('puts a trained reward model into a new session: same scores, and PPO runs without training', async () => {
    const first = new RlhfSession(new GPT(gpt, 1), tok, { seed: 1, reward: { ensembleSize: 2, epochs: 1 } });
    expect(await first.saveRewardModel('none', {})).toBeNull();
    first.setLabels(labels);
    await first.trainRewardModel(['the dog', 'the cat']);
    const bytes = (await first.saveRewardModel('rm', { labels: 4 }))!;
    const before = await first.scoreText('the cat', ' was happy');
    first.dispose();

    const second = new RlhfSession(new GPT(gpt, 1), tok, { seed: 2 });
    expect(() => second.loadRewardModel(bytes.subarray(0, 100), 'cut')).toThrow(EngineError);
    expect(second.hasRewardModel).toBe(false);
    second.loadRewardModel(bytes, 'saved');
    expect(second.hasRewardModel).toBe(true);
    expect(await second.scoreText('the cat', ' was happy')).toEqual(before);
    second.configure('ppo', { maxNewTokens: 4, promptsPerIteration: 1, samplesPerPrompt: 2 });
    const view = await second.iterate(['the dog']);
    expect(view.samples.map((x) => Number.isFinite(x.score))).toEqual([true, true]);
    second.dispose();
  }, 60_000);
});
