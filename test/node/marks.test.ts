// Fine-grained feedback: the words a simulated labeler marks (labelers/marks.ts) and the pairs of
// prefixes each mark teaches the reward model (markPairs). The marks are checked against rules
// whose words are known, including a score the marker knows nothing about; the pairs against the
// labelled text read back through the codec; and a reward model taught by marks against one
// trained on the same verdicts alone.
import { describe, expect, it } from 'vitest';
import { keywordLabeler } from '../../src/engine/labelers/keyword';
import { labelerFromScore, preferenceProbability } from '../../src/engine/labelers/labeler';
import { markComparison, markResponse, noticeableDifference } from '../../src/engine/labelers/marks';
import { labelPairs } from '../../src/engine/loop/labeling';
import { runRlhfLoop } from '../../src/engine/loop/rlhf-loop';
import { EngineError } from '../../src/engine/errors';
import { occurrences } from '../../src/contract/labels';
import { MARKED_PLAY, countMarked } from '../../src/contract/marked-play';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import {
  comparisonToPair,
  isHeldOut,
  markPairs,
  type Comparison,
  type PreferencePair,
} from '../../src/engine/rl/preferences';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { Rng } from '../../src/engine/rng';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';
import { tensorsLeaked } from '../helpers/tensors';

const marked = (text: string, marks: { start: number; end: number; polarity: number }[]) =>
  marks.map((m) => `${m.polarity > 0 ? '+' : '-'}${text.slice(m.start, m.end)}`);

describe('marking the words a score turns on', () => {
  const story = 'Tom had a dog. The Dog ate cake. He was sad, so sad. Dogs run.';

  it('marks each word a keyword rule reads once, where it is first said, good or bad, in reading order', () => {
    const rule = keywordLabeler('+dog -sad');
    // "Dogs" is a word of its own (deleting it alone moves the score); "Dog" is "dog".
    expect(marked(story, markResponse(rule, '', story, 10))).toEqual(['+dog', '-sad', '+Dogs']);
    // A possessive is the word, as the labelers read it: "Dog's" is deleted with "dog".
    const owned = "The dog's ball. A dog ran.";
    expect(marked(owned, markResponse(rule, '', owned, 10))).toEqual(["+dog's"]);
    // A word the rule does not read is never marked.
    expect(markResponse(keywordLabeler('+zebra'), '', story, 10)).toEqual([]);
  });

  it('marks a word that counts only when every occurrence of it goes (a presence rule)', () => {
    const present = labelerFromScore('has-cat', (_p, r) => (/\bcat\b/.test(r) ? 1 : 0), { tieMargin: 0.05 });
    const text = 'a cat and a cat';
    expect(marked(text, markResponse(present, '', text, 3))).toEqual(['+cat']);
  });

  it('finds the words of a score it knows nothing about', () => {
    // Likes long words; punctuation and spacing are not words and are never marked.
    const longWords = labelerFromScore('long', (_p, r) => r.split(/\W+/).filter((w) => w.length >= 6).length, {
      tieMargin: 0.05,
    });
    const text = 'The elephant, a wonderful friend, sat.';
    expect(marked(text, markResponse(longWords, '', text, 10))).toEqual(['+elephant', '+wonderful', '+friend']);
  });

  it('keeps the marks that move the score most, at most max per response', () => {
    const rule = keywordLabeler('+dog -3sad +cake:0.5');
    // "sad" twice at 3 each, then "dog" (said twice) over "Dogs" and "cake".
    expect(marked(story, markResponse(rule, '', story, 2))).toEqual(['+dog', '-sad']);
    expect(marked(story, markResponse(rule, '', story, 3))).toHaveLength(3);
    expect(markResponse(rule, '', story, 0)).toEqual([]);
  });

  it('marks only differences the labeler can tell apart', () => {
    // The threshold is where P(A) leaves the tie margin.
    const d = noticeableDifference({ rationality: 2, tieMargin: 0.05 });
    expect(preferenceProbability(d, 2)).toBeCloseTo(0.55, 12);
    const weak = keywordLabeler('+dog:0.04');
    expect(markResponse(weak, '', story, 10)).toEqual([]);
    // A labeler that answers at random notices nothing; one without a margin notices any change.
    expect(noticeableDifference({ rationality: 0, tieMargin: 0.05 })).toBe(Infinity);
    const exact = labelerFromScore('x', (_p, r) => (r.includes('cake') ? 0.01 : 0), { tieMargin: 0 });
    expect(marked(story, markResponse(exact, '', story, 10))).toEqual(['+cake']);
  });

  it('marks both sides of a comparison; labelling with marks gives the same verdicts', () => {
    const rule = keywordLabeler('+dog -sad');
    const c: Comparison = { id: 0, prompt: '', a: 'a dog', b: 'so sad', choice: 'a', labeler: rule.id };
    expect(markComparison(rule, c, 3)).toEqual([
      { side: 'a', start: 2, end: 5, polarity: 1 },
      { side: 'b', start: 3, end: 6, polarity: -1 },
    ]);
    const asked = ['a dog ran', 'so sad', 'the dog was sad', 'a cat'].map((a, i) => ({
      prompt: '',
      a,
      b: ['cats', 'a dog', 'sad', 'dog dog'][i],
      aEnded: false,
      bEnded: true,
      reason: { kind: 'random' as const },
      uncertainty: null,
    }));
    const plain = labelPairs(asked, rule, new Rng(4), 10);
    const withMarks = labelPairs(asked, rule, new Rng(4), 10, 3);
    expect(withMarks.map(({ marks: _, ...c }) => c)).toEqual(plain);
    expect(withMarks[0].marks).toEqual([{ side: 'a', start: 2, end: 5, polarity: 1 }]);
    expect(plain.every((c) => c.marks === undefined)).toBe(true);
  });
});

describe('the pairs a mark teaches', () => {
  const codec = charCodec;
  const read = (ids: number[]) => codec.decode(ids);

  it("'prefix': the text through a good word beats the text before it; a bad word the other way", () => {
    const c: Comparison = {
      id: 7,
      prompt: 'p ',
      a: 'the dog ran',
      b: 'it was sad',
      choice: 'a',
      labeler: 'x',
      aEnded: true,
      marks: [
        { side: 'a', start: 4, end: 7, polarity: 1 },
        { side: 'b', start: 7, end: 10, polarity: -1 },
      ],
    };
    const pairs = markPairs(c, codec, 'prefix');
    expect(pairs.map((p) => [read(p.chosen), read(p.rejected), p.target])).toEqual([
      ['the dog', 'the', 1],
      ['it was', 'it was sad', 1],
    ]);
    // Prefixes never claim an end-of-text, even of a response that ended.
    expect(pairs.every((p) => !p.chosen.includes(CHAR_EOS) && !p.rejected.includes(CHAR_EOS))).toBe(true);
    expect(pairs.every((p) => p.fromMark === true && read(p.prompt) === 'p ')).toBe(true);
  });

  it('by default: the whole response against it without the marked word, end-of-text as labelled', () => {
    const c: Comparison = {
      id: 2,
      prompt: '',
      a: 'the dog ran',
      b: 'it was sad.',
      choice: 'a',
      labeler: 'x',
      bEnded: true,
      marks: [
        { side: 'a', start: 4, end: 7, polarity: 1 },
        { side: 'b', start: 7, end: 10, polarity: -1 },
      ],
    };
    const pairs = markPairs(c, codec);
    expect(pairs.map((p) => [read(p.chosen), read(p.rejected)])).toEqual([
      ['the dog ran', 'the ran'],
      ['it was.', 'it was sad.'],
    ]);
    expect(pairs[1].chosen.at(-1)).toBe(CHAR_EOS);
    expect(pairs[1].rejected.at(-1)).toBe(CHAR_EOS);
    expect(pairs[0].chosen.at(-1)).not.toBe(CHAR_EOS);
  });

  it('deletes a marked word wherever it is said: one pair per word, however many of its occurrences are marked', () => {
    const c: Comparison = {
      id: 3,
      prompt: '',
      a: 'the cat sat. a cat hat. the cat ran. the cat',
      b: 'x',
      choice: 'a',
      labeler: 'x',
      marks: [
        { side: 'a', start: 4, end: 7, polarity: 1 },
        { side: 'a', start: 15, end: 18, polarity: 1 },
      ],
    };
    expect(markPairs(c, codec).map((p) => [read(p.chosen), read(p.rejected)])).toEqual([
      [c.a, 'the sat. a hat. the ran. the'],
    ]);
    // A phrase is deleted wherever the same words are said.
    const phrase = { ...c, marks: [{ side: 'a' as const, start: 24, end: 31, polarity: -1 as const }] };
    expect(markPairs(phrase, codec).map((p) => [read(p.chosen), read(p.rejected)])).toEqual([
      [' sat. a cat hat. ran.', c.a],
    ]);
    // The 'prefix' form keeps one pair per mark.
    expect(markPairs(c, codec, 'prefix')).toHaveLength(2);
  });

  it('finds every occurrence of a span, its own place always among them', () => {
    const text = "dog dog dog. Dog's!";
    // "dog dog" marked at the second and third: the first two words are not another occurrence.
    expect(occurrences(text, { start: 4, end: 11 })).toEqual([{ start: 4, end: 11 }]);
    // Case and a possessive do not make another word.
    expect(occurrences(text, { start: 0, end: 3 }).map((s) => text.slice(s.start, s.end))).toEqual([
      'dog',
      'dog',
      'dog',
      "Dog's",
    ]);
    // A span with no word in it is only itself.
    expect(occurrences(text, { start: 11, end: 12 })).toEqual([{ start: 11, end: 12 }]);
  });

  it('is held out exactly when its label is, and has keys of its own', () => {
    const marks = [
      { side: 'a' as const, start: 4, end: 7, polarity: 1 as const },
      { side: 'a' as const, start: 8, end: 11, polarity: 1 as const },
    ];
    const keys = new Set<number>();
    for (let id = 0; id < 60; id++) {
      const c: Comparison = { id, prompt: '', a: 'the dog ran', b: 'x', choice: 'a', labeler: 'x', marks };
      const parent = comparisonToPair(c, codec).key;
      for (const p of markPairs(c, codec)) {
        expect(isHeldOut(p.key)).toBe(isHeldOut(parent));
        expect(Number.isInteger(p.key) && p.key >= 0).toBe(true);
        keys.add(p.key);
      }
      keys.add(parent);
    }
    expect(keys.size).toBe(180);
  });

  it('skips a mark at the very start, one with nothing left without it, and a comparison without marks', () => {
    const c: Comparison = { id: 1, prompt: '', a: 'dog ran', b: 'x', choice: 'a', labeler: 'x' };
    expect(markPairs(c, codec)).toEqual([]);
    // The whole response marked: ended or not, there is no response left to compare with.
    for (const aEnded of [false, true])
      expect(
        markPairs({ ...c, a: 'dog', aEnded, marks: [{ side: 'a', start: 0, end: 3, polarity: 1 }] }, codec),
      ).toEqual([]);
    expect(markPairs({ ...c, marks: [{ side: 'a', start: 0, end: 3, polarity: 1 }] }, codec, 'prefix')).toEqual([]);
  });
});

describe('a reward model taught by marks', () => {
  const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
  const WORDS = ['cat', 'sun', 'box', 'red', 'hat', 'pen', 'cup', 'map'];
  const rule = keywordLabeler('+zoo');

  /** A five-word response with `liked` copies of "zoo" at random places. */
  function response(rng: Rng, liked: number): string {
    const words = [
      ...Array.from({ length: liked }, () => 'zoo'),
      ...Array.from({ length: 5 - liked }, () => WORDS[rng.int(WORDS.length)]),
    ];
    return rng.shuffle(words).join(' ');
  }

  /** Labelled comparisons, each between a response with "zoo" and one without. */
  function labels(n: number, seed: number, marks: number): Comparison[] {
    const rng = new Rng(seed);
    const asked = Array.from({ length: n }, () => ({
      prompt: 'p ',
      a: response(rng, 1 + rng.int(2)),
      b: response(rng, 0),
      aEnded: false,
      bEnded: false,
      reason: { kind: 'random' as const },
      uncertainty: null,
    }));
    return labelPairs(asked, rule, new Rng(seed + 1), 0, marks);
  }

  /** Share of fresh pairs (one with "zoo", one without) the model orders right. */
  async function accuracy(rm: RewardModel): Promise<number> {
    const rng = new Rng(99);
    const n = 48;
    const good = Array.from({ length: n }, () => response(rng, 1));
    const bad = Array.from({ length: n }, () => response(rng, 0));
    const prompt = codec().encode('p ');
    const s = await rm.score(
      [...good, ...bad].map(() => prompt),
      [...good, ...bad].map((t) => codec().encode(t)),
    );
    return good.filter((_, i) => s.mean[i] > s.mean[n + i]).length / n;
  }
  const codec = () => charCodec;

  /** Accuracy after training on 10 labels with up to `marks` marks each, on their verdicts too when `verdicts`. */
  async function trained(marks: number, verdicts: boolean, form: 'prefix' | 'without' = 'prefix'): Promise<number> {
    const policy = new GPT(config, 3);
    const rm = new RewardModel(policy, CHAR_EOS, { ensembleSize: 2, epochs: 8, learningRate: 3e-3, seed: 5 });
    const given = labels(10, 11, marks);
    const pairs: PreferencePair[] = [
      ...(verdicts ? given.map((c) => comparisonToPair(c, charCodec)) : []),
      ...given.flatMap((c) => markPairs(c, charCodec, form)),
    ];
    // The held-out accuracy reads labelled pairs alone, marks or not.
    const heldOut = (await rm.evaluate(pairs)).pairs;
    expect(heldOut).toBe(verdicts ? given.filter((c) => isHeldOut(comparisonToPair(c, charCodec).key)).length : 0);
    if (pairs.length > 0) await rm.train(pairs);
    const acc = await accuracy(rm);
    rm.dispose();
    policy.dispose();
    return acc;
  }

  it('learns the liked word from the marks alone, in either form, and leaks nothing', async () => {
    const acc: Record<string, number> = {};
    const leaked = await tensorsLeaked(async () => {
      acc.untrained = await trained(0, false);
      acc.prefixes = await trained(3, false, 'prefix');
      acc.without = await trained(3, false, 'without');
      acc.verdicts = await trained(0, true);
      acc.verdictsWithMarks = await trained(3, true);
    });
    expect(leaked).toBe(0);
    // No verdict at all: what the model learns it learns from the marks.
    expect(acc.prefixes).toBeGreaterThan(Math.max(0.65, acc.untrained + 0.1));
    expect(acc.without).toBeGreaterThan(Math.max(0.6, acc.untrained + 0.1));
    expect(acc.verdicts).toBeGreaterThan(0.8);
    expect(acc.verdictsWithMarks).toBeGreaterThan(0.8);
  }, 120_000);
});

describe('marks in the loop', () => {
  const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
  const prompts = ['the ', 'a ', 'my cat ', 'so '];
  // Likes the letter run "a" as a word, dislikes "i": single letters are words to the marker.
  const labeler = keywordLabeler('+a -i');

  it('asks the same verdicts with marks beside them; a bad count is refused; nothing leaks', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const loop = {
      algorithm: 'dpo' as const,
      labels: 12,
      rounds: 1,
      policyIterationsPerRound: 1,
      normalizationSamples: 4,
      seed: 3,
      reward: { ensembleSize: 2, epochs: 1 },
      policy: { maxNewTokens: 16, temperature: 1 },
    };
    const ctx = { policy, reference, codec: charCodec, labeler, prompts };
    for (const bad of [-1, 1.5])
      await expect(runRlhfLoop(ctx, { ...loop, marksPerResponse: bad })).rejects.toThrow(EngineError);
    let plain: Comparison[] = [];
    let withMarks: Comparison[] = [];
    const leaked = await tensorsLeaked(async () => {
      const tuned = [policy.clone(), policy.clone()];
      const a = await runRlhfLoop({ ...ctx, policy: tuned[0] }, loop);
      const b = await runRlhfLoop({ ...ctx, policy: tuned[1] }, { ...loop, marksPerResponse: 2 });
      plain = a.comparisons;
      withMarks = b.comparisons;
      [a.reward, b.reward, ...tuned].forEach((m) => m.dispose());
    });
    expect(withMarks.map(({ marks: _, ...c }) => c)).toEqual(plain);
    const all = withMarks.flatMap((c) => (c.marks ?? []).map((m) => ({ c, m })));
    expect(all.length).toBeGreaterThan(0);
    for (const { c, m } of all) expect(['a', 'i']).toContain(c[m.side].slice(m.start, m.end));
    expect(leaked).toBe(0);
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);

  it('runs the longer Play when asked to and the labels carry marks, as the page does', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const loop = {
      algorithm: 'ppo' as const,
      labels: 12,
      rounds: 1,
      policyIterationsPerRound: DEFAULT_TUNE.iterations,
      normalizationSamples: 4,
      seed: 3,
      reward: { ensembleSize: 2, epochs: 1 },
      policy: { maxNewTokens: 16, temperature: 1, promptsPerIteration: 1, samplesPerPrompt: 2 },
    };
    // A dense taste (every vowel counts), so most labels carry marks.
    const vowels = labelerFromScore('vowels', (_p, r) => (r.match(/[aeiou]/g) ?? []).length, { tieMargin: 0.05 });
    const ctx = { policy, reference, codec: charCodec, labeler: vowels, prompts };
    const runs: { marks: number; markedPlay: boolean; iterations: number; marked: number; labels: number }[] = [];
    const leaked = await tensorsLeaked(async () => {
      for (const [marks, markedPlay] of [
        [2, true],
        [0, true],
        [2, false],
      ] as const) {
        const tuned = policy.clone();
        const r = await runRlhfLoop({ ...ctx, policy: tuned }, { ...loop, marksPerResponse: marks, markedPlay });
        runs.push({
          marks,
          markedPlay,
          iterations: r.rounds[0].policyIterations,
          marked: countMarked(r.comparisons),
          labels: r.comparisons.length,
        });
        [r.reward, tuned].forEach((m) => m.dispose());
      }
    });
    // With marks on enough labels the Play is the longer one; without marks, or not asked, the setting.
    expect(runs[0].marked / runs[0].labels).toBeGreaterThanOrEqual(MARKED_PLAY.minMarkedShare);
    expect(runs.map((r) => r.iterations)).toEqual([
      MARKED_PLAY.iterations,
      loop.policyIterationsPerRound,
      loop.policyIterationsPerRound,
    ]);
    expect(leaked).toBe(0);
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);
});
