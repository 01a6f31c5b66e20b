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
export function promptIds(codec: Pick<TextCodec, 'encode' | 'eosId'>, prompt: string): number[] {
  return prompt.length === 0 ? [codec.eosId] : codec.encode(prompt);
}

/**
 * The ids a response is trained and scored on: its text's ids, then end-of-text when it ended.
 * For a sampled response these are the tokens generation produced, so a reward model trained on a
 * label reads its score where a rollout of the same response is scored (at the end-of-text token,
 * not at the last word, when the response ended).
 */
export function responseIds(codec: Pick<TextCodec, 'encode' | 'eosId'>, text: string, ended: boolean): number[] {
  const ids = codec.encode(text);
  return ended ? [...ids, codec.eosId] : ids;
}

/**
 * A generated response as its text reads: the ids of its decoded text, then end-of-text if it
 * ended. Usually the sampled tokens themselves; different only where the model sampled a spelling
 * the tokenizer would not write (" th" + "e" for " the"). A label keeps text, so reading every
 * response this way gives a rollout and the label of the same response the same ids.
 */
export function textTokens(codec: TextCodec, tokens: readonly number[]): number[] {
  const ended = tokens.at(-1) === codec.eosId;
  return responseIds(codec, codec.decode(ended ? tokens.slice(0, -1) : tokens), ended);
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
