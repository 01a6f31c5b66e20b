/**
 * Stage 1 of the iterated loop: show the labeler pairs of responses from the *current* policy.
 * With active learning, several candidate pairs are drawn per label and the one the reward-model
 * ensemble is least sure about (largest spread of r_a - r_b across heads) is asked.
 */
import type { Labeler } from '../labelers/labeler';
import { markComparison } from '../labelers/marks';
import { generateTexts, promptIds, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import type { Comparison } from '../rl/preferences';
import type { RewardModel } from '../rl/reward-model';
import { Rng } from '../rng';
import type { PairReason, PairRequest } from '../../contract/pairs';

export type { PairReason, PairRequest } from '../../contract/pairs';

export interface PairSampling {
  maxNewTokens: number;
  temperature: number;
  /** Candidate pairs drawn per pair asked; 1 means random pairs. */
  candidates: number;
  /**
   * Which candidate is asked: 'uncertain' (default), the pair the ensemble's heads disagree on
   * most; 'contrast', the pair whose responses the ensemble mean tells apart most.
   */
  select?: 'uncertain' | 'contrast';
}

/** Draws `count` pairs of responses from `policy` for prompts picked from `prompts`. */
export async function samplePairs(
  policy: GPT,
  codec: TextCodec,
  prompts: string[],
  count: number,
  reward: RewardModel | null,
  o: PairSampling,
  rng: Rng,
): Promise<PairRequest[]> {
  const k = reward === null ? 1 : o.candidates;
  const picked = Array.from({ length: count * k }, () => prompts[rng.int(prompts.length)]);
  const texts = await generateTexts(
    policy,
    codec,
    picked.flatMap((p) => [p, p]),
    { maxNewTokens: o.maxNewTokens, temperature: o.temperature, seed: rng.nextUint32() },
  );
  const pairs: PairRequest[] = picked.map((prompt, i) => ({
    prompt,
    a: texts[2 * i].text,
    b: texts[2 * i + 1].text,
    aEnded: texts[2 * i].finishReason === 'eos',
    bEnded: texts[2 * i + 1].finishReason === 'eos',
    reason: { kind: 'random' },
    uncertainty: null,
  }));
  if (reward === null || k === 1) return pairs;
  // Scored on the tokens as sampled (end-of-text included), as a rollout and a label are.
  const { pA, uncertainty } = await reward.comparePairs(
    pairs.map((p) => promptIds(codec, p.prompt)),
    pairs.map((_, i) => texts[2 * i].tokens),
    pairs.map((_, i) => texts[2 * i + 1].tokens),
  );
  const contrast = o.select === 'contrast';
  const key = (i: number) => (contrast ? Math.abs(pA[i] - 0.5) : uncertainty[i]);
  const reason = (i: number): PairReason =>
    contrast
      ? { kind: 'contrast', pA: pA[i], candidates: k }
      : { kind: 'uncertain', heads: reward.config.ensembleSize, spread: uncertainty[i], candidates: k };
  return pairs
    .map((p, i) => ({ pair: { ...p, uncertainty: uncertainty[i], reason: reason(i) }, key: key(i) }))
    .sort((x, y) => y.key - x.key)
    .slice(0, count)
    .map((x) => x.pair);
}

/**
 * Asks a simulated labeler to judge each pair; the labels get ids firstId, firstId + 1, ... With
 * `marksPerResponse` > 0 it also marks up to that many words of each response that its score
 * turns on (marks.ts); marking draws nothing from `rng`, so the verdicts stay the same.
 */
export function labelPairs(
  pairs: PairRequest[],
  labeler: Labeler,
  rng: Rng,
  firstId: number,
  marksPerResponse = 0,
): Comparison[] {
  return pairs.map((p, i) => {
    const c: Comparison = {
      id: firstId + i,
      prompt: p.prompt,
      a: p.a,
      b: p.b,
      choice: labeler.compare(p.prompt, p.a, p.b, rng).choice,
      labeler: labeler.id,
      aEnded: p.aEnded,
      bEnded: p.bEnded,
    };
    if (marksPerResponse === 0) return c;
    const marks = markComparison(labeler, c, marksPerResponse);
    return marks.length === 0 ? c : { ...c, marks };
  });
}

/** Labels with some of them flipped on purpose, beside the labeler's own verdicts. */
export interface Labelled {
  given: Comparison[];
  /** The labeler's own verdicts on the same pairs (before flipping). */
  truth: Comparison[];
  flipped: number;
}

/** Labels `count` pairs from `policy`; flips a `fraction` of the decided ones (a <-> b). */
export async function labelAndFlip(
  policy: GPT,
  ctx: { codec: TextCodec; prompts: string[]; labeler: Labeler },
  count: number,
  fraction: number,
  sampling: { maxNewTokens: number; temperature: number },
  rng: Rng,
  firstId: number,
): Promise<Labelled> {
  const asked = await samplePairs(policy, ctx.codec, ctx.prompts, count, null, { ...sampling, candidates: 1 }, rng);
  const truth = labelPairs(asked, ctx.labeler, rng, firstId);
  const decided = [...truth.keys()].filter((i) => truth[i].choice !== 'tie');
  const flip = new Set(rng.shuffle(decided).slice(0, Math.round(fraction * decided.length)));
  const swap = (c: Comparison['choice']): Comparison['choice'] => (c === 'a' ? 'b' : 'a');
  const given = truth.map((c, i) => (flip.has(i) ? { ...c, choice: swap(c.choice) } : c));
  return { given, truth, flipped: given.filter((c, i) => c.choice !== truth[i].choice).length };
}
