import { generate } from '../../src/engine/generate/generate';
import type { GPT } from '../../src/engine/model/gpt';
import { CHAR_EOS, charCodec } from './char-codec';

/** The share of `letter` among `perPrompt` samples of each prompt (10 new tokens, temperature 1, seed 77). */
export async function letterFrequency(model: GPT, prompts: string[], letter: string, perPrompt = 8): Promise<number> {
  const gens = await generate(
    model,
    prompts.flatMap((p) => Array.from({ length: perPrompt }, () => charCodec.encode(p))),
    { maxNewTokens: 10, seed: 77, eosId: CHAR_EOS, temperature: 1 },
  );
  const tokens = gens.flatMap((g) => g.tokens);
  const id = charCodec.encode(letter)[0];
  return tokens.filter((t) => t === id).length / tokens.length;
}
