/**
 * The little text analysis the simulated labelers share: words, sentences, whole-word matching
 * with simple plurals, n-grams. Deliberately crude and cheap: a gold score runs on every sampled
 * response of every iteration, and a student should be able to predict it by reading the text.
 */
import { wordKey } from '../../contract/labels';

// Letters with inner apostrophes ("don't"); curly apostrophes are folded to ASCII first.
const WORD = /\p{L}+(?:'\p{L}+)*/gu;
// Titles whose period does not end a sentence ("Mr. Brown smiled.").
const TITLE_PERIOD = /\b(mr|mrs|ms|dr|st)\./gi;
// A sentence ends at . ! ? or a line break; a trailing fragment (a response cut off mid-sentence)
// still counts as a sentence.
const SENTENCE_END = /[.!?\n]+/;

/** Lower-case words of `text`, a possessive "'s" dropped so "dog's" reads as "dog" (wordKey). */
export function words(text: string): string[] {
  return (text.replace(/\u2019/g, "'").match(WORD) ?? []).map(wordKey);
}

/** The sentences of `text`, each as its words (see `words`); sentences without a word are dropped. */
export function sentences(text: string): string[][] {
  return text
    .replace(TITLE_PERIOD, '$1')
    .split(SENTENCE_END)
    .map(words)
    .filter((s) => s.length > 0);
}

/**
 * The forms a word is matched in: itself and its simple English plurals (dog/dogs, box/boxes,
 * bunny/bunnies). Only singular to plural: guessing singulars from an "s" would let "news" match
 * "new". Irregular plurals (mouse/mice) are not guessed; a lexicon lists them itself.
 */
export function pluralForms(word: string): string[] {
  const w = word.toLowerCase();
  const forms = [w, `${w}s`, `${w}es`];
  if (/[^aeiou]y$/.test(w)) forms.push(`${w.slice(0, -1)}ies`);
  return forms;
}

/** How many of `tokens` are `word` in any of its `pluralForms` (whole words only). */
export function countWord(tokens: readonly string[], word: string): number {
  const forms = new Set(pluralForms(word));
  return tokens.reduce((n, t) => n + (forms.has(t) ? 1 : 0), 0);
}

/** The word n-grams of `tokens`, each joined by a space (words never contain one). */
export function ngrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  return out;
}
