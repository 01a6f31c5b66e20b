/**
 * The labels a person (or a simulated labeler) gives, as plain text: what storage keeps, what
 * the page sends the worker, and what the engine's reward model trains on.
 */

/** Which of two responses was better; a tie states no preference. */
export type Choice = 'a' | 'b' | 'tie';

/** A 1-5 star rating of one response. */
export type Stars = 1 | 2 | 3 | 4 | 5;

/**
 * What counts as one word when words are marked: letters with inner apostrophes ("don't"), the
 * words the simulated labelers read (engine/labelers/text.ts). A fresh global RegExp each call.
 */
export function markableWords(): RegExp {
  return /\p{L}+(?:['\u2019]\p{L}+)*/gu;
}

/** A word as the labelers read it: case folded, a possessive "'s" dropped ("Dog's" is "dog"). */
export function wordKey(word: string): string {
  return word
    .toLowerCase()
    .replace(/\u2019/g, "'")
    .replace(/'s$/, '');
}

/**
 * Every place `text` says what its span [start, end) says: the same words (by `wordKey`), in
 * order, with nothing but spacing and punctuation between them; the span itself among them. In
 * reading order, not overlapping. A span without a word is only itself.
 */
export function occurrences(text: string, span: { start: number; end: number }): { start: number; end: number }[] {
  const all = [...text.matchAll(markableWords())].map((m) => ({
    key: wordKey(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
  const inside = all.filter((w) => w.start >= span.start && w.end <= span.end).map((w) => w.key);
  if (inside.length === 0) return [{ start: span.start, end: span.end }];
  const own = { start: span.start, end: span.end };
  const found = [own];
  let free = 0; // the first word a further occurrence may start at
  for (let i = 0; i + inside.length <= all.length; i++) {
    const start = all[i].start;
    const end = all[i + inside.length - 1].end;
    if (i < free || !inside.every((key, j) => all[i + j].key === key)) continue;
    if (start < own.end && own.start < end) continue;
    found.push({ start, end });
    free = i + inside.length;
  }
  return found.sort((x, y) => x.start - y.start);
}

/** `text` with the given [start, end) spans (in order, not overlapping) removed, each with the whitespace just before it. */
export function textWithout(text: string, spans: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const { start, end } of spans) {
    let cut = start;
    while (cut > at && /\s/.test(text[cut - 1])) cut--;
    out += text.slice(at, cut);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * A span of one response that the labeller marked as a reason for the verdict: the characters
 * [start, end) of side `side`'s text, that helped it (`polarity` 1) or hurt it (-1).
 */
export interface WordMark {
  side: 'a' | 'b';
  start: number;
  end: number;
  polarity: 1 | -1;
}

/**
 * One labelled comparison of two responses to a prompt. `aEnded`/`bEnded` say whether each
 * response ended with end-of-text when it was sampled; a label without them (made before they were
 * recorded, or imported) is read as not ended: its text is trained on as it stands, rather than
 * claiming an end the policy may never have sampled.
 */
export interface Comparison {
  /** The label's stable id (storage's id, or its place in a log that only grows). */
  id: number;
  prompt: string;
  a: string;
  b: string;
  choice: Choice;
  /** Who labelled it: the person's labeler name or a simulated labeler's id. */
  labeler: string;
  aEnded?: boolean;
  bEnded?: boolean;
  /** The words marked as reasons (fine-grained feedback); none when absent. */
  marks?: WordMark[];
}

/** A star rating of a single response; `ended` as for a comparison's sides. */
export interface Rating {
  id: number;
  prompt: string;
  response: string;
  stars: Stars;
  labeler: string;
  ended?: boolean;
}

/** A response a person wrote or rewrote: what supervised fine-tuning learns from. */
export interface Demonstration {
  prompt: string;
  response: string;
}

/**
 * The labels the session trains on, as storage holds them (skips left out), each with its storage
 * id (the key of its held-out split) and whether each response ended.
 */
export interface LabelLog {
  comparisons: Comparison[];
  ratings: Rating[];
  demonstrations: Demonstration[];
}
