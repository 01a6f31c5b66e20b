/** One `generate` request: the continuation of a prompt, with a progress event per token. */
import { generateText, promptIds, type GPT, type Tokenizer } from '../engine';
import { WorkerFailure } from './failure';
import type { GenerationResult, Request, WorkerEvent } from '../contract/protocol';
import { toGenerateOptions } from '../contract/generation-settings';

export interface GenerationHooks {
  signal: AbortSignal;
  post: (event: WorkerEvent) => void;
}

/** Continues the request's prompt with `model`; a cancel stops it between tokens. */
export async function runGeneration(
  model: GPT,
  tokenizer: Tokenizer,
  request: Extract<Request, { type: 'generate' }>,
  hooks: GenerationHooks,
): Promise<WorkerEvent> {
  const { signal, post } = hooks;
  const started = performance.now();
  const promptTokens = promptIds(tokenizer, request.prompt).length;
  // Generation also stops when the context is full, so the bar's end is the smaller of the two.
  const total = Math.max(1, Math.min(request.settings.maxNewTokens, model.config.blockSize - promptTokens));
  const onStep = async (step: number): Promise<void> => {
    post({ type: 'progress', id: request.id, phase: 'generate', loaded: step, total });
    // A macrotask turn lets a cancel message in even on WASM/CPU, where each step is synchronous.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Throwing here is how a cancel stops the loop between tokens; generation frees its cache.
    if (signal.aborted) throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'generate' } });
  };
  const options = { ...toGenerateOptions(request.settings), onStep };
  const output = await generateText(model, tokenizer, request.prompt, options);
  const generation: GenerationResult = {
    prompt: request.prompt,
    text: output.text,
    tokens: output.tokens,
    logProbs: output.logProbs,
    finishReason: output.finishReason,
    promptTokens,
    elapsedMs: performance.now() - started,
    settings: request.settings,
  };
  return { type: 'result', id: request.id, result: { kind: 'generation', generation } };
}
