/**
 * Generation from text to text: encode prompts, generate, decode. An empty prompt starts from
 * end-of-text, which is how every training document begins from the model's point of view.
 */
import type { GPT } from '../model/gpt';
import { generate, type GenerateOptions, type Generation } from './generate';

/** What text generation needs from a tokenizer. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  readonly eosId: number;
}

export interface TextGeneration extends Generation {
  /** The continuation as text, without the end-of-text token. */
  text: string;
}

/** The prompt's ids; an empty prompt becomes [eos]: the model starts a new story. */
export function promptIds(codec: TextCodec, prompt: string): number[] {
  return prompt.length === 0 ? [codec.eosId] : codec.encode(prompt);
}

/** Continues each prompt; one batch, one seed. See `generate` for the options. */
export async function generateTexts(
  model: GPT,
  codec: TextCodec,
  prompts: string[],
  options: GenerateOptions,
): Promise<TextGeneration[]> {
  const gens = await generate(
    model,
    prompts.map((p) => promptIds(codec, p)),
    { eosId: codec.eosId, ...options },
  );
  return gens.map((g) => ({ ...g, text: codec.decode(g.tokens.filter((t) => t !== codec.eosId)) }));
}

/** Continues one prompt. */
export async function generateText(
  model: GPT,
  codec: TextCodec,
  prompt: string,
  options: GenerateOptions,
): Promise<TextGeneration> {
  const [g] = await generateTexts(model, codec, [prompt], options);
  return g;
}
