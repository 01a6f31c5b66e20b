/**
 * distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation
 * Models"): the share of n-grams across all samples that are unique. A policy that collapses
 * onto a few high-reward phrasings shows it as a falling distinct-n long before its reward stalls.
 */
import { check, outOfRange } from '../errors';

/**
 * Unique n-grams / total n-grams, counted across all samples together (token ids or words).
 * Empty input gives 0; a sample shorter than n contributes nothing.
 * @param samples [S][len_s] token ids or words; n-grams never span two samples
 */
export function distinctN(samples: number[][] | string[][], n: number): number {
  check(Number.isInteger(n) && n >= 1, 'BAD_ARGUMENT', outOfRange(null, 'distinctN n', n, 'positiveInteger'));
  const seen = new Set<string>();
  let total = 0;
  for (const sample of samples) {
    for (let i = 0; i + n <= sample.length; i++) {
      // JSON keeps the key unambiguous for words that contain separators.
      seen.add(JSON.stringify(sample.slice(i, i + n)));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}
