/**
 * npm run generate -- --prompt "Once upon a time" [--greedy] [--temperature T] [--top-k K]
 *   [--top-p P] [--max-new-tokens N] [--seed S] [--checkpoint PATH] [--tokenizer PATH]
 *
 * Prints the prompt and its continuation, using the same engine as the app, on WASM.
 */
import { generateText } from '../src/engine/generate/text';
import { numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { loadModel } from './lib/models';

const USAGE =
  'npm run generate -- --prompt TEXT [--greedy] [--temperature T] [--top-k K] [--top-p P] [--max-new-tokens N] [--seed S] [--checkpoint PATH] [--tokenizer PATH]';

async function main(): Promise<void> {
  const f = parseFlags(
    {
      prompt: { type: 'string', default: '' },
      greedy: { type: 'boolean', default: false },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'max-new-tokens': { type: 'string' },
      seed: { type: 'string' },
      checkpoint: { type: 'string' },
      tokenizer: { type: 'string' },
    },
    USAGE,
  );
  await useWasm();
  const { model, tokenizer, metadata } = loadModel(f.checkpoint, f.tokenizer);
  const options = {
    greedy: f.greedy,
    temperature: numberFlag(f.temperature, 'temperature', 1, 'positiveNumber'),
    topK: numberFlag(f['top-k'], 'top-k', 0, 'nonNegativeInteger'),
    topP: numberFlag(f['top-p'], 'top-p', 1, 'unitUpToOne'),
    maxNewTokens: numberFlag(f['max-new-tokens'], 'max-new-tokens', 60, 'positiveInteger'),
    seed: numberFlag(f.seed, 'seed', 0, 'nonNegativeInteger'),
  };
  const started = performance.now();
  const out = await generateText(model, tokenizer, f.prompt ?? '', options);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${f.prompt}${out.text}\n`);
  process.stderr.write(
    `[${metadata.name}: ${out.tokens.length} tokens in ${seconds.toFixed(2)} s, stopped by ${out.finishReason === 'eos' ? 'end-of-text' : 'the token limit'}]\n`,
  );
  model.dispose();
}

runMain(main);
