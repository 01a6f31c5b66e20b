// The page's pure helpers: the page address round trip, the labelling keys, the tuning warnings,
// token colours and labeler agreement (against a kappa worked out by hand).
import { describe, expect, it } from 'vitest';
import { agreement, type LabelledPair } from '../../src/ui/agreement';
import { DEFAULT_SETUP, formatPageSetup, labelerSpec, parsePageSetup, type PageSetup } from '../../src/ui/page-setup';
import { isTyping, labelShortcut, type KeyPress } from '../../src/ui/shortcuts';
import { reward } from '../../src/ui/strings';
import { tokenColour, tokenStrength } from '../../src/ui/token-colour';
import { KL_LIMIT, TREND_WINDOW, tuneWarnings, type MetricPoint } from '../../src/ui/tune-warnings';
import { ALGORITHM_FACTS, STUDY_DPO_LEARNING_RATE } from '../../src/contract/algorithms';
import { DEFAULT_TUNE, TUNE_RANGES, defaultTune } from '../../src/contract/tune-settings';
import { DEFAULT_PPO } from '../../src/engine/rl/ppo-config';
import { DEFAULT_DPO } from '../../src/engine/rl/dpo';
import { DEFAULT_SFT } from '../../src/engine/rl/sft';
import { GRPO_BETA } from '../../src/engine/rl/group-methods';

describe('page setup in the address', () => {
  it('round-trips a full setup and keeps unrelated parameters', () => {
    const setup: PageSetup = {
      stage: 'tune',
      seed: 42,
      tune: {
        ...DEFAULT_TUNE,
        algorithm: 'grpo',
        beta: 0.1,
        klTarget: 6,
        learningRate: 3e-5,
        samplesPerPrompt: 2,
        iterations: 3,
      },
      labeler: 'keyword:+dog -sad',
      active: true,
      stars: true,
      hide: ['algorithm', 'loop'],
      charts: ['rewards/margins', 'loss/sft'],
      present: true,
      base: { kind: 'shipped', modelId: 'tinystories-1m' },
      experiment: 'reward-hacking',
    };
    const query = formatPageSetup(setup, '?backend=wasm');
    expect(query).toContain('backend=wasm');
    expect(parsePageSetup(query)).toEqual(setup);
    const saved = { ...setup, base: { kind: 'checkpoint', checkpointId: 7 } } satisfies PageSetup;
    expect(formatPageSetup(saved)).toContain('base=saved%3A7');
    expect(parsePageSetup(formatPageSetup(saved))).toEqual(saved);
    expect(parsePageSetup('?base=saved:x').base).toBeNull();
  });

  it('writes nothing for the defaults and reads an empty address as the defaults', () => {
    expect(formatPageSetup({ ...DEFAULT_SETUP, tune: { ...DEFAULT_TUNE }, hide: [] })).toBe('');
    expect(parsePageSetup('')).toEqual(DEFAULT_SETUP);
  });

  it('ignores unknown stages, bad seeds and hide names, and clamps numbers into range', () => {
    const setup = parsePageSetup('?stage=nowhere&seed=-3&hide=algorithm,everything&beta=7&spp=2.6&algo=magic&lr=abc');
    expect(setup.stage).toBe(DEFAULT_SETUP.stage);
    expect(setup.seed).toBe(DEFAULT_SETUP.seed);
    expect(setup.hide).toEqual(['algorithm']);
    expect(setup.tune.beta).toBe(TUNE_RANGES.beta.max);
    expect(setup.tune.samplesPerPrompt).toBe(3);
    expect(setup.tune.algorithm).toBe(DEFAULT_TUNE.algorithm);
    expect(setup.tune.learningRate).toBe(DEFAULT_TUNE.learningRate);
  });

  it("reads an algorithm without beta or learning rate with that algorithm's own, and writes only what differs from them", () => {
    const dpo = parsePageSetup('?algo=dpo');
    expect(dpo.tune).toEqual(defaultTune('dpo'));
    expect(formatPageSetup(dpo)).toBe('?algo=dpo');
    expect(parsePageSetup('?algo=dpo&lr=0.00003').tune.learningRate).toBe(3e-5);
    expect(formatPageSetup({ ...dpo, tune: { ...dpo.tune, learningRate: 3e-5 } })).toBe('?algo=dpo&lr=0.00003');
  });

  it("gives each algorithm the engine's own defaults, DPO the study's learning rate (docs/learning.md)", () => {
    expect(ALGORITHM_FACTS.ppo.defaults).toEqual({ beta: DEFAULT_PPO.beta, learningRate: DEFAULT_PPO.learningRate });
    expect(ALGORITHM_FACTS.grpo.defaults).toEqual({ beta: GRPO_BETA, learningRate: DEFAULT_PPO.learningRate });
    expect(ALGORITHM_FACTS.rloo.defaults).toEqual({ beta: DEFAULT_PPO.beta, learningRate: DEFAULT_PPO.learningRate });
    expect(ALGORITHM_FACTS.dpo.defaults).toEqual({ beta: DEFAULT_DPO.beta, learningRate: STUDY_DPO_LEARNING_RATE });
    expect(ALGORITHM_FACTS.sft.defaults.learningRate).toBe(DEFAULT_SFT.learningRate);
    expect(defaultTune('ppo')).toEqual(DEFAULT_TUNE);
  });

  it('turns the labeler field into a worker spec', () => {
    expect(labelerSpec('animals')).toEqual({ kind: 'builtin', id: 'animals' });
    expect(labelerSpec('keyword:+cat')).toEqual({ kind: 'keyword', rule: '+cat' });
  });
});

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' },
  ...extra,
});

describe('labelling shortcuts', () => {
  it('maps the keys of the shortcut sheet', () => {
    expect(labelShortcut(press('1'), 'pair')).toEqual({ kind: 'choose', choice: 'a' });
    expect(labelShortcut(press('2'), 'pair')).toEqual({ kind: 'choose', choice: 'b' });
    expect(labelShortcut(press('3'), 'pair')).toEqual({ kind: 'choose', choice: 'tie' });
    expect(labelShortcut(press('S'), 'pair')).toEqual({ kind: 'choose', choice: 'skip' });
    expect(labelShortcut(press('e'), 'pair')).toEqual({ kind: 'edit' });
    expect(labelShortcut(press('?'), 'pair')).toEqual({ kind: 'help' });
    expect(labelShortcut(press('z', { ctrlKey: true }), 'pair')).toEqual({ kind: 'undo' });
    expect(labelShortcut(press('Z', { metaKey: true }), 'stars')).toEqual({ kind: 'undo' });
    expect(labelShortcut(press('5'), 'stars')).toEqual({ kind: 'stars', stars: 5 });
    expect(labelShortcut(press('5'), 'pair')).toBeNull();
  });

  it('is off while typing and leaves other modified keys to the browser', () => {
    for (const target of [
      { tagName: 'TEXTAREA' },
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'DIV', isContentEditable: true },
      { tagName: 'select' },
    ]) {
      expect(isTyping(target)).toBe(true);
      expect(labelShortcut(press('1', { target }), 'pair')).toBeNull();
    }
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(labelShortcut(press('1', { ctrlKey: true }), 'pair')).toBeNull();
    expect(labelShortcut(press('1', { altKey: true }), 'pair')).toBeNull();
  });
});

const point = (iteration: number, metrics: Record<string, number>): MetricPoint => ({ iteration, metrics });

describe('tuning warnings', () => {
  it('warns when KL passes the fixed limit or three times the adaptive target', () => {
    expect(tuneWarnings([point(1, { 'objective/kl': KL_LIMIT - 1 })], 0)).toEqual([]);
    expect(tuneWarnings([point(1, { 'objective/kl': KL_LIMIT + 1 })], 0)).toEqual([
      { kind: 'klRunaway', kl: KL_LIMIT + 1, limit: KL_LIMIT },
    ]);
    expect(tuneWarnings([point(1, { 'objective/kl': 7 })], 2)).toEqual([{ kind: 'klRunaway', kl: 7, limit: 6 }]);
  });

  it('warns of reward hacking only when reward rises while gold falls over the window', () => {
    const run = (gold: (i: number) => number) =>
      Array.from({ length: TREND_WINDOW }, (_, i) =>
        point(i + 1, { 'objective/scores': i * 0.2, 'gold/score': gold(i), 'objective/kl': 1 }),
      );
    const hacked = tuneWarnings(
      run((i) => 1 - i * 0.2),
      0,
    );
    expect(hacked).toHaveLength(1);
    expect(hacked[0]).toMatchObject({ kind: 'rewardHacking', window: TREND_WINDOW });
    // Mean of the last three minus the first three: 0.2 * 3 for the reward, -0.2 * 3 for gold.
    if (hacked[0].kind === 'rewardHacking') {
      expect(hacked[0].rewardChange).toBeCloseTo(0.6);
      expect(hacked[0].goldChange).toBeCloseTo(-0.6);
    }
    expect(
      tuneWarnings(
        run((i) => i * 0.2),
        0,
      ),
    ).toEqual([]);
    expect(tuneWarnings(run((i) => 1 - i * 0.2).slice(1), 0)).toEqual([]);
  });
});

describe('token colours', () => {
  it('scales log-probability from pale (surprising) to strong (certain) and signs the two-sided measures', () => {
    expect(tokenStrength('logProb', 0).strength).toBe(1);
    expect(tokenStrength('logProb', -100).strength).toBe(0);
    expect(tokenStrength('kl', -0.5)).toEqual({ strength: 0.5, side: 'low' });
    expect(tokenStrength('advantage', 4)).toEqual({ strength: 1, side: 'high' });
    expect(tokenColour('kl', 0)).toEqual({ background: 'hsl(215 75% 97%)', ink: '#111418' });
    expect(tokenColour('kl', -5).ink).toBe('#ffffff');
  });
});

describe("labeler agreement (Cohen's kappa)", () => {
  it('matches a kappa worked out by hand and treats swapped sides as the same pair', () => {
    // Four pairs labelled by both: answers (h, s) = (a, a), (a, b), (b, b), (tie, tie).
    // p_o = 3/4; h gives a 2/4, b 1/4, tie 1/4; s gives a 1/4, b 2/4, tie 1/4.
    // p_e = 2/4*1/4 + 1/4*2/4 + 1/4*1/4 = 5/16; kappa = (3/4 - 5/16) / (1 - 5/16) = 7/11.
    const both = (prompt: string, h: LabelledPair['choice'], s: LabelledPair['choice']): LabelledPair[] => [
      { prompt, a: 'x', b: 'y', choice: h, labeler: 'human' },
      // The simulated labeler saw the pair with the sides swapped: its a/b answer swaps back.
      { prompt, a: 'y', b: 'x', choice: s === 'a' ? 'b' : s === 'b' ? 'a' : s, labeler: 'sim' },
    ];
    const labels = [
      ...both('p1', 'a', 'a'),
      ...both('p2', 'a', 'b'),
      ...both('p3', 'b', 'b'),
      ...both('p4', 'tie', 'tie'),
    ];
    labels.push(
      { prompt: 'p5', a: 'x', b: 'y', choice: 'a', labeler: 'human' },
      { prompt: 'p6', a: 'x', b: 'y', choice: 'skip', labeler: 'sim' },
    );
    const [result] = agreement(labels);
    expect(result.labelers).toEqual(['human', 'sim']);
    expect(result.pairs).toBe(4);
    expect(result.observed).toBe(0.75);
    expect(result.kappa).toBeCloseTo(7 / 11, 12);
  });

  it('has no pairs to compare for a single labeler', () => {
    expect(agreement([{ prompt: 'p', a: 'x', b: 'y', choice: 'a', labeler: 'human' }])).toEqual([]);
  });
});

describe('the Tune explanation panel', () => {
  it('explains a negative k1 KL estimate only when one is shown', async () => {
    const { explain } = await import('../../src/ui/strings/explain');
    const lines = (kl: number) => explain.tune.values({ 'objective/kl': kl, beta: 0.05 }, 0.05, 0.2);
    expect(lines(-0.12).some((l) => l.includes('negative KL'))).toBe(true);
    expect(lines(0.12).some((l) => l.includes('negative KL'))).toBe(false);
    expect(lines(-0.12)[1]).toContain('-0.120');
  });
});

describe('held-out accuracy in words', () => {
  it('says when the held-out labels are all ties instead of showing a number that is not one', () => {
    expect(reward.heldOut({ accuracy: NaN, heldOut: 4, decided: 0 })).toBe(
      'Your 4 held-out labels are all ties; accuracy needs a held-out pair with a winner.',
    );
    // A run stored before the count was kept: NaN accuracy on held-out pairs can only mean ties.
    expect(reward.heldOut({ accuracy: NaN, heldOut: 1, decided: null })).toBe(
      'Your 1 held-out label is a tie; accuracy needs a held-out pair with a winner.',
    );
    expect(reward.heldOut({ accuracy: 0.75, heldOut: 6, decided: 4 })).toBe(
      'Held-out accuracy 75% on 4 pairs it never trained on (and 2 held-out ties).',
    );
    expect(reward.heldOut({ accuracy: NaN, heldOut: 0, decided: 0 })).toMatch(/^No held-out pairs yet/);
    for (const c of [
      { accuracy: NaN, heldOut: 4, decided: 0 },
      { accuracy: 0.5, heldOut: 2, decided: 2 },
    ])
      expect(reward.heldOut(c)).not.toMatch(/NaN|not a number/i);
  });
});
