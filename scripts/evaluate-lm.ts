/**
 * npm run evaluate-lm -- --corpus FILE [--checkpoint PATH] [--stride N]
 *
 * The language-model figures of a checkpoint on the held-out 10% of a corpus (the same split
 * pretraining holds out), beside the best n-gram baseline fitted on the other 90%:
 *   - windowed: non-overlapping windows of the context length (what pretraining reports);
 *   - sliding: windows every --stride tokens (default half the context), scoring only the new
 *     tokens, so each is predicted with at least context - stride tokens before it.
 */
import { readFileSync } from 'node:fs';
import { ngramBaseline } from '../src/engine/eval/ngram';
import { holdOut, prepareCorpus, splitDocuments } from '../src/engine/train/corpus';
import { slidingStreamLoss, streamLoss } from '../src/engine/train/pretrain';
import { fail, numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { loadModel } from './lib/models';

const USAGE = 'npm run evaluate-lm -- --corpus FILE [--checkpoint PATH] [--stride N]';

async function main(): Promise<void> {
  const f = parseFlags({ corpus: { type: 'string' }, checkpoint: { type: 'string' }, stride: { type: 'string' } }, USAGE);
  if (f.corpus === undefined) fail(`--corpus is required\nusage: ${USAGE}`);
  await useWasm();
  const { model, tokenizer, metadata } = loadModel(f.checkpoint);
  const stride = numberFlag(f.stride, 'stride', model.config.blockSize / 2, (n) => Number.isInteger(n) && n > 0 && n <= model.config.blockSize, `an integer in [1, ${model.config.blockSize}]`);
  const split = holdOut(splitDocuments(readFileSync(f.corpus, 'utf8'), f.corpus), f.corpus);
  const data = prepareCorpus(split, (t) => tokenizer.encode(t), tokenizer.eosId, model.config.blockSize);
  const baseline = ngramBaseline(data.trainDocs, data.validationDocs, tokenizer.vocabSize, tokenizer.eosId).best;
  const windowed = await streamLoss(model, data.validation, 16);
  const sliding = await slidingStreamLoss(model, data.validation, stride);
  const pct = (x: number) => `${((1 - x / baseline.valNatsPerToken) * 100).toFixed(1)}% below the baseline`;
  const result = { model: metadata.name, validationTokens: data.validation.length, baseline: baseline.valNatsPerToken, baselineName: baseline.name, windowed, sliding, stride };
  process.stdout.write(`${metadata.name} on ${data.validation.length} held-out tokens (nats/token):\n`);
  process.stdout.write(`  best n-gram baseline   ${baseline.valNatsPerToken.toFixed(4)}  (${baseline.name})\n`);
  process.stdout.write(`  windowed (context 0-${model.config.blockSize - 1})  ${windowed.toFixed(4)}  ${pct(windowed)}\n`);
  process.stdout.write(`  sliding (context >= ${model.config.blockSize - stride})  ${sliding.toFixed(4)}  ${pct(sliding)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  model.dispose();
}

runMain(main);
