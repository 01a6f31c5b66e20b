// Training on WebGPU (SwiftShader here): gradients must match the CPU backend's, and a PPO
// iteration must actually change the weights (not be rolled back by the NaN safety net).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend';
import { GPT, GPT_PRESETS, maskedCrossEntropy } from '../../src/engine';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import type { Scorer } from '../../src/engine/rl/rollout';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 16 };
const ids = [
  [1, 5, 9, 2, 7, 7, 3, 4],
  [6, 6, 1, 0, 2, 9, 8, 3],
];

async function gradsOn(backend: 'webgpu' | 'cpu'): Promise<Map<string, Float32Array>> {
  await initBackend({ order: [backend] });
  const model = new GPT(config, 3);
  const x = tf.tensor2d(
    ids.map((r) => r.slice(0, -1)),
    undefined,
    'int32',
  );
  const y = tf.tensor2d(
    ids.map((r) => r.slice(1)),
    undefined,
    'int32',
  );
  const { value, grads } = tf.variableGrads(() => maskedCrossEntropy(model.logits(x), y), model.trainableVariables());
  const out = new Map<string, Float32Array>();
  for (const [name, v] of model.params.entries()) out.set(name, (await grads[v.name].data()) as Float32Array);
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

describe('training on WebGPU', () => {
  it('gradients equal the CPU backend', async () => {
    const gpu = await gradsOn('webgpu');
    const cpu = await gradsOn('cpu');
    for (const [name, g] of gpu) {
      const c = cpu.get(name)!;
      let max = 0;
      for (let i = 0; i < g.length; i++) max = Math.max(max, Math.abs(g[i] - c[i]));
      expect(max, name).toBeLessThan(1e-4);
    }
  });

  it('a PPO iteration changes the weights and is not rolled back', async () => {
    await initBackend({ order: ['webgpu'] });
    const policy = new GPT(config, 4);
    const reference = policy.clone();
    const scorer: Scorer = { score: async (_p, rs) => ({ mean: rs.map((r) => r.filter((t) => t === 7).length) }) };
    const trainer = new PPOTrainer(
      policy,
      reference,
      scorer,
      null,
      { eosId: 31, padId: 31 },
      { maxNewTokens: 6, promptsPerIteration: 2, samplesPerPrompt: 2, learningRate: 1e-2, seed: 1 },
    );
    const before = (await policy.params.get('transformer.h.0.mlp.c_fc.weight').data()).slice();
    const { metrics } = await trainer.iteration([[1, 2], [3]]);
    const after = await policy.params.get('transformer.h.0.mlp.c_fc.weight').data();
    expect(metrics['numerics/restored'], JSON.stringify(metrics)).toBe(0);
    expect(metrics['policy/skipped_updates']).toBe(0);
    let changed = 0;
    for (let i = 0; i < after.length; i++) changed = Math.max(changed, Math.abs(after[i] - before[i]));
    expect(changed).toBeGreaterThan(0);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  });
});

describe('sumAll', () => {
  it('adds every input on WebGPU (tf.addN there drops all but the first four)', async () => {
    const { sumAll } = await import('../../src/engine/kernels/sum');
    await initBackend({ order: ['webgpu'] });
    for (const n of [1, 2, 5, 9, 40]) {
      const xs = Array.from({ length: n }, (_, i) => tf.scalar(i + 1));
      const total = sumAll(xs);
      expect((await total.data())[0]).toBe((n * (n + 1)) / 2);
      tf.dispose([...xs, total]);
    }
  });
});

describe('the backend ladder', () => {
  it('passes over a software WebGPU adapter by default and says why, but uses it when asked for', async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const info = (adapter as { info?: { vendor?: string; architecture?: string; description?: string } } | null)?.info;
    const software =
      adapter !== null &&
      `${info?.vendor} ${info?.architecture} ${info?.description}`.toLowerCase().includes('swiftshader');
    const choice = await initBackend();
    if (software) {
      // (This bare test page serves no WASM binaries, so the ladder may go on to WebGL.)
      expect(choice.backend).not.toBe('webgpu');
      expect(choice.attempts[0]).toMatchObject({ backend: 'webgpu' });
      expect(choice.attempts[0].failure).toEqual({ kind: 'softwareAdapter' });
    } else {
      expect(choice.backend).toBe('webgpu');
    }
    expect((await initBackend({ order: ['webgpu'] })).backend).toBe('webgpu');
  });
});

describe('WebGL', () => {
  it('logits match the CPU backend', async () => {
    const logitsOn = async (backend: 'webgl' | 'cpu') => {
      expect((await initBackend({ order: [backend] })).backend).toBe(backend);
      const model = new GPT(config, 5);
      const out = tf.tidy(() => model.logits(tf.tensor2d(ids, undefined, 'int32')));
      const data = (await out.data()) as Float32Array;
      tf.dispose(out);
      model.dispose();
      return data;
    };
    const gl = await logitsOn('webgl');
    const cpu = await logitsOn('cpu');
    let max = 0;
    for (let i = 0; i < gl.length; i++) max = Math.max(max, Math.abs(gl[i] - cpu[i]));
    expect(max).toBeLessThan(1e-3);
  });
});
