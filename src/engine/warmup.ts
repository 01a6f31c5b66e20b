/**
 * Shader warm-up. On WebGPU (and WebGL) every kernel is compiled the first time it runs, which
 * makes the first generation or training step seconds slower than the rest. Running one tiny
 * generation and one forward/backward pass right after a model loads pays that cost up front, so
 * the first timed work (a generation's tokens per second, a tuning iteration) measures the model,
 * not the compiler. On WASM and CPU it is cheap and harmless.
 */
import * as tf from '@tensorflow/tfjs';
import { generate } from './generate/generate';
import type { GPT } from './model/gpt';
import { maskedCrossEntropy } from './model/losses';
import { lossAndGrads } from './train/optimizer';

/** Tokens in the warm-up's training window: enough to use every kernel, few enough to be quick. */
const WARMUP_TOKENS = 4;
/** New tokens in the warm-up's generation: the first runs the prompt, the second the KV cache. */
const WARMUP_NEW_TOKENS = 2;

/**
 * Runs one greedy generation of two tokens and one forward/backward pass of the next-token loss
 * on a [1, 4] window, then waits for the results, so every shader they use is compiled. Changes
 * no weights and leaves no tensors behind. Resolves with the time it took in milliseconds.
 */
export async function warmUp(model: GPT): Promise<number> {
  const started = performance.now();
  const T = Math.max(1, Math.min(WARMUP_TOKENS, model.config.blockSize - WARMUP_NEW_TOKENS));
  const ids = Array.from({ length: T + 1 }, (_, i) => i % model.config.vocabSize);
  await generate(model, [ids.slice(0, T)], { maxNewTokens: WARMUP_NEW_TOKENS, greedy: true });
  const x = tf.tensor2d([ids.slice(0, T)], [1, T], 'int32'); // [1, T]
  const y = tf.tensor2d([ids.slice(1)], [1, T], 'int32'); // [1, T]
  const { loss, grads } = lossAndGrads(model.params, () => maskedCrossEntropy(model.logits(x), y));
  // The gradients were queued before the loss is read, so reading it waits for all of them.
  await loss.data();
  tf.dispose([x, y, loss, ...grads.values()]);
  return performance.now() - started;
}
