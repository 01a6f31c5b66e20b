/**
 * Human (or simulated) feedback as the reward model consumes it. Every kind of label becomes
 * preference pairs with a target probability that the first response is better:
 *   - a comparison A vs B: target 1 for the chosen one; a tie trains toward 0.5;
 *   - star ratings of single responses: for every two rated responses to the same prompt, the
 *     higher-rated is chosen (target 1); equal stars make a tie (0.5). Ratings thus train the same
 *     Bradley-Terry objective as comparisons, rather than a separate regression term.
 */
import { occurrences, textWithout, type Comparison, type Rating } from '../../contract/labels';
import { invariant } from '../errors';
import { promptIds, responseIds, type TextCodec } from '../generate/text';
import { Rng } from '../rng';

export type { Comparison, Rating } from '../../contract/labels';

/** A pair in token ids: P(chosen better than rejected) should be `target` (1, or 0.5 for a tie). */
export interface PreferencePair {
  /**
   * A stable key from the ids of the label(s) the pair came from: it decides whether the pair is
   * held out and its bootstrap weights, so neither moves when other labels come or go.
   */
  key: number;
  prompt: number[];
  chosen: number[];
  rejected: number[];
  target: number;
  /**
   * Set on a pair made from a marked word (markPairs): trained on by the reward model, never part
   * of its held-out accuracy.
   */
  fromMark?: true;
}

/** What turning labels into token ids needs from a tokenizer. */
export type LabelCodec = Pick<TextCodec, 'encode' | 'eosId'>;

/** A uint32 key from small non-negative integers (FNV-1a over their 32-bit words). */
export function labelKey(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    invariant(Number.isInteger(part) && part >= 0, `label ids must be non-negative integers, got ${part}`);
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= Math.floor(part / 2 ** shift) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

/** The key of a comparison's pair, and of the pair two ratings form. */
const comparisonKey = (id: number) => labelKey(0, id);
const ratingPairKey = (x: number, y: number) => labelKey(1, Math.min(x, y), Math.max(x, y));

export function comparisonToPair(c: Comparison, codec: LabelCodec): PreferencePair {
  const a = { ids: responseIds(codec, c.a, c.aEnded === true) };
  const b = { ids: responseIds(codec, c.b, c.bEnded === true) };
  const [chosen, rejected] = c.choice === 'b' ? [b, a] : [a, b];
  return {
    key: comparisonKey(c.id),
    prompt: promptIds(codec, c.prompt),
    chosen: chosen.ids,
    rejected: rejected.ids,
    target: c.choice === 'tie' ? 0.5 : 1,
  };
}

/**
 * A key for the n-th pair derived from a label with key `parent`: distinct from other labels'
 * keys, but with the parent's last decimal digit, so it is held out exactly when the label is
 * (isHeldOut) and a held-out label's marks never leak into training.
 */
function derivedKey(parent: number, kind: number, id: number, n: number): number {
  return Math.floor(labelKey(kind, id, n) / 10) * 10 + (parent % 10);
}

/**
 * How a marked word becomes a pair: 'without' (the default, the learning study's pick), the whole
 * response beats (a good word) or loses to (a bad word) the same response with that word deleted
 * wherever it is said, the very comparison the labeler's mark states ("this word is why"; a rule
 * that asks whether a word is there at all sees no change when one of two is deleted); 'prefix',
 * the response read up to and including the marked span against it read up to just before it, a
 * dense per-span reward in the manner of Wu et al. 2023.
 */
export type MarkForm = 'without' | 'prefix';

/**
 * The pairs a comparison's marked words teach the reward model (fine-grained feedback), in
 * `form`: in 'without' form one per word (or phrase) marked on a side, however many of its
 * occurrences are marked; in 'prefix' form one per mark. A mark at the very start (in 'prefix'
 * form), or one whose two texts read as the same tokens, teaches nothing and is skipped. Each pair
 * is held out exactly when its label is.
 */
export function markPairs(c: Comparison, codec: LabelCodec, form: MarkForm = 'without'): PreferencePair[] {
  const parent = comparisonKey(c.id);
  const prompt = promptIds(codec, c.prompt);
  const seen = new Set<string>();
  return (c.marks ?? []).flatMap((m, n) => {
    const text = c[m.side];
    const ended = (m.side === 'a' ? c.aEnded : c.bEnded) === true;
    let rest: string;
    if (form === 'prefix') rest = text.slice(0, m.start).trimEnd();
    else {
      const spans = occurrences(text, m);
      const said = `${m.side} ${m.polarity} ${spans.map((s) => `${s.start}-${s.end}`).join(',')}`;
      if (seen.has(said)) return [];
      seen.add(said);
      rest = textWithout(text, spans);
    }
    // Nothing left without the word: no response to compare with.
    if (rest.trim() === '') return [];
    const before = responseIds(codec, rest, form === 'prefix' ? false : ended);
    const through =
      form === 'prefix' ? responseIds(codec, text.slice(0, m.end), false) : responseIds(codec, text, ended);
    const same = before.length === through.length && before.every((id, i) => id === through[i]);
    if (same) return [];
    const [chosen, rejected] = m.polarity > 0 ? [through, before] : [before, through];
    return [{ key: derivedKey(parent, 2, c.id, n), prompt, chosen, rejected, target: 1, fromMark: true as const }];
  });
}

/** Pairs from ratings, grouped by prompt; at most `maxPairsPerPrompt` per prompt, most-different first. */
export function ratingsToPairs(ratings: Rating[], codec: LabelCodec, maxPairsPerPrompt = 16): PreferencePair[] {
  const byPrompt = new Map<string, Rating[]>();
  for (const r of ratings) byPrompt.set(r.prompt, [...(byPrompt.get(r.prompt) ?? []), r]);
  const pairs: PreferencePair[] = [];
  for (const [prompt, rs] of byPrompt) {
    const candidates: [Rating, Rating][] = [];
    for (let i = 0; i < rs.length; i++)
      for (let j = i + 1; j < rs.length; j++)
        candidates.push(rs[i].stars >= rs[j].stars ? [rs[i], rs[j]] : [rs[j], rs[i]]);
    candidates.sort((x, y) => y[0].stars - y[1].stars - (x[0].stars - x[1].stars));
    for (const [hi, lo] of candidates.slice(0, maxPairsPerPrompt)) {
      pairs.push({
        key: ratingPairKey(hi.id, lo.id),
        prompt: promptIds(codec, prompt),
        chosen: responseIds(codec, hi.response, hi.ended === true),
        rejected: responseIds(codec, lo.response, lo.ended === true),
        target: hi.stars === lo.stars ? 0.5 : 1,
      });
    }
  }
  return pairs;
}

/**
 * Whether the pair with this key is held out for evaluation: about one in ten. Decided by the
 * pair's key alone, so a pair never moves between training and held-out as labels come and go.
 */
export function isHeldOut(key: number): boolean {
  return key % 10 === 9;
}

/** A Poisson(1) draw: the weight of one pair in one bootstrap resample (the online bootstrap). */
function poisson1(rng: Rng): number {
  const limit = Math.exp(-1);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/**
 * Weight of the pair with key `key` in ensemble member `member`'s bootstrap resample. Drawn from a
 * seed of (seed, member, key) alone, so each pair keeps its weights as the dataset changes.
 */
export function bootstrapWeight(seed: number, member: number, key: number): number {
  invariant(Number.isInteger(key) && key >= 0, `pair key must be a non-negative integer, got ${key}`);
  const mixed = new Rng((seed * 0x9e3779b1) ^ (member * 0x85ebca6b) ^ Math.imul(key, 0xc2b2ae35)).nextUint32();
  return poisson1(new Rng(mixed));
}
