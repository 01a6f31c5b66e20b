/**
 * A simulated labeler's answer to one question the page asks (autopilot, the lessons): a verdict
 * on a pair, with the words it would mark when asked for marks, or stars for one response; and
 * the simulated labeler a page's spec names.
 */
import { builtinLabeler, keywordLabeler, type Labeler, type Rng } from '../engine';
import { markComparison } from '../engine/labelers/marks';
import type { LabelerSpec, Request, RequestResult } from '../contract/protocol';

export function judgeQuestion(
  gold: Labeler,
  question: Extract<Request, { type: 'judge' }>['question'],
  rng: Rng,
): RequestResult {
  const q = question;
  if (q.kind === 'compare') {
    const { choice, pA } = gold.compare(q.prompt, q.a, q.b, rng);
    const max = q.marks ?? 0;
    // Marking draws nothing from the labeler's generator: the verdicts are the same either way.
    const asked = { id: 0, prompt: q.prompt, a: q.a, b: q.b, choice, labeler: gold.id };
    const marks = max > 0 ? markComparison(gold, asked, max) : [];
    const answer = { kind: 'compare' as const, choice, pA, labeler: gold.id };
    return { kind: 'answer', answer: marks.length > 0 ? { ...answer, marks } : answer };
  }
  return { kind: 'answer', answer: { kind: 'rate', stars: gold.rate(q.prompt, q.response, rng), labeler: gold.id } };
}

/** The simulated labeler a spec names, or null for none. */
export function labelerFor(spec: LabelerSpec | null): Labeler | null {
  if (spec === null) return null;
  return spec.kind === 'builtin' ? builtinLabeler(spec.id) : keywordLabeler(spec.rule);
}
