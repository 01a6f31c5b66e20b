/**
 * Fine-grained feedback from a simulated labeler: beside its verdict on a pair, it marks the
 * words that made the difference, as a person who highlights "this is why" would.
 *
 * Any gold score can do this, including one it knows nothing about (a keyword rule, a JS module):
 * a word is marked when deleting every occurrence of it from the response moves the gold score by
 * more than the labeler could tell apart (its tie threshold), good (+1) when the score falls
 * without it, bad (-1) when it rises. A marked word is marked once, where it is first said, as a
 * person points at a word; its pair deletes it wherever it is said (markPairs), the very test the
 * marker made. A word the rule does not read is never marked; a rule that reads something other
 * than words (punctuation, length) gets few or no marks.
 */
import { markableWords, textWithout, wordKey, type Comparison, type WordMark } from '../../contract/labels';
import type { Labeler } from './labeler';

/** A marked span of one response: characters [start, end) and whether it helped (+1) or hurt (-1). */
export interface ResponseMark {
  start: number;
  end: number;
  polarity: 1 | -1;
}

/**
 * The smallest gold-score difference the labeler tells apart: |P(A) - 0.5| >= tieMargin, i.e.
 * |Δ| >= logit(0.5 + tieMargin) / rationality. A noiseless or margin-free labeler notices any change.
 */
export function noticeableDifference(labeler: Pick<Labeler, 'rationality' | 'tieMargin'>): number {
  const { rationality, tieMargin } = labeler;
  if (tieMargin === 0 || rationality === Infinity) return 1e-9;
  if (rationality === 0) return Infinity;
  const p = 0.5 + tieMargin;
  return Math.max(1e-9, Math.log(p / (1 - p)) / rationality);
}

/**
 * The words of `response` the labeler's gold score turns on, at most `max` of them, those whose
 * deletion moves the score most first (ties in reading order), each marked where it is first
 * said; returned in reading order.
 */
export function markResponse(labeler: Labeler, prompt: string, response: string, max: number): ResponseMark[] {
  if (max <= 0) return [];
  const byWord = new Map<string, { start: number; end: number }[]>();
  for (const m of response.matchAll(markableWords())) {
    const key = wordKey(m[0]);
    const spans = byWord.get(key) ?? [];
    spans.push({ start: m.index, end: m.index + m[0].length });
    byWord.set(key, spans);
  }
  const base = labeler.score(prompt, response);
  const threshold = noticeableDifference(labeler);
  const found: (ResponseMark & { weight: number })[] = [];
  for (const spans of byWord.values()) {
    const change = base - labeler.score(prompt, textWithout(response, spans));
    if (Math.abs(change) < threshold) continue;
    found.push({ ...spans[0], polarity: change > 0 ? 1 : -1, weight: Math.abs(change) });
  }
  return found
    .sort((x, y) => y.weight - x.weight || x.start - y.start)
    .slice(0, max)
    .sort((x, y) => x.start - y.start)
    .map(({ start, end, polarity }) => ({ start, end, polarity }));
}

/** Marks on both responses of a comparison, at most `max` on each. */
export function markComparison(labeler: Labeler, c: Comparison, max: number): WordMark[] {
  return (['a', 'b'] as const).flatMap((side) =>
    markResponse(labeler, c.prompt, c[side], max).map((m) => ({ side, ...m })),
  );
}
