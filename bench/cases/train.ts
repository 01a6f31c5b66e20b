/**
 * Training speed: the engine's training step (forward, cross-entropy, backward, AdamW) against
 * the backend's own plain-matmul speed, timed in alternation in the same process, so the ratio
 * says how much of the machine the step uses whatever the machine is and however busy it is.
 *
 * Model FLOPs per step, counted from the config (as in the PaLM paper's MFU; the causal mask's
 * skipped half is counted, LayerNorm, GELU, softmax and AdamW are not):
 *   6 · N · B · T              every parameter does a multiply-add forward and two backward
 *   + 12 · nLayer · T² · C · B q·kᵀ and att·v: 4·T²·C forward per layer and sequence, x3 with backward
 * where N = countParameters(config) counts the tied LM head once, and it is a real [C, V] matMul.
 */
import * as tf from '@tensorflow/tfjs';
import { countParameters, type GPTConfig } from '../../src/engine/model/config';
import { measureTogether } from '../stats';
import { percent } from '../table';
import type { BenchCase, CaseContext, CaseResult } from '../types';
import { randomTrainer } from './fixtures';

/** Model FLOPs of one training step on B sequences of the full context (formula above). */
export function trainStepFlops(c: GPTConfig, B: number): number {
  const T = c.blockSize;
  return 6 * countParameters(c) * B * T + 12 * c.nLayer * T * T * c.nEmbd * B;
}

/**
 * One round of plain a[m, k]·b[k, n] matMuls, `perRound` of each shape, on operands made once.
 * Returns the round and its FLOPs; call `dispose` when done.
 */
export function plainMatmulRound(
  shapes: [number, number, number][],
  perRound: number,
): { round: () => Promise<void>; flops: number; dispose: () => void } {
  const operands = shapes.map(([m, k, n]) => [tf.randomNormal([m, k]), tf.randomNormal([k, n])]);
  const flops = perRound * shapes.reduce((f, [m, k, n]) => f + 2 * m * k * n, 0);
  const round = async () => {
    for (const [a, b] of operands) {
      for (let i = 0; i < perRound; i++) {
        const y = tf.matMul(a, b); // [m, n]
        // Reading one element waits for the product on asynchronous backends, at no real cost.
        const corner = tf.slice(y, [0, 0], [1, 1]);
        await corner.data();
        tf.dispose([y, corner]);
      }
    }
  };
  return { round, flops, dispose: () => tf.dispose(operands.flat()) };
}

async function run({ sizes, clock, log }: CaseContext): Promise<CaseResult> {
  const s = sizes.train;
  log(
    `train: training step, batch ${s.batch} x ${s.model.blockSize} tokens, alternating with plain matMuls ${sizes.matmul.shapes.map((x) => x.join('x')).join(', ')}`,
  );
  const { model, trainer } = randomTrainer(s.model, s.batch);
  const matmuls = plainMatmulRound(sizes.matmul.shapes, sizes.matmul.perRound);
  const [step, matmul] = await measureTogether([() => trainer.trainStep(), matmuls.round], s, clock);
  matmuls.dispose();
  trainer.dispose();
  model.dispose();
  const matmulGflops = matmuls.flops / (matmul.medianMs / 1000) / 1e9;
  const flops = trainStepFlops(s.model, s.batch);
  const stepGflops = flops / (step.medianMs / 1000) / 1e9;
  const fraction = stepGflops / matmulGflops;
  return {
    rows: [
      {
        metric: 'training step',
        value: step.medianMs,
        unit: 'ms/step',
        note: `batch ${s.batch} x ${s.model.blockSize}, spread ${percent(step.spread)}`,
      },
      { metric: 'model FLOPs', value: flops / 1e9, unit: 'GFLOP/step', note: '6·N·B·T + 12·nLayer·T²·C·B' },
      { metric: 'training step', value: stepGflops, unit: 'GFLOP/s' },
      {
        metric: 'plain matMul',
        value: matmulGflops,
        unit: 'GFLOP/s',
        note: `${sizes.matmul.shapes.map((x) => x.join('x')).join(', ')}, spread ${percent(matmul.spread)}`,
      },
      { metric: 'trainStepMatmulFraction', value: fraction, unit: 'ratio', note: 'target >= 0.35' },
    ],
    figures: {
      batch: s.batch,
      tokens: s.batch * s.model.blockSize,
      parameters: countParameters(s.model),
      flops,
      step,
      stepGflops,
      matmulGflops,
      matmul,
    },
    headline: { trainStepMatmulFraction: fraction },
  };
}

export const trainCase: BenchCase = {
  name: 'train',
  title: 'Training step (forward, backward, AdamW) vs plain matMul',
  run,
};
