/**
 * npm run evaluate-lm -- --corpus FILE [--checkpoint PATH [--tokenizer PATH]] [--stride N] [--json OUT]
 *
 * The language-model figures of a checkpoint on the held-out 10% of a corpus (the same split
 * pretraining holds out), beside the best n-gram baseline fitted on the other 90%:
 *   - windowed: non-overlapping windows of the context length (what pretraining reports);
 *   - sliding: windows every --stride tokens (default half the context), scoring only the new
 *     tokens, so each is predicted with at least context - stride tokens before it.
 * Each also per UTF-8 byte of the held-out text, which compares models with different vocabularies.
 * --json OUT also writes the figures to OUT; `npm run model-card` puts RUN/evaluation.json in the card.
 */
import { readFileSync } from 'node:fs';
import { ngramBaseline } from '../src/engine/eval/ngram';
import { holdOut, prepareCorpus, splitDocuments } from '../src/engine/train/corpus';
import { slidingStreamLoss, streamLoss } from '../src/engine/train/pretrain';
import { fail, numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { writeAtomic } from './lib/files';
import { loadModel, type LmEvaluation } from './lib/models';

const USAGE = 'npm run evaluate-lm -- --corpus FILE [--checkpoint PATH [--tokenizer PATH]] [--stride N] [--json OUT]';

async function main(): Promise<void> {
  const f = parseFlags(
    {
      corpus: { type: 'string' },
      checkpoint: { type: 'string' },
      tokenizer: { type: 'string' },
      stride: { type: 'string' },
      json: { type: 'string' },
    },
    USAGE,
  );
  if (f.corpus === undefined) fail({ code: 'CLI_REQUIRED', params: { flags: ['--corpus'], usage: USAGE } });
  await useWasm();
  // A tuned policy saved by `npm run rlhf` has no tokenizer.json beside it: --tokenizer names the model's.
  const { model, tokenizer, metadata } = loadModel(f.checkpoint, f.tokenizer);
  const stride = numberFlag(f.stride, 'stride', model.config.blockSize / 2, {
    min: 1,
    max: model.config.blockSize,
    integer: true,
  });
  const split = holdOut(splitDocuments(readFileSync(f.corpus, 'utf8'), f.corpus), f.corpus);
  const data = prepareCorpus(split, (t) => tokenizer.encode(t), tokenizer.eosId, model.config.blockSize);
  const baseline = ngramBaseline(data.trainDocs, data.validationDocs, tokenizer.vocabSize, tokenizer.eosId).best;
  const windowed = await streamLoss(model, data.validation, 16);
  const sliding = await slidingStreamLoss(model, data.validation, stride);
  const pct = (x: number) => `${((1 - x / baseline.valNatsPerToken) * 100).toFixed(1)}% below the baseline`;
  // Per UTF-8 byte of the held-out stories (the end-of-text tokens' loss included, their bytes not):
  // a figure that does not depend on the vocabulary, so models with different tokenizers compare.
  const bytes = split.validation.reduce((n, doc) => n + Buffer.byteLength(doc, 'utf8'), 0);
  const perByte = (natsPerToken: number) => (natsPerToken * data.validation.length) / bytes;
  const result: LmEvaluation = {
    model: metadata.name,
    validationTokens: data.validation.length,
    validationBytes: bytes,
    baseline: baseline.valNatsPerToken,
    baselineName: baseline.name,
    windowed,
    sliding,
    stride,
    windowedPerByte: perByte(windowed),
    baselinePerByte: perByte(baseline.valNatsPerToken),
  };
  const row = (label: string, x: number, extra = '') =>
    process.stdout.write(`  ${label.padEnd(28)} ${x.toFixed(4)}  ${perByte(x).toFixed(4)}  ${extra}\n`);
  process.stdout.write(
    `${metadata.name} on ${data.validation.length} held-out tokens, ${bytes} bytes (nats/token, nats/byte):\n`,
  );
  row('best n-gram baseline', baseline.valNatsPerToken, `(${baseline.name})`);
  row(`windowed (context 0-${model.config.blockSize - 1})`, windowed, pct(windowed));
  row(`sliding (context >= ${model.config.blockSize - stride})`, sliding, pct(sliding));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (f.json !== undefined) writeAtomic(f.json, JSON.stringify(result, null, 2) + '\n');
  model.dispose();
}

runMain(main);
