// Which pair the labeler is asked, when several candidates are drawn per label: the one the
// reward-model ensemble is least sure of ('uncertain', active learning), or the one whose two
// responses it tells apart most ('contrast'). The reward model is a stand-in that records the
// candidates it saw, so the choice is checked against every candidate, not against a guess.
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { samplePairs } from '../../src/engine/loop/labeling';
import type { RewardModel } from '../../src/engine/rl/reward-model';
import { Rng } from '../../src/engine/rng';
import { tensorsLeaked } from '../helpers/tensors';
import { charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const prompts = ['the ', 'a ', 'my cat ', 'so '];

interface Seen {
  pA: number;
  uncertainty: number;
}

/** A reward model whose answers are a fixed function of the token ids, recording what it was asked. */
function standIn(seen: Seen[]): RewardModel {
  const sum = (ids: number[]) => ids.reduce((a, t, i) => a + t * (i + 1), 0);
  return {
    config: { ensembleSize: 3 },
    comparePairs: async (ps: number[][], a: number[][], b: number[][]) => {
      const out = ps.map((p, i) => ({
        pA: ((sum(p) + 3 * sum(a[i])) % 97) / 96,
        uncertainty: ((sum(a[i]) + 7 * sum(b[i])) % 89) / 88,
      }));
      seen.push(...out);
      return { pA: out.map((o) => o.pA), uncertainty: out.map((o) => o.uncertainty) };
    },
  } as unknown as RewardModel;
}

async function pick(select: 'uncertain' | 'contrast' | undefined) {
  const policy = new GPT(config, 5);
  const seen: Seen[] = [];
  const pairs = await samplePairs(
    policy,
    charCodec,
    prompts,
    3,
    standIn(seen),
    { maxNewTokens: 6, temperature: 1, candidates: 4, ...(select ? { select } : {}) },
    new Rng(9),
  );
  policy.dispose();
  return { pairs, seen };
}

describe('samplePairs with candidates', () => {
  it('asks the candidates the ensemble disagrees on most by default (active learning)', async () => {
    const { pairs, seen } = await pick(undefined);
    expect(seen).toHaveLength(12);
    const top = seen
      .map((s) => s.uncertainty)
      .sort((x, y) => y - x)
      .slice(0, 3);
    expect(pairs.map((p) => p.uncertainty)).toEqual(top);
    expect(pairs[0].reason).toMatchObject({ kind: 'uncertain', spread: top[0], candidates: 4 });
  });

  it("'contrast' asks the candidates whose responses the ensemble mean tells apart most", async () => {
    const { pairs, seen } = await pick('contrast');
    expect(seen).toHaveLength(12);
    const byContrast = [...seen].sort((x, y) => Math.abs(y.pA - 0.5) - Math.abs(x.pA - 0.5)).slice(0, 3);
    expect(pairs.map((p) => p.uncertainty)).toEqual(byContrast.map((s) => s.uncertainty));
    expect(pairs[0].reason).toEqual({ kind: 'contrast', pA: byContrast[0].pA, candidates: 4 });
    // a different rule than the default picks, on these candidates, a different set
    const byUncertainty = [...seen].sort((x, y) => y.uncertainty - x.uncertainty).slice(0, 3);
    expect(byContrast).not.toEqual(byUncertainty);
  });

  it('draws the same candidates whatever the rule, and leaks no tensors', async () => {
    const leaked = await tensorsLeaked(async () => {
      const a = await pick('uncertain');
      const b = await pick('contrast');
      expect(a.seen).toEqual(b.seen);
    });
    expect(leaked).toBe(0);
  });
});
