// One rule for whether an experiment showed what it says, read by the CLI's runner and the page.
import { describe, expect, it } from 'vitest';
import { checkEvidence, type ArmCurve } from '../../src/contract/experiment-evidence';
import { EXPERIMENTS } from '../../src/contract/experiments';
import { readEvidence } from '../../src/ui/experiment-evidence';

const curve = (key: string, kl: number[]): ArmCurve => ({
  key,
  iterations: kl.map((v, i) => ({ iteration: i + 1, metrics: { 'objective/kl': v } })),
});
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('experiment evidence', () => {
  it('rises and falls compare the first and last thirds; below-zero reads the second half', () => {
    const xs = [0, 1, 2, 3, 4, 5, -9, -9, -9];
    const arms = [curve('a', xs)];
    const rises = checkEvidence(arms, { metric: 'objective/kl', expect: 'rises', arm: 'a' });
    expect(rises).toMatchObject({ early: avg([0, 1, 2]), late: -9, holds: false });
    expect(checkEvidence(arms, { metric: 'objective/kl', expect: 'falls', arm: 'a' }).holds).toBe(true);
    const below = checkEvidence(arms, { metric: 'objective/kl', expect: 'below-zero', arm: 'a' });
    expect(below.late).toBeCloseTo(avg([4, 5, -9, -9, -9]), 12);
    expect(below.holds).toBe(true);
  });

  it('exceeds asks for more than twice the other arm’s end, with a floor under a small one', () => {
    const fixed = curve('fixed', [0, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const twice = (x: number) =>
      checkEvidence([curve('broken', [0, 0, 0, 0, x, x]), fixed], {
        metric: 'objective/kl',
        expect: 'exceeds',
        arm: 'broken',
        than: 'fixed',
      });
    expect(twice(1.2).other).toBeCloseTo(0.55, 12);
    expect(twice(1.2).holds).toBe(true);
    expect(twice(1.0).holds).toBe(false);
    const flat = curve('fixed', [0, -0.1, -0.2]);
    const small = (x: number) =>
      checkEvidence([curve('broken', [0, x, x]), flat], {
        metric: 'objective/kl',
        expect: 'exceeds',
        arm: 'broken',
        than: 'fixed',
      }).holds;
    expect(small(0.15)).toBe(false);
    expect(small(0.25)).toBe(true);
    expect(
      checkEvidence([curve('broken', [0, 5, 5])], {
        metric: 'objective/kl',
        expect: 'exceeds',
        arm: 'broken',
        than: 'x',
      }).holds,
    ).toBe(false);
  });

  it('the page reads the negative-kl run by the same rule: the broken arm’s KL over its second half', () => {
    const points = {
      broken: curve('broken', [0, 0.2, -0.1, -0.8, -1.6, -2.4]).iterations,
      fixed: curve('fixed', [0, 0.1, 0.1, 0.2, 0.3, 0.3]).iterations,
    };
    const [r] = readEvidence(EXPERIMENTS['negative-kl'], points);
    expect(r).toMatchObject({ metric: 'objective/kl', arm: 'broken', expect: 'below-zero', held: true, than: null });
    expect(r.to).toBeCloseTo(avg([-0.8, -1.6, -2.4]), 12);
    const positive = { ...points, broken: points.fixed };
    expect(readEvidence(EXPERIMENTS['negative-kl'], positive)[0].held).toBe(false);
    expect(readEvidence(EXPERIMENTS['negative-kl'], { fixed: points.fixed })).toEqual([]);
  });
});
