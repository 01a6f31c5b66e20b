/**
 * A labeler a user defines in one line: `+dog +ball -sad` likes responses that mention dogs and
 * balls and dislikes ones that mention being sad.
 *
 * Grammar: whitespace-separated terms, each `+word` (reward) or `-word` (penalty), with an
 * optional positive weight before the word or after a colon (`+2dog`, `-sad:0.5`; default 1).
 * Words are letters (inner apostrophes allowed), matched case-insensitively as whole words, in
 * the word and its simple plurals (dog/dogs, bunny/bunnies), never inside another word ("cat"
 * does not match "category").
 *
 * Gold score: sum over terms of weight * log2(1 + mentions) in the response, so the first mention
 * is worth the full weight and repeating a word earns less each time. The prompt is not read, and
 * no length rule is added: the score is exactly what the rule says.
 */
import type { KeywordProblem } from '../../contract/messages';
import { EngineError } from '../errors';
import { DEFAULT_TIE_MARGIN, labelerFromScore, type GoldScore, type Labeler, type LabelerOptions } from './labeler';
import { countWord, words } from './text';

/** One parsed term: `weight` is negative for a penalty. */
export interface KeywordTerm {
  word: string;
  weight: number;
}

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const TERM_BODY = new RegExp(String.raw`^(${NUMBER})?(\p{L}+(?:'\p{L}+)*)(?::(${NUMBER}))?$`, 'u');
function badTerm(term: string, index: number, column: number, problem: KeywordProblem, earlier?: number): EngineError {
  return new EngineError('BAD_ARGUMENT', {
    code: 'KEYWORD_TERM',
    params: { index, term, column, problem, earlier: earlier ?? null },
  });
}

function parseTerm(term: string, index: number, column: number): KeywordTerm {
  const sign = term[0] === '+' ? 1 : term[0] === '-' ? -1 : 0;
  if (sign === 0) throw badTerm(term, index, column, 'noSign');
  const body = term.slice(1);
  if (body.length === 0) throw badTerm(term, index, column, 'noWord');
  const match = TERM_BODY.exec(body);
  if (!match) throw badTerm(term, index, column, 'notAWord');
  const [, before, word, after] = match;
  if (before !== undefined && after !== undefined) throw badTerm(term, index, column, 'twoWeights');
  const weight = Number(before ?? after ?? 1);
  if (weight === 0) throw badTerm(term, index, column, 'zeroWeight');
  return { word: word.toLowerCase(), weight: sign * weight };
}

/** Parses a keyword rule; any malformed term is an EngineError naming it and its position. */
export function parseKeywordRule(rule: string): KeywordTerm[] {
  const terms: KeywordTerm[] = [];
  const firstIndex = new Map<string, number>();
  for (const m of rule.matchAll(/\S+/g)) {
    const index = terms.length + 1;
    const term = parseTerm(m[0], index, m.index + 1);
    const earlier = firstIndex.get(term.word);
    if (earlier !== undefined) throw badTerm(m[0], index, m.index + 1, 'repeated', earlier);
    firstIndex.set(term.word, index);
    terms.push(term);
  }
  if (terms.length === 0) throw new EngineError('BAD_ARGUMENT', { code: 'KEYWORD_RULE_EMPTY', params: {} });
  return terms;
}

/** The canonical text of parsed terms: "+dog +2ball -0.5sad". */
export function formatKeywordRule(terms: readonly KeywordTerm[]): string {
  return terms
    .map(({ word, weight }) => `${weight > 0 ? '+' : '-'}${Math.abs(weight) === 1 ? '' : Math.abs(weight)}${word}`)
    .join(' ');
}

/** sum over terms of weight * log2(1 + mentions of the word in the response). */
export function keywordScore(terms: readonly KeywordTerm[]): GoldScore {
  return (_prompt, response) => {
    const tokens = words(response);
    return terms.reduce((sum, { word, weight }) => sum + weight * Math.log2(1 + countWord(tokens, word)), 0);
  };
}

/** A labeler from a keyword rule such as "+dog +ball -sad"; its id is "keyword:" + the canonical rule. */
export function keywordLabeler(rule: string, opts: LabelerOptions = {}): Labeler {
  const terms = parseKeywordRule(rule);
  const canonical = formatKeywordRule(terms);
  return labelerFromScore(`keyword:${canonical}`, keywordScore(terms), {
    title: `Keywords ${canonical}`,
    description: 'Each + word adds its weight at its first mention (less for each repeat); each - word subtracts.',
    tieMargin: DEFAULT_TIE_MARGIN,
    ...opts,
  });
}

/** Whether `spec` reads as a keyword rule (its first term starts with + or -) rather than a name or path. */
export function looksLikeKeywordRule(spec: string): boolean {
  return /^\s*[+-]/.test(spec);
}
