// The study helpers behind `npm run rlhf -- --seeds A-B`: the seed ranges it accepts and refuses,
// which seeds an interrupted study still has to run, and the summary's maths against a plain
// computation (mean, sample standard deviation, Student-t 95% interval).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeeds, pendingSeeds, seedDir, seedResult, spread, summarise, t95 } from '../../scripts/lib/study';

describe('seed ranges', () => {
  it('reads one seed, a range and a list of both, ascending without repeats', () => {
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('0-0')).toEqual([0]);
    expect(parseSeeds('7-9,1,3, 2-3')).toEqual([1, 2, 3, 7, 8, 9]);
  });

  it('refuses malformed text with a sentence naming the part', () => {
    for (const bad of ['', 'a', '1-', '-3', '1..5', '1-2-3', '1.5', '2,,3']) {
      const r = parseSeeds(bad);
      expect(r, bad).toMatchObject({ kind: 'notSeed' });
    }
    expect(parseSeeds('5-1')).toEqual({ kind: 'backwards', from: 5, to: 1 });
    expect(parseSeeds('1,x')).toEqual({ kind: 'notSeed', part: 'x' });
    expect(parseSeeds('0-1000')).toEqual({ kind: 'tooMany', limit: 100 });
  });
});

describe('resuming a study', () => {
  it('runs only the seeds whose report does not exist yet', () => {
    const done = new Set([join(seedDir('out', 1), 'report.json'), join(seedDir('out', 3), 'report.json')]);
    expect(pendingSeeds('out', [1, 2, 3, 4], (f) => done.has(f))).toEqual([2, 4]);
    expect(pendingSeeds('out', [1, 3], (f) => done.has(f))).toEqual([]);
    expect(seedDir('out', 4)).toBe(join('out', 'seed-4'));
  });
});

/** The plain computation the summary is checked against. */
function reference(xs: number[]) {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  const sd = Math.sqrt(squares / (xs.length - 1));
  return { mean, sd };
}

describe('summary maths', () => {
  it('mean, sample sd and the t-interval match a plain computation', () => {
    const xs = [0.62, 0.71, 0.55, 0.8, 0.67];
    const s = spread(xs);
    const r = reference(xs);
    expect(s.n).toBe(5);
    expect(s.mean).toBeCloseTo(r.mean, 12);
    expect(s.sd).toBeCloseTo(r.sd, 12);
    // t(0.975, 4) = 2.776
    expect(s.high - s.mean).toBeCloseTo((2.776 * r.sd) / Math.sqrt(5), 12);
    expect(s.mean - s.low).toBeCloseTo((2.776 * r.sd) / Math.sqrt(5), 12);
    expect([s.min, s.max]).toEqual([0.55, 0.8]);
  });

  it('uses the t quantiles of the table, 1.96 beyond 30 degrees of freedom', () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(2)).toBe(4.303);
    expect(t95(30)).toBe(2.042);
    expect(t95(200)).toBe(1.96);
    expect(t95(0)).toBeNaN();
  });

  it('leaves out values that were not measured, and has no interval from one seed', () => {
    const s = spread([0.1, NaN, 0.3]);
    expect(s.n).toBe(2);
    expect(s.mean).toBeCloseTo(0.2, 12);
    const one = spread([0.7]);
    expect(one.mean).toBe(0.7);
    expect(one.sd).toBeNaN();
    expect(one.low).toBeNaN();
  });

  it('reads each seed report and summarises every measure over the seeds', () => {
    const report = (rate: number, kl: number, tax: number | null, agree?: number) =>
      JSON.stringify({
        seconds: 100,
        rounds: [{ seconds: 60, labelingSeconds: 15 }],
        evaluation: {
          kl,
          alignmentTax: tax,
          gold: { winRate: { rate, low: rate - 0.1, high: rate + 0.1 } },
          ...(agree === undefined
            ? {}
            : {
                rewardGoldAgreement: { pairs: 10, agree: agree * 10, rate: agree },
                rewardOnFreshPairs: { pairs: 20, agree: 11, rate: 0.55 },
              }),
        },
      });
    // Seed 2's report predates the reward model's agreement with the gold score.
    const runs = [seedResult(1, report(0.6, 2, 0.01, 0.7)), seedResult(2, report(0.8, 4, null))];
    expect(runs[0]).toEqual({
      seed: 1,
      winRate: 0.6,
      winLow: 0.5,
      winHigh: 0.7,
      kl: 2,
      alignmentTax: 0.01,
      seconds: 100,
      trainSeconds: 45,
      rewardVsGold: 0.55,
      rewardVsGoldEvaluation: 0.7,
    });
    expect(runs[1].alignmentTax).toBeNaN();
    expect(runs[1].rewardVsGold).toBeNaN();
    expect(runs[1].rewardVsGoldEvaluation).toBeNaN();
    const s = summarise(runs);
    expect(s.seeds).toEqual([1, 2]);
    expect(s.winRate.mean).toBeCloseTo(0.7, 12);
    expect(s.winRate.sd).toBeCloseTo(reference([0.6, 0.8]).sd, 12);
    expect(s.kl.mean).toBe(3);
    expect(s.alignmentTax.n).toBe(1);
    expect(s.trainSeconds.mean).toBe(45);
    expect(s.rewardVsGold).toMatchObject({ n: 1, mean: 0.55 });
    expect(s.rewardVsGoldEvaluation).toMatchObject({ n: 1, mean: 0.7 });
  });
});
