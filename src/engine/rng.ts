/**
 * A small seeded random-number generator, so that sampling, data order and initialisation
 * reproduce exactly from a seed on every backend (tfjs's own RNG differs between backends).
 *
 * The generator is SplitMix32-style mixing over a 32-bit counter: fast, stateless to copy
 * (the whole state is one number) and good enough for sampling and shuffling.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A copy that continues the same stream independently. */
  clone(): Rng {
    const copy = new Rng(0);
    copy.state = this.state;
    return copy;
  }

  /** The generator's whole state, for checkpoints that must resume the same stream. */
  get seedState(): number {
    return this.state;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal sample (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A fresh seed for a child generator, drawn from this stream. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}
