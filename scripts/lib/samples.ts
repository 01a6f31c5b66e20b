/** Samples for a model card: 20 continuations of the shipped story openings at temperature 0.8. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GPT } from '../../src/engine/model/gpt';
import { distinctN } from '../../src/engine/eval/distinct';
import { generateTexts, type TextCodec } from '../../src/engine/generate/text';
import { writeAtomic } from './files';

export const PROMPTS_PATH = fileURLToPath(new URL('../../public/prompts/story-openings.json', import.meta.url));

export interface SampleSet {
  temperature: number;
  seed: number;
  /** Token-level distinct-2 over all 20 continuations. */
  distinct2: number;
  samples: { prompt: string; text: string; finishReason: string }[];
}

export function storyOpenings(): { train: string[]; evaluation: string[] } {
  return JSON.parse(readFileSync(PROMPTS_PATH, 'utf8')) as { train: string[]; evaluation: string[] };
}

/**
 * Generates from the 12 evaluation openings plus the first 8 training ones (those that leave room
 * for a continuation in the model's context), and writes the set.
 */
export async function writeSamples(model: GPT, codec: TextCodec, path: string, seed = 1): Promise<SampleSet> {
  const { train, evaluation } = storyOpenings();
  const fits = (p: string) => codec.encode(p).length <= model.config.blockSize / 2;
  const prompts = [...evaluation, ...train].filter(fits).slice(0, 20);
  if (prompts.length === 0) return { temperature: 0.8, seed, distinct2: NaN, samples: [] };
  const gens = await generateTexts(model, codec, prompts, { maxNewTokens: 80, temperature: 0.8, seed });
  const set: SampleSet = {
    temperature: 0.8,
    seed,
    distinct2: distinctN(
      gens.map((g) => g.tokens),
      2,
    ),
    samples: gens.map((g, i) => ({ prompt: prompts[i], text: g.text, finishReason: g.finishReason })),
  };
  writeAtomic(path, JSON.stringify(set, null, 2));
  return set;
}
