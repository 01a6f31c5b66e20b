import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/contract/messages';
import { EngineError } from '../../src/engine/errors';
import { Rng } from '../../src/engine/rng';
import { labelerFromScore, preferenceProbability, type Labeler } from '../../src/engine/labelers/labeler';
import { BUILTIN_LABELER_IDS, BUILTIN_LABELERS, builtinLabeler } from '../../src/engine/labelers/builtins';
import { formatKeywordRule, keywordLabeler, parseKeywordRule } from '../../src/engine/labelers/keyword';
import { pluralForms, sentences, words } from '../../src/engine/labelers/text';
import { labelerFromSpec, loadLabelerModule } from '../../scripts/lib/labeler-module';
import { sentenceOf } from '../helpers/sentence';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Runs `fn`, expects an EngineError with code BAD_ARGUMENT, and returns its message. */
function badArgument(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('BAD_ARGUMENT');
    return sentenceOf(err);
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

/** Runs `fn`, expects an EngineError with code BAD_ARGUMENT, and returns its message code and parameters. */
function badDetail(fn: () => unknown): Message {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('BAD_ARGUMENT');
    return (err as EngineError).detail;
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

async function badDetailAsync(promise: Promise<unknown>): Promise<Message> {
  const err = await promise.then(
    () => new Error('expected an EngineError, the promise resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('BAD_ARGUMENT');
  return (err as EngineError).detail;
}

async function badArgumentAsync(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => new Error('expected an EngineError, the promise resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('BAD_ARGUMENT');
  return sentenceOf(err);
}

/** A labeler whose gold score is the response read as a number: deltas are exact. */
const numeric = (opts = {}) => labelerFromScore('numeric', (_p, r) => Number(r), opts);

const PROMPT = 'Once upon a time, there was a little girl named Lily.';

describe('text helpers', () => {
  it('splits words and sentences the way the gold scores count them', () => {
    expect(words("The Dog's ball, don't  CRY!")).toEqual(['the', 'dog', 'ball', "don't", 'cry']);
    // "Mr." does not end a sentence; a trailing fragment without a period is a sentence.
    expect(sentences('Mr. Brown smiled. "Hi!" said Sam... and then')).toEqual([
      ['mr', 'brown', 'smiled'],
      ['hi'],
      ['said', 'sam'],
      ['and', 'then'],
    ]);
    expect(pluralForms('bunny')).toContain('bunnies');
    expect(pluralForms('box')).toContain('boxes');
    expect(pluralForms('news')).not.toContain('new');
  });
});

describe('built-in labelers', () => {
  // [liked, disliked] pairs of short stories for each built-in.
  const PAIRS: Record<string, [string, string][]> = {
    'happy-endings': [
      [
        'They played in the park. In the end, they all laughed and were happy.',
        'They played in the park. In the end, she cried because she was sad.',
      ],
      [
        'The dog was lost. Tom looked and looked. Then Tom found him and they hugged.',
        'Tom had a fun day with his friends. He went home. Then the dog was lost and Tom cried.',
      ],
      ['Lily fell down. She was not sad, she smiled.', 'Lily fell down. She was sad, she cried.'],
      ['The bird sang. Everyone was glad.', 'The bird sang. Everyone went home.'],
    ],
    animals: [
      ['The dog and the cat played with a little bird.', 'The boy and the girl played with a red ball.'],
      ['A frog met two ducks and a bunny.', 'A frog sat on a log all day long.'],
      ['Three cows looked at the horses.', 'The cowboy looked at the house.'],
    ],
    'short-sentences': [
      [
        'Tom had a ball. It was red. He liked it. He played all day.',
        'Tom had a big red ball that he liked very much and he played with it all day in the park with his mom.',
      ],
      // Same sentence lengths: only the very long words differ.
      [
        'Sam saw a very big dog. The dog was very nice.',
        'Sam saw an extraordinarily friendly dog. The dog was unbelievably nice.',
      ],
    ],
    'no-repetition': [
      [
        'Lily went to the park. She saw a dog. They ran and played all day.',
        'Lily went to the park. She went to the park. She went to the park.',
      ],
      [
        'Ben had a red ball. He threw it high and caught it.',
        'Ben had a red ball and a red ball and a red ball and a red ball.',
      ],
      ['She found a shiny stone by the river.', 'Once upon a time, there was a little girl named Lily.'],
    ],
    dialogue: [
      ['Mom said, "Let\'s go to the park." Lily said, "Yay!"', 'Mom and Lily went to the park and played all day.'],
      ['Tom asked, \u201cCan I play?\u201d The boy nodded.', 'Tom wanted to play. The boy nodded and smiled.'],
      // Cut off inside a quotation: the opened span still counts.
      ['The bird sang, "Good morning, little', 'The bird sang a song in the morning sun.'],
    ],
    food: [
      ['She ate a cake and two apples at the table.', 'She sat at the table and looked at the door.'],
      ['Ben baked cookies and pie for his mom.', 'Ben baked something nice for his mom.'],
      ['The bunny found carrots and cherries.', 'The bunny found a hole under the tree.'],
    ],
  };

  for (const id of BUILTIN_LABELER_IDS) {
    it(`${id} ranks hand-written pairs the expected way, and scores empty text low`, () => {
      const labeler = BUILTIN_LABELERS[id]();
      expect(labeler.id).toBe(id);
      expect(labeler.title.length).toBeGreaterThan(0);
      expect(labeler.description.length).toBeGreaterThan(0);
      for (const [liked, disliked] of PAIRS[id]) {
        expect(labeler.score(PROMPT, liked), `${liked} vs ${disliked}`).toBeGreaterThan(
          labeler.score(PROMPT, disliked),
        );
      }
      const stories = Object.values(PAIRS).flat(2);
      const lowest = Math.min(...stories.map((s) => labeler.score(PROMPT, s)));
      for (const empty of ['', '   ', '...!?', '\n\n']) {
        const s = labeler.score(PROMPT, empty);
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeLessThan(lowest);
      }
    });
  }

  it('happy-endings weighs the ending more than the middle', () => {
    const happy = BUILTIN_LABELERS['happy-endings']();
    const sadMiddle = 'Sam was sad. He cried. Then he found his friend. They laughed and were happy.';
    const sadEnd = 'Sam laughed and was happy. He found his friend. Then he was sad. He cried.';
    expect(happy.score('', sadMiddle)).toBeGreaterThan(0);
    expect(happy.score('', sadEnd)).toBeLessThan(0);
  });

  it('animals counts distinct animals with diminishing returns', () => {
    const animals = BUILTIN_LABELERS.animals();
    const s = (text: string) => animals.score('', text);
    const base = 'In the garden there was a';
    const one = s(`${base} dog.`);
    const two = s(`${base} dog and a cat.`);
    const three = s(`${base} dog and a cat and a frog.`);
    expect(s(`${base} dog. The dog and the dogs ran.`)).toBe(one);
    expect(two - one).toBeGreaterThan(three - two);
    expect(three - two).toBeGreaterThan(0);
    expect(s(`${base} cat sitting on a category.`)).toBe(one);
  });

  it('dialogue counts quoted spans with diminishing returns, straight or curly quotes alike', () => {
    const dialogue = BUILTIN_LABELERS.dialogue();
    const s = (text: string) => dialogue.score('', text);
    const none = s('The cat sat on the mat all day long.');
    const one = s('The cat said, "I like this mat," and sat.');
    const two = s('The cat said, "I like this mat." The dog said, "Me too."');
    const three = s('"Hi," said the cat. "Hello," said the dog. "Play?" asked the bird.');
    expect(s('The cat said, \u201cI like this mat,\u201d and sat.')).toBe(one);
    expect(one - none).toBeGreaterThan(two - one);
    expect(two - one).toBeGreaterThan(three - two);
    expect(three - two).toBeGreaterThan(0);
  });

  it('food counts distinct foods with plurals and diminishing returns, and ties on stories without food', () => {
    const food = BUILTIN_LABELERS.food();
    const s = (text: string) => food.score('', text);
    const one = s('They had a picnic with a cake.');
    const two = s('They had a picnic with a cake and milk.');
    const three = s('They had a picnic with a cake and milk and berries.');
    expect(s('They had a picnic with cakes and a cake.')).toBe(one);
    expect(two - one).toBeGreaterThan(three - two);
    expect(three - two).toBeGreaterThan(0);
    // Most story text names no food: two such responses score alike, so the labeler ties them.
    expect(s('Lily ran to the park with her dog.')).toBe(s('Tom found a red ball under the tree.'));
    const judged = food.compare(
      '',
      'Lily ran to the park with her dog.',
      'Tom found a red ball under the tree.',
      new Rng(1),
    );
    expect(judged.choice).toBe('tie');
  });

  it('builtinLabeler names the built-ins when asked for an unknown one', () => {
    expect(builtinLabeler('animals', { rationality: 5 }).rationality).toBe(5);
    const message = badArgument(() => builtinLabeler('likes-cats'));
    expect(message).toContain('likes-cats');
    for (const id of BUILTIN_LABELER_IDS) expect(message).toContain(id);
  });
});

describe('Bradley-Terry answers', () => {
  it('with infinite rationality always picks the higher gold score, and ties on equal scores', () => {
    const labeler = BUILTIN_LABELERS['happy-endings']({ rationality: Infinity });
    const responses = [
      'They laughed and were happy.',
      'She cried because she was sad.',
      'They went home.',
      'They hugged. Everyone was glad and had fun.',
      'They went home and had tea.',
    ];
    const rng = new Rng(3);
    for (const a of responses) {
      for (const b of responses) {
        const delta = labeler.score(PROMPT, a) - labeler.score(PROMPT, b);
        const { choice, pA } = labeler.compare(PROMPT, a, b, rng);
        expect(choice).toBe(delta > 0 ? 'a' : delta < 0 ? 'b' : 'tie');
        expect(pA).toBe(delta > 0 ? 1 : delta < 0 ? 0 : 0.5);
      }
    }
  });

  it('matches sigmoid(rationality * delta) over 2000 seeded trials', () => {
    const trials = 2000;
    for (const [rationality, scoreA, scoreB] of [
      [1, 1, 0],
      [2, 0, 0.5],
      [0.5, 3, 1],
      [4, 0.2, 0],
      [1, 0, 0],
    ]) {
      const labeler = numeric({ rationality });
      const rng = new Rng(100 + rationality);
      let preferredA = 0;
      for (let t = 0; t < trials; t++) {
        const { choice, pA } = labeler.compare('', String(scoreA), String(scoreB), rng);
        expect(pA).toBeCloseTo(sigmoid(rationality * (scoreA - scoreB)), 12);
        expect(choice).not.toBe('tie');
        if (choice === 'a') preferredA++;
      }
      expect(Math.abs(preferredA / trials - sigmoid(rationality * (scoreA - scoreB)))).toBeLessThan(0.03);
    }
  });

  it('gives the same answers for the same seed, one draw per question', () => {
    const labeler = BUILTIN_LABELERS.animals({ rationality: 1 });
    const ask = (seed: number) => {
      const rng = new Rng(seed);
      const answers: string[] = [];
      for (let i = 0; i < 50; i++) {
        answers.push(labeler.compare(PROMPT, 'The dog ran.', 'The cat and the bird sang.', rng).choice);
        answers.push(String(labeler.rate(PROMPT, 'The dog ran.', rng)));
      }
      return { answers, state: rng.seedState };
    };
    expect(ask(7)).toEqual(ask(7));
    expect(ask(7).answers).not.toEqual(ask(8).answers);
    const rng = new Rng(7);
    const reference = new Rng(7);
    labeler.compare(PROMPT, 'The dog ran.', 'The dog ran.', rng);
    labeler.rate(PROMPT, '', rng);
    reference.next();
    reference.next();
    expect(rng.seedState).toBe(reference.seedState);
  });

  it('answers a tie when |P(A) - 0.5| is below tieMargin', () => {
    const labeler = numeric({ rationality: 1, tieMargin: 0.1 });
    const rng = new Rng(1);
    // sigmoid(0.3) - 0.5 = 0.074 < 0.1: tie; sigmoid(0.5) - 0.5 = 0.122: a real answer.
    for (let i = 0; i < 20; i++) {
      expect(labeler.compare('', '0.3', '0', rng).choice).toBe('tie');
      expect(labeler.compare('', '0', '0.5', rng).choice).not.toBe('tie');
    }
  });

  it('is numerically safe for huge score differences', () => {
    expect(preferenceProbability(1e6, 3)).toBe(1);
    expect(preferenceProbability(-1e6, 3)).toBe(0);
    expect(preferenceProbability(0, Infinity)).toBe(0.5);
    expect(preferenceProbability(5, 0)).toBe(0.5);
  });
});

describe('star ratings', () => {
  const scores = Array.from({ length: 61 }, (_, i) => -3 + i * 0.1 + 0.01);

  it('are monotone in the gold score with infinite rationality: round(score) + 3, clamped', () => {
    const labeler = numeric({ rationality: Infinity });
    const rng = new Rng(5);
    const stars = scores.map((s) => labeler.rate('', String(s), rng));
    for (let i = 1; i < stars.length; i++) expect(stars[i]).toBeGreaterThanOrEqual(stars[i - 1]);
    scores.forEach((s, i) => expect(stars[i]).toBe(Math.min(5, Math.max(1, Math.round(s) + 3))));
    expect(new Set(stars)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('follow the ordered-logit probabilities with finite rationality', () => {
    const rationality = 1.5;
    const labeler = numeric({ rationality });
    const trials = 2000;
    for (const score of [-1, 0.3, 2]) {
      const rng = new Rng(11);
      const counts = [0, 0, 0, 0, 0];
      for (let t = 0; t < trials; t++) counts[labeler.rate('', String(score), rng) - 1]++;
      // P(stars > k) = sigmoid(r * (score - cutpoint_k)).
      const above = [-1.5, -0.5, 0.5, 1.5].map((c) => sigmoid(rationality * (score - c)));
      const expected = [1 - above[0], above[0] - above[1], above[1] - above[2], above[2] - above[3], above[3]];
      counts.forEach((c, k) => expect(Math.abs(c / trials - expected[k])).toBeLessThan(0.03));
    }
  });

  it('are monotone in the gold score for a given draw, whatever the rationality', () => {
    const labeler = numeric({ rationality: 0.7 });
    for (const seed of [1, 2, 3]) {
      const stars = scores.map((s) => labeler.rate('', String(s), new Rng(seed)));
      for (let i = 1; i < stars.length; i++) expect(stars[i]).toBeGreaterThanOrEqual(stars[i - 1]);
    }
  });

  it('use custom cutpoints when given', () => {
    const labeler = numeric({ rationality: Infinity, ratingCutpoints: [0, 10, 20, 30] });
    expect([-1, 5, 15, 25, 35].map((s) => labeler.rate('', String(s), new Rng(1)))).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('labeler options and scores are checked', () => {
  it('rejects bad rationality, tie margin and cutpoints', () => {
    const option = (labeler: string, name: string, got: string) => ({
      code: 'LABELER_OPTION',
      params: { labeler, option: name, got },
    });
    const id = numeric().id;
    expect(badDetail(() => numeric({ rationality: -1 }))).toEqual(option(id, 'rationality', '-1'));
    expect(badDetail(() => numeric({ rationality: NaN }))).toEqual(option(id, 'rationality', 'NaN'));
    expect(badDetail(() => numeric({ tieMargin: 0.6 }))).toEqual(option(id, 'tieMargin', '0.6'));
    expect(badDetail(() => numeric({ ratingCutpoints: [0, 1, 1, 2] }))).toEqual(
      option(id, 'ratingCutpoints', '[0, 1, 1, 2]'),
    );
    expect(badDetail(() => numeric({ ratingCutpoints: [0, 1, 2] }))).toEqual(
      option(id, 'ratingCutpoints', '[0, 1, 2]'),
    );
    expect(badDetail(() => labelerFromScore(' ', () => 0))).toEqual(option(' ', 'id', ' '));
    expect(badArgument(() => numeric({ tieMargin: 0.6 }))).toBe(`Labeler "${id}": tieMargin 0.6 must be in [0, 0.5].`);
  });

  it('turns a non-finite gold score into an EngineError instead of a NaN label', () => {
    const labeler: Labeler = numeric();
    expect(badDetail(() => labeler.compare('', 'not a number', '1', new Rng(1)))).toEqual({
      code: 'LABELER_SCORE',
      params: { labeler: labeler.id, score: 'NaN', response: '"not a number"' },
    });
    expect(badDetail(() => labeler.rate('', 'Infinity', new Rng(1)))).toMatchObject({
      code: 'LABELER_SCORE',
      params: { score: 'Infinity', response: '"Infinity"' },
    });
  });
});

describe('keyword rules', () => {
  it('parses signs and weights before the word or after a colon', () => {
    expect(parseKeywordRule('+dog +2ball -sad:0.5 +Cat:1.5 -3rain')).toEqual([
      { word: 'dog', weight: 1 },
      { word: 'ball', weight: 2 },
      { word: 'sad', weight: -0.5 },
      { word: 'cat', weight: 1.5 },
      { word: 'rain', weight: -3 },
    ]);
    expect(formatKeywordRule(parseKeywordRule('  +dog\t-sad:2 '))).toBe('+dog -2sad');
    expect(keywordLabeler('+dog +ball -sad').id).toBe('keyword:+dog +ball -sad');
  });

  it('scores weight * log2(1 + mentions), case-insensitive, whole words, with plurals', () => {
    const labeler = keywordLabeler('+dog +2bunny -sad');
    const s = (text: string) => labeler.score(PROMPT, text);
    expect(s('The DOG ran.')).toBe(1);
    expect(s('Two dogs and a dog.')).toBeCloseTo(Math.log2(3), 12);
    expect(s("The dog's bone.")).toBe(1);
    expect(s('The bunnies hopped.')).toBe(2);
    expect(s('The dog was sad.')).toBe(0);
    expect(s('A dogma about hotdogs and sadness.')).toBe(0);
    expect(keywordLabeler('+cat').score('', 'A category of cats.')).toBe(1);
    expect(s('')).toBe(0);
  });

  it('rejects every malformed term, naming it and its position', () => {
    const cases: [string, string][] = [
      ['+dog dog', 'term 2 "dog" (at character 6)'],
      ['+', 'term 1 "+" (at character 1)'],
      ['+dog -', 'term 2 "-" (at character 6)'],
      ['+d@g', 'term 1 "+d@g"'],
      ['+dog:', 'term 1 "+dog:"'],
      ['+dog:x', 'term 1 "+dog:x"'],
      ['+2dog:3', 'two weights'],
      ['+0dog', 'weight 0'],
      ['++dog', 'term 1 "++dog"'],
      ['+2', 'term 1 "+2"'],
      ['+dog-cat', 'term 1 "+dog-cat"'],
      ['+dog -Dog', 'repeats the word of term 1'],
      ['*dog', 'must start with + (reward) or - (penalty)'],
    ];
    for (const [rule, expected] of cases)
      expect(
        badArgument(() => parseKeywordRule(rule)),
        rule,
      ).toContain(expected);
    expect(badArgument(() => keywordLabeler('   '))).toContain('empty');
  });
});

describe('labeler modules', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/labelers/${name}`, import.meta.url));

  it('loads a module exporting score, id and title', async () => {
    const labeler = await loadLabelerModule(fixture('likes-dogs.mjs'), { rationality: Infinity });
    expect(labeler.id).toBe('likes-dogs');
    expect(labeler.title).toBe('Likes dogs');
    expect(labeler.score('', 'A dog and two dogs.')).toBe(2);
    expect(labeler.compare('', 'A cat.', 'A dog.', new Rng(1)).choice).toBe('b');
  });

  it('reports a missing file, a missing score and a score that is not a function', async () => {
    const nope = fixture('nope.mjs');
    expect(await badDetailAsync(loadLabelerModule(nope))).toEqual({
      code: 'LABELER_MODULE',
      params: { path: nope, problem: 'notFound', absolute: nope },
    });
    expect(await badDetailAsync(loadLabelerModule(fixture('no-score.mjs')))).toMatchObject({
      code: 'LABELER_MODULE',
      params: { problem: 'noScore' },
    });
    expect(await badDetailAsync(loadLabelerModule(fixture('score-not-function.mjs')))).toMatchObject({
      code: 'LABELER_MODULE',
      params: { problem: 'badExport', name: 'score', expected: 'function' },
    });
  });

  it('turns a throw or a non-finite score into a clear EngineError', async () => {
    const path = fixture('throws.mjs');
    const throwing = await loadLabelerModule(path);
    expect(throwing.score('', 'A dog.')).toBe(0);
    expect(badDetail(() => throwing.compare('', 'A dog.', 'A cat.', new Rng(1)))).toMatchObject({
      code: 'LABELER_MODULE',
      params: { path, problem: 'threw', prompt: '""', detail: expect.stringContaining('cats are not allowed') },
    });
    const nan = await loadLabelerModule(fixture('returns-nan.mjs'));
    expect(badDetail(() => nan.score('', ''))).toMatchObject({
      code: 'LABELER_MODULE',
      params: { problem: 'notFinite', returned: 'number', value: 'NaN' },
    });
    expect(badArgument(() => nan.score('', ''))).toContain('returned NaN on response ""');
  });

  it('keyword and module labelers tie on equal gold scores as the built-ins do; --tie-margin changes it', async () => {
    // Two responses none of the rules can tell apart: a tie every time, never a coin flip.
    const answers = (l: Labeler) => {
      const rng = new Rng(4);
      return Array.from({ length: 40 }, () => l.compare('', 'A cat sat.', 'The sun was warm.', rng).choice);
    };
    const specs = ['animals', '+dog -sad', fixture('likes-dogs.mjs')];
    for (const spec of specs) {
      const labeler = await labelerFromSpec(spec);
      expect(labeler.tieMargin, spec).toBe(builtinLabeler('animals').tieMargin);
      expect(new Set(answers(labeler)), spec).toEqual(new Set(['tie']));
      // A margin of 0 (as --tie-margin 0 asks) brings the coin flips back, for every kind alike.
      const flips = answers(await labelerFromSpec(spec, { tieMargin: 0 }));
      expect(new Set(flips), spec).toEqual(new Set(['a', 'b']));
    }
    // A real difference is still answered: the margin only swallows (all but) equal scores.
    const dogs = await labelerFromSpec('+dog', { rationality: Infinity });
    expect(dogs.compare('', 'A dog.', 'A cat.', new Rng(1)).choice).toBe('a');
  });

  it('resolves a --labeler spec: built-in name, keyword rule or module path', async () => {
    expect((await labelerFromSpec('animals')).id).toBe('animals');
    expect((await labelerFromSpec('+dog -sad')).id).toBe('keyword:+dog -sad');
    expect((await labelerFromSpec(fixture('likes-dogs.mjs'))).id).toBe('likes-dogs');
    expect(await badArgumentAsync(labelerFromSpec('cats'))).toContain('Unknown labeler "cats"');
  });
});
