import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench';
import { registerPpoIteration } from '../../bench/cases/ppo';
import { trainStepFlops } from '../../bench/cases/train';
import { median, measure, measureTogether } from '../../bench/stats';
import { formatReport } from '../../bench/table';
import type { BenchSizes } from '../../bench/types';
import { GPT_PRESETS, countParameters } from '../../src/engine/model/config';

const tiny = GPT_PRESETS.tiny;

/** Every case at toy sizes: the machinery runs end to end in a second or two. */
const SMOKE: BenchSizes = {
  decode: { model: tiny, batch: 2, promptLength: 4, warmup: 1, repeats: 1 },
  train: { model: tiny, batch: 2, warmup: 0, repeats: 1 },
  matmul: { shapes: [[64, 32, 48]], perRound: 1 },
  dispatch: { model: tiny, batch: 2, promptLength: 4, decodeSteps: 2, trainBatch: 2 },
  memory: { model: tiny, batch: 2, iterations: 3, newTokens: 2 },
};

const HEADLINE = ['kvCacheSpeedup', 'trainStepMatmulFraction', 'dispatchesPerToken', 'tensorGrowth', 'bytesGrowth'] as const;

const run = (only?: ('decode' | 'train' | 'dispatch' | 'memory' | 'ppo')[]) =>
  runBench({ sizes: SMOKE, sizesName: 'smoke', only, machine: { backend: tf.getBackend() } });

describe('bench statistics', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });

  it('runs warm-ups untimed, then times every repeat', async () => {
    let calls = 0;
    const t = await measure(() => calls++, { warmup: 2, repeats: 3 }, 'wall');
    expect(calls).toBe(5);
    expect(t.samplesMs).toHaveLength(3);
    expect(t.medianMs).toBe(median(t.samplesMs));
  });

  it('alternates functions timed together, so load on the machine falls on both alike', async () => {
    const calls: string[] = [];
    const [a, b] = await measureTogether([() => calls.push('a'), () => calls.push('b')], { warmup: 1, repeats: 2 }, 'cpu');
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect([a.samplesMs.length, b.samplesMs.length]).toEqual([2, 2]);
  });

  it('counts training FLOPs as 6·N·B·T plus 12·nLayer·T²·C per sequence', () => {
    const { blockSize: T, nLayer, nEmbd: C } = tiny;
    expect(trainStepFlops(tiny, 3)).toBe(6 * countParameters(tiny) * 3 * T + 12 * nLayer * T * T * C * 3);
  });
});

describe('npm run bench', () => {
  it('reports every headline figure as a finite number, PPO as null until a trainer is registered', async () => {
    const report = JSON.parse(JSON.stringify(await run())) as Record<string, unknown>;
    for (const key of HEADLINE) expect(Number.isFinite(report[key]), key).toBe(true);
    expect(report.ppoIterationMs).toBeNull();
    const cases = report.cases as { name: string; rows: { value: number | null }[] }[];
    expect(cases.map((c) => c.name)).toEqual(['decode', 'train', 'dispatch', 'memory', 'ppo']);
    for (const c of cases.filter((x) => x.name !== 'ppo')) {
      for (const row of c.rows) expect(Number.isFinite(row.value), `${c.name}: ${JSON.stringify(row)}`).toBe(true);
    }
  });

  it('runs only the chosen cases and leaves the other headline figures null', async () => {
    const report = await run(['memory']);
    expect(report.cases.map((c) => c.name)).toEqual(['memory']);
    expect(Number.isFinite(report.tensorGrowth)).toBe(true);
    expect(report.kvCacheSpeedup).toBeNull();
    expect(report.dispatchesPerToken).toBeNull();
    expect(formatReport(report)).toMatch(/machine: backend: wasm[\s\S]*Memory growth[\s\S]*tensors gained, training/);
  });

  it('times a registered PPO iteration and lists its phases', async () => {
    registerPpoIteration(async () => ({ iterate: async () => ({ rollout: 1, score: 2, update: 3 }), dispose: () => {} }));
    try {
      const report = await run(['ppo']);
      expect(Number.isFinite(report.ppoIterationMs)).toBe(true);
      expect(report.cases[0].rows.map((r) => r.metric.trim())).toEqual(['PPO iteration', 'rollout', 'score', 'update']);
    } finally {
      registerPpoIteration(undefined);
    }
  });

  it('writes the JSON file from the command line and refuses an unknown case', async () => {
    const exec = promisify(execFile);
    const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'out.json');
    await exec('npx', ['tsx', 'bench/run.ts', '--only', 'ppo', '--json', file]);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const key of [...HEADLINE, 'ppoIterationMs', 'machine', 'cases']) expect(json).toHaveProperty(key);
    await expect(exec('npx', ['tsx', 'bench/run.ts', '--only', 'nope'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown case\(s\) nope/) });
  });
});
