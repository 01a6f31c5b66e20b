/**
 * When two comparisons are of the same pair: same prompt and the same two responses, shown in
 * either order. Swapped sides swap the answer, so the answer is restated as if A were the response
 * that sorts first; a tie stays a tie.
 */
export type PairAnswer = 'a' | 'b' | 'tie';

export interface ShownPair {
  prompt: string;
  a: string;
  b: string;
}

/** One key per unordered pair of responses to a prompt, and `answer` restated in that order. */
export function samePair(pair: ShownPair, answer: PairAnswer): { key: string; answer: PairAnswer } {
  const swapped = pair.a > pair.b;
  const restated = swapped && answer !== 'tie' ? (answer === 'a' ? 'b' : 'a') : answer;
  const [first, second] = swapped ? [pair.b, pair.a] : [pair.a, pair.b];
  return { key: JSON.stringify([pair.prompt, first, second]), answer: restated };
}
