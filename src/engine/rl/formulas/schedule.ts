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
