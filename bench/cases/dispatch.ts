/**
 * Kernel dispatches, counted with tf.profile: the same on every machine, and on a GPU the cost that
 * dominates a small model (each dispatch is a launch, whatever its size).
 *
 * Per generated token: one cached decode step of the whole batch, taken as the difference between
 * `generate` running 1 + n tokens and running 1 token (the prompt pass), divided by n, so the
 * engine's own decoding loop is what is counted. Per training step: one `trainStep()`.
 * Peak bytes are tf.memory()'s total at the fullest moment, model and optimiser state included.
 */
import * as tf from '@tensorflow/tfjs';
import { generate } from '../../src/engine/generate/generate';
import { GPT } from '../../src/engine/model/gpt';
import type { BenchCase, BenchSizes, CaseContext, CaseResult } from '../types';
import { randomPrompts, randomTrainer } from './fixtures';

/**
 * How many times each kernel ran. tf.profile also lists the scopes of tf.customGrad functions
 * ('unnamed scope', 'forward') among the kernels; they launch nothing themselves (the kernels
 * inside them are listed too), so only names registered as kernels of the backend count.
 */
function histogram(kernels: { name: string }[]): Map<string, number> {
  const backend = tf.getBackend();
  const counts = new Map<string, number>();
  for (const k of kernels) {
    if (tf.getKernel(k.name, backend) !== undefined) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
  }
  return counts;
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

/** Kernel counts of `fn`, and the peak bytes held while it ran. */
async function profileOf(
  fn: () => Promise<unknown>,
): Promise<{ counts: Map<string, number>; total: number; peakBytes: number }> {
  const info = await tf.profile(async () => {
    await fn();
    return [];
  });
  const counts = histogram(info.kernels);
  return { counts, total: total(counts), peakBytes: info.peakBytes };
}

/** Kernels per cached decode step: (kernels of 1 + n tokens - kernels of 1 token) / n, by name. */
async function decodeStep(
  sizes: BenchSizes,
): Promise<{ perStep: Record<string, number>; total: number; peakBytes: number }> {
  const s = sizes.dispatch;
  const model = new GPT(s.model, 1);
  const prompts = randomPrompts(s.batch, s.promptLength, s.model.vocabSize);
  const one = await profileOf(() => generate(model, prompts, { maxNewTokens: 1 }));
  const more = await profileOf(() => generate(model, prompts, { maxNewTokens: 1 + s.decodeSteps }));
  model.dispose();
  const perStep: Record<string, number> = {};
  for (const [name, count] of more.counts) {
    const d = (count - (one.counts.get(name) ?? 0)) / s.decodeSteps;
    if (d !== 0) perStep[name] = d;
  }
  return { perStep, total: (more.total - one.total) / s.decodeSteps, peakBytes: more.peakBytes };
}

async function trainStep(
  sizes: BenchSizes,
): Promise<{ counts: Record<string, number>; total: number; peakBytes: number }> {
  const { model, trainer } = randomTrainer(sizes.dispatch.model, sizes.dispatch.trainBatch);
  await trainer.trainStep(); // the first step is not special, but warm it like the timed cases
  const p = await profileOf(() => trainer.trainStep());
  trainer.dispose();
  model.dispose();
  return { counts: Object.fromEntries(p.counts), total: p.total, peakBytes: p.peakBytes };
}

/** "Name count" for the most frequent kernels, for the table's note. */
function top(counts: Record<string, number>, n: number): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

async function run({ sizes, log }: CaseContext): Promise<CaseResult> {
  log('dispatch: profiling decode steps');
  const decode = await decodeStep(sizes);
  log('dispatch: profiling a training step');
  const train = await trainStep(sizes);
  const mb = 1024 * 1024;
  return {
    rows: [
      { metric: 'per decode step (token)', value: decode.total, unit: 'kernels', note: top(decode.perStep, 5) },
      {
        metric: '  without Reshape',
        value: decode.total - (decode.perStep.Reshape ?? 0),
        unit: 'kernels',
        note: 'a reshape moves no data on any backend',
      },
      { metric: 'per training step', value: train.total, unit: 'kernels', note: top(train.counts, 5) },
      { metric: '  without Reshape', value: train.total - (train.counts.Reshape ?? 0), unit: 'kernels' },
      { metric: 'peak, decoding', value: decode.peakBytes / mb, unit: 'MiB', note: `batch ${sizes.dispatch.batch}` },
      {
        metric: 'peak, training step',
        value: train.peakBytes / mb,
        unit: 'MiB',
        note: `batch ${sizes.dispatch.trainBatch}`,
      },
    ],
    figures: { decodeStep: decode, trainStep: train },
    headline: { dispatchesPerToken: decode.total },
  };
}

export const dispatchCase: BenchCase = {
  name: 'dispatch',
  title: 'Kernel dispatches (tf.profile) and peak memory',
  run,
};
