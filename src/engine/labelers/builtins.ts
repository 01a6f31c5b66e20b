/**
 * The built-in simulated labelers. Each gold score is a cheap, deterministic function of the text
 * that a student can predict by reading it, scaled so that typical continuations of the
 * TinyStories model differ by about one unit and an ordinary one scores near 0 (3 stars).
 * Calibrated on 60-word windows of TinyStories text: see the constants' comments.
 *
 * Every built-in judges the response alone, except `no-repetition`, for which copying the prompt
 * also counts as repeating. Each computes a raw "content" score, reported as
 * SCORE_BOUND * tanh(content / SCORE_BOUND): almost unchanged in the typical range, but bounded,
 * so one extreme feature (a 60-word run-on sentence, a loop) cannot dominate a comparison. A
 * response of fewer than MIN_WORDS words is blended toward EMPTY_SCORE = -SCORE_BOUND, so an empty
 * response is the worst possible on every built-in, and never NaN.
 */
import { DEFAULT_TIE_MARGIN, labelerFromScore, type GoldScore, type Labeler, type LabelerOptions } from './labeler';
import { ANIMALS, FOODS, HAPPY_WORDS, IRREGULAR_ANIMAL_PLURALS, NEGATION_WINDOW, NEGATORS, SAD_WORDS } from './lexicon';
import { ngrams, pluralForms, sentences, words } from './text';
import { EngineError } from '../errors';

// Twice the outer rating cutpoints (+-1.5): a noiseless rating still uses all five stars.
const SCORE_BOUND = 3;
const EMPTY_SCORE = -SCORE_BOUND;
// Below this many words a response is only partly a story; at 0 words it scores EMPTY_SCORE.
const MIN_WORDS = 5;

/** The gold score of a response with `wordCount` words and raw score `content`. */
function goldOf(wordCount: number, content: number): number {
  const bounded = SCORE_BOUND * Math.tanh(content / SCORE_BOUND);
  const shortness = Math.max(0, 1 - wordCount / MIN_WORDS);
  return (1 - shortness) * bounded + shortness * EMPTY_SCORE;
}

/** sign(x) * log2(1 + |x|): the first unit of evidence counts fully, later ones less and less. */
function signedLog2(x: number): number {
  return Math.sign(x) * Math.log2(1 + Math.abs(x));
}

// happy-endings: the last sentences weigh 1 per mood word, the rest MIDDLE_WEIGHT.
const ENDING_SENTENCES = 2;
const MIDDLE_WEIGHT = 0.25;

/** +1 per happy word, -1 per sad word, sign flipped within NEGATION_WINDOW words of a negator. */
function mood(sentence: readonly string[]): number {
  let total = 0;
  sentence.forEach((w, i) => {
    const polarity = HAPPY_WORDS.has(w) ? 1 : SAD_WORDS.has(w) ? -1 : 0;
    if (polarity === 0) return;
    const before = sentence.slice(Math.max(0, i - NEGATION_WINDOW), i);
    total += before.some((b) => NEGATORS.has(b)) ? -polarity : polarity;
  });
  return total;
}

/** Mood of the ending plus a quarter of the mood before it, with diminishing returns. */
export const happyEndingsScore: GoldScore = (_prompt, response) => {
  const ss = sentences(response);
  const ending = ss.slice(-ENDING_SENTENCES).reduce((sum, s) => sum + mood(s), 0);
  const middle = ss.slice(0, -ENDING_SENTENCES).reduce((sum, s) => sum + mood(s), 0);
  return goldOf(words(response).length, signedLog2(ending + MIDDLE_WEIGHT * middle));
};

const ANIMAL_OF = new Map<string, string>([
  ...ANIMALS.flatMap((a) => pluralForms(a).map((form): [string, string] => [form, a])),
  ...Object.entries(IRREGULAR_ANIMAL_PLURALS),
]);

/** Raw score log2(1 + distinct animals): no animal 0, one 1, two 1.58, three 2, seven 3. */
export const animalsScore: GoldScore = (_prompt, response) => {
  const tokens = words(response);
  const distinct = new Set(tokens.flatMap((t) => ANIMAL_OF.get(t) ?? []));
  return goldOf(tokens.length, Math.log2(1 + distinct.size));
};

// short-sentences: TinyStories text averages about TYPICAL_SENTENCE words a sentence; every
// SENTENCE_SCALE words shorter is one unit better, down to FLOOR_SENTENCE words (fragments earn
// nothing more). Words longer than LONG_WORD letters ("unfortunately") cost LONG_WORD_COST per
// unit of their share of all words: one in twenty costs half a unit.
const TYPICAL_SENTENCE = 9;
const SENTENCE_SCALE = 3;
const FLOOR_SENTENCE = 4;
const LONG_WORD = 9;
const LONG_WORD_COST = 10;

/** (typical - mean sentence length) / scale, minus a cost per share of very long words. */
export const shortSentencesScore: GoldScore = (_prompt, response) => {
  const ss = sentences(response);
  const tokens = ss.flat();
  if (tokens.length === 0) return EMPTY_SCORE; // no sentence: the mean length would be 0 / 0
  const meanLength = tokens.length / ss.length;
  const longShare = tokens.filter((w) => w.length > LONG_WORD).length / tokens.length;
  const content =
    (TYPICAL_SENTENCE - Math.max(meanLength, FLOOR_SENTENCE)) / SENTENCE_SCALE - LONG_WORD_COST * longShare;
  return goldOf(tokens.length, content);
};

// no-repetition: 60-word windows of TinyStories repeat 0-10% of their word 3-grams (0 to -1
// here); a model stuck in a loop repeats most of them (below -5).
const NO_REPEAT_BONUS = 0.5;
const TRIGRAM_COST = 10;
const SENTENCE_COST = 3;

/** Share of `items` from index `start` on that already occurred earlier in `items`. */
function repeatedShare(items: readonly string[], start: number): number {
  const seen = new Set(items.slice(0, start));
  let repeated = 0;
  for (let i = start; i < items.length; i++) {
    if (seen.has(items[i])) repeated++;
    seen.add(items[i]);
  }
  return items.length > start ? repeated / (items.length - start) : 0;
}

/** 0.5 - 10 * (share of repeated word 3-grams) - 3 * (share of repeated sentences); the prompt counts as earlier text. */
export const noRepetitionScore: GoldScore = (prompt, response) => {
  const promptWords = words(prompt);
  const responseWords = words(response);
  // Trigrams that end inside the response; those wholly inside the prompt are only "seen before".
  const trigrams = ngrams([...promptWords, ...responseWords], 3);
  const firstOwn = Math.max(0, promptWords.length - 2);
  const promptSentences = sentences(prompt).map((s) => s.join(' '));
  const allSentences = [...promptSentences, ...sentences(response).map((s) => s.join(' '))];
  const content =
    NO_REPEAT_BONUS -
    TRIGRAM_COST * repeatedShare(trigrams, firstOwn) -
    SENTENCE_COST * repeatedShare(allSentences, promptSentences.length);
  return goldOf(responseWords.length, content);
};

// dialogue: a quoted span opens at every other straight or curly double quote; a response cut
// off inside a quotation still counts the span it opened.
const QUOTE = /["\u201c\u201d]/g;

/**
 * Raw score log2(1 + quoted spans): none 0, one 1, three 2. Dense: 62% of 36-word windows of the
 * default model's held-out stories quote someone, and 41% of random pairs of windows score alike.
 */
export const dialogueScore: GoldScore = (_prompt, response) => {
  const spans = Math.ceil((response.match(QUOTE)?.length ?? 0) / 2);
  return goldOf(words(response).length, Math.log2(1 + spans));
};

const FOOD_OF = new Map<string, string>(
  FOODS.flatMap((f) => pluralForms(f).map((form): [string, string] => [form, f])),
);

/** Raw score log2(1 + distinct foods). Sparse: few stories name a food, so most pairs tie. */
export const foodScore: GoldScore = (_prompt, response) => {
  const tokens = words(response);
  const distinct = new Set(tokens.flatMap((t) => FOOD_OF.get(t) ?? []));
  return goldOf(tokens.length, Math.log2(1 + distinct.size));
};

/** Names of the built-in labelers, as given to `--labeler` and shown in the app. */
export type BuiltinLabelerId = 'happy-endings' | 'animals' | 'short-sentences' | 'no-repetition' | 'dialogue' | 'food';

const BUILTIN_SPECS: Record<BuiltinLabelerId, { score: GoldScore; title: string; description: string }> = {
  'happy-endings': {
    score: happyEndingsScore,
    title: 'Likes happy endings',
    description:
      'Counts happy words (happy, smiled, friends, hug...) minus sad ones (sad, cried, hurt, lost...) in the last two sentences, and a quarter as much before them; "not sad" counts as happy.',
  },
  animals: {
    score: animalsScore,
    title: 'Likes stories about animals',
    description:
      'Counts the different animals a response mentions (dog, cat, bird, bunny, frog...), each new one adding less.',
  },
  'short-sentences': {
    score: shortSentencesScore,
    title: 'Likes short simple sentences',
    description: 'Prefers fewer words per sentence (down to 4) and dislikes words longer than 9 letters.',
  },
  'no-repetition': {
    score: noRepetitionScore,
    title: 'Dislikes repetition',
    description:
      'Penalises word triples and whole sentences that already appeared earlier in the prompt or the response.',
  },
  dialogue: {
    score: dialogueScore,
    title: 'Likes dialogue',
    description: 'Counts the quoted things characters say ("Let\'s play!"), each new quotation adding less.',
  },
  food: {
    score: foodScore,
    title: 'Likes food',
    description:
      'Counts the different foods a response names (cake, apple, cookie, soup, milk...), each new one adding less; most stories name none.',
  },
};

export const BUILTIN_LABELER_IDS = Object.keys(BUILTIN_SPECS) as BuiltinLabelerId[];

/** Factories for the built-in labelers; options set rationality, ties and rating cutpoints. */
export const BUILTIN_LABELERS = Object.fromEntries(
  BUILTIN_LABELER_IDS.map((id) => {
    const { score, title, description } = BUILTIN_SPECS[id];
    const make = (opts: LabelerOptions = {}): Labeler =>
      labelerFromScore(id, score, { title, description, tieMargin: DEFAULT_TIE_MARGIN, ...opts });
    return [id, make];
  }),
) as Record<BuiltinLabelerId, (opts?: LabelerOptions) => Labeler>;

export function isBuiltinLabelerId(name: string): name is BuiltinLabelerId {
  return Object.hasOwn(BUILTIN_SPECS, name);
}

/** The built-in labeler called `name`, or an EngineError listing the names that exist. */
export function builtinLabeler(name: string, opts?: LabelerOptions): Labeler {
  if (!isBuiltinLabelerId(name)) {
    throw new EngineError('BAD_ARGUMENT', {
      code: 'UNKNOWN_LABELER',
      params: { id: name, known: [...BUILTIN_LABELER_IDS] },
    });
  }
  return BUILTIN_LABELERS[name](opts);
}
