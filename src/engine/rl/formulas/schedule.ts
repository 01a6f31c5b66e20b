import type { Message } from '../../../contract/messages';
import { outOfRange } from '../../errors';

/**
 * The learning-rate schedule of the online trainers, per iteration (each iteration's minibatch
 * steps share one step size): a linear warm-up over the first `warmup` iterations, then, when
 * `decay` > 0, a linear fall that reaches zero at iteration `decay`. The decay is Hugging Face's
 * linear schedule (TRL's default; the N+ implementation-details paper anneals PPO's step size the
 * same way); the warm-up climbs (i + 1)/(warmup + 1) rather than Hugging Face's i/warmup, so the
 * first iteration does not step at zero. Iterations count from the trainer's first; warmup 0 and
 * decay 0 keep the rate constant; a decay at or before the warm-up's end leaves zero after it.
 */
export function scheduledLearningRate(base: number, iteration: number, warmup: number, decay: number): number {
  if (iteration < warmup) return (base * (iteration + 1)) / (warmup + 1);
  if (decay <= 0) return base;
  if (decay <= warmup) return 0;
  return (base * Math.max(0, decay - iteration)) / (decay - warmup);
}

/**
 * Why a schedule cannot run, or null when it can: whole, non-negative counts, and a decay that ends
 * after the warm-up (one that ended inside it would leave the rest of the run at a rate of zero).
 * `names` are the fields as the caller's user knows them (config keys, or flags).
 */
export function scheduleProblem(
  warmup: number,
  decay: number,
  names = { warmup: 'lrWarmupIterations', decay: 'lrDecayIterations' },
): Message | null {
  if (!Number.isInteger(warmup) || warmup < 0) return outOfRange(null, names.warmup, warmup, 'nonNegativeInteger');
  if (!Number.isInteger(decay) || decay < 0) return outOfRange(null, names.decay, decay, 'nonNegativeInteger');
  if (decay === 0 || decay > warmup) return null;
  const params = { file: null, field: names.decay, got: String(decay), min: warmup + 1, max: null, integer: true };
  return { code: 'NUMBER_BETWEEN', params: { ...params, zeroTurnsOff: true } };
}
