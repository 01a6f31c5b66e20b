import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench';
import { trainStepFlops } from '../../bench/cases/train';
import { median, measure, measureTogether } from '../../bench/stats';
import { FULL_SIZES, atShape, shapeName } from '../../bench/sizes';
import { formatReport, formatValue, SOFTWARE_ADAPTER_WARNING } from '../../bench/table';
import type { BenchSizes, CaseName } from '../../bench/types';
import { GPT_PRESETS, countParameters } from '../../src/engine/model/config';

const tiny = GPT_PRESETS.tiny;

/** Every case at toy sizes: the machinery runs end to end in a second or two. */
const SMOKE: BenchSizes = {
  decode: { model: tiny, batch: 2, promptLength: 4, warmup: 1, repeats: 1 },
  train: { model: tiny, batch: 2, warmup: 0, repeats: 1 },
  matmul: { shapes: [[64, 32, 48]], perRound: 1 },
  dispatch: { model: tiny, batch: 2, promptLength: 4, decodeSteps: 2, trainBatch: 2 },
  memory: { model: tiny, batch: 2, iterations: 3, newTokens: 2 },
  rl: {
    model: tiny,
    promptLength: 4,
    pairs: 12,
    responseLength: 6,
    ppo: { maxNewTokens: 6, ppoEpochs: 1 },
    warmup: 0,
    repeats: 1,
  },
};

const HEADLINE = [
  'kvCacheSpeedup',
  'trainStepMatmulFraction',
  'ppoIterationMs',
  'grpoIterationMs',
  'rewardModelEpochMs',
  'dispatchesPerToken',
  'tensorGrowth',
  'bytesGrowth',
] as const;

const run = (only?: CaseName[]) =>
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
    const [a, b] = await measureTogether(
      [() => calls.push('a'), () => calls.push('b')],
      { warmup: 1, repeats: 2 },
      'cpu',
    );
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect([a.samplesMs.length, b.samplesMs.length]).toEqual([2, 2]);
  });

  it('prints three significant digits, and whole numbers with thousands separators', () => {
    expect([
      formatValue(136615.2),
      formatValue(249),
      formatValue(17.34),
      formatValue(5.111),
      formatValue(0.6413),
      formatValue(null),
    ]).toEqual(['136,615', '249', '17.3', '5.11', '0.641', 'n/a']);
  });

  it('counts training FLOPs as 6·N·B·T plus 12·nLayer·T²·C per sequence', () => {
    const { blockSize: T, nLayer, nEmbd: C } = tiny;
    expect(trainStepFlops(tiny, 3)).toBe(6 * countParameters(tiny) * 3 * T + 12 * nLayer * T * T * C * 3);
  });
});

describe('npm run bench', () => {
  it('reports every headline figure as a finite number, and no cold start in Node', async () => {
    const report = JSON.parse(JSON.stringify(await run())) as Record<string, unknown>;
    for (const key of HEADLINE) expect(Number.isFinite(report[key]), key).toBe(true);
    expect(report.coldStartMs).toBeNull();
    const cases = report.cases as { name: string; rows: { value: number | null }[] }[];
    expect(cases.map((c) => c.name)).toEqual(['decode', 'train', 'dispatch', 'memory', 'ppo', 'grpo', 'reward']);
    for (const c of cases) {
      for (const row of c.rows) expect(Number.isFinite(row.value), `${c.name}: ${JSON.stringify(row)}`).toBe(true);
    }
  });

  it('runs only the chosen cases and leaves the other headline figures null', async () => {
    const report = await run(['memory']);
    expect(report.cases.map((c) => c.name)).toEqual(['memory']);
    expect(Number.isFinite(report.tensorGrowth)).toBe(true);
    expect(report.kvCacheSpeedup).toBeNull();
    expect(report.dispatchesPerToken).toBeNull();
    expect(report.ppoIterationMs).toBeNull();
    expect(formatReport(report)).toMatch(/machine: backend: wasm[\s\S]*Memory growth[\s\S]*tensors gained, training/);
  });

  it('splits PPO and GRPO iterations into rollout, scoring and update, within the iteration time', async () => {
    const report = await run(['ppo', 'grpo']);
    expect(report.cases.map((c) => c.name)).toEqual(['ppo', 'grpo']);
    for (const c of report.cases) {
      expect(c.rows.map((r) => r.metric.trim())).toEqual([
        `${c.name.toUpperCase()} iteration`,
        'rollout (sampling)',
        'scoring (reward model, forward passes)',
        'update (advantages, PPO epochs)',
      ]);
      const { phases, timing } = c.figures as { phases: Record<string, number>; timing: { medianMs: number } };
      const sum = phases.generate + phases.score + phases.update;
      // One timed run (repeats: 1): the stages are parts of that run, so they cannot add up to more.
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThanOrEqual(timing.medianMs + 1);
    }
    expect(report.ppoIterationMs).toBe((report.cases[0].figures as { timing: { medianMs: number } }).timing.medianMs);
  });

  it('times reward-model epochs over the pairs not held out, and per optimiser step', async () => {
    const report = await run(['reward']);
    const f = report.cases[0].figures as {
      pairs: number;
      steps: number;
      batchSize: number;
      stepMs: number;
      epoch: { medianMs: number };
    };
    expect(f.pairs).toBe(11); // 12 pairs, the 10th held out
    expect(f.steps).toBe(Math.ceil(11 / f.batchSize));
    expect(f.stepMs * f.steps).toBeCloseTo(f.epoch.medianMs, 6);
    expect(report.rewardModelEpochMs).toBe(f.epoch.medianMs);
  });

  it('leaves no tensors behind after the RL cases', async () => {
    await run(['reward']); // kernels and caches made once are not leaks
    const before = tf.memory().numTensors;
    await run(['ppo', 'grpo', 'reward']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warns when the GPU adapter is a software one', async () => {
    const report = await run(['memory']);
    expect(formatReport(report)).not.toContain(SOFTWARE_ADAPTER_WARNING);
    expect(formatReport({ ...report, machine: { backend: 'webgpu', softwareAdapter: true } })).toContain(
      SOFTWARE_ADAPTER_WARNING,
    );
  });

  it("--vocab and --layers reshape every model but the memory case's tiny one", () => {
    const at = atShape(FULL_SIZES, { vocabSize: 4096, nLayer: 5 });
    for (const c of [at.decode, at.train, at.dispatch, at.rl])
      expect(c.model).toEqual({ ...GPT_PRESETS.base, vocabSize: 4096, nLayer: 5 });
    expect(at.memory).toEqual(FULL_SIZES.memory);
    expect(at.matmul).toEqual(FULL_SIZES.matmul);
    expect(FULL_SIZES.rl.model.vocabSize).toBe(GPT_PRESETS.base.vocabSize);
    expect(atShape(FULL_SIZES, { vocabSize: 4096 }).train.model).toEqual({
      ...FULL_SIZES.train.model,
      vocabSize: 4096,
    });
    expect(shapeName({ vocabSize: 4096, nLayer: 5 })).toBe('vocabulary 4096, 5 layers');
  });

  it('writes the JSON file from the command line and refuses bad flags', async () => {
    const exec = promisify(execFile);
    const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'out.json');
    await exec('node', ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'memory', '--json', file]);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const key of [...HEADLINE, 'coldStartMs', 'machine', 'cases']) expect(json).toHaveProperty(key);
    expect(json.tensorGrowth).toBe(0);
    await Promise.all([
      expect(exec('node', ['--import', 'tsx', 'bench/run.ts', '--only', 'nope'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--only must be one of decode, train, .*, got "nope"/),
      }),
      expect(exec('node', ['--import', 'tsx', 'bench/run.ts', '--browser', '--clock', 'cpu'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--clock cpu needs Node/),
      }),
      expect(exec('node', ['--import', 'tsx', 'bench/run.ts', '--vocab', '12'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--vocab must be an integer from 258 to \d+, got "12"/),
      }),
      expect(exec('node', ['--import', 'tsx', 'bench/run.ts', '--layers', '0'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--layers must be an integer from 1 to 24/),
      }),
      expect(exec('node', ['--import', 'tsx', 'bench/run.ts', '--browser', '--layers', '5'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--vocab and --layers are for the Node bench/),
      }),
    ]);
  });
});
