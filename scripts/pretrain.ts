/**
 * npm run pretrain -- --corpus FILE --preset NAME --out DIR [--vocab N] [--steps N] [--seed S] ...
 *
 * Trains (or reuses) a tokenizer, computes the n-gram baseline, then pretrains a GPT on the
 * corpus, holding out the last 10% of documents. Progress goes to stdout; the run state is saved
 * every --save-every steps and on Ctrl+C or SIGTERM, and the same command resumes it. Outputs in DIR:
 * tokenizer.json, baseline.json, train-state.safetensors, model.safetensors, report.json.
 */
import { cpus } from 'node:os';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_VOCAB_SIZE, MIN_VOCAB_SIZE, Tokenizer } from '../src/engine/tokenizer/tokenizer';
import { GPT } from '../src/engine/model/gpt';
import { GPT_PRESETS, parseGPTConfig, type GPTPresetName } from '../src/engine/model/config';
import { saveCheckpoint } from '../src/engine/checkpoint/checkpoint';
import { ngramBaseline, type BaselineReport } from '../src/engine/eval/ngram';
import { holdOut, prepareCorpus, splitDocuments, type PreparedCorpus } from '../src/engine/train/corpus';
import {
  DEFAULT_AVERAGE_EVERY,
  DEFAULT_PRETRAIN,
  Pretrainer,
  averagingOf,
  type PretrainConfig,
} from '../src/engine/train/pretrain';
import { DEFAULT_ADAMW } from '../src/engine/train/optimizer';
import { exists, readBytes, readJson, writeAtomic } from './lib/files';
import { fail, numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { writeSamples } from './lib/samples';
import type { AveragingReport } from './lib/models';

const USAGE =
  'npm run pretrain -- --corpus FILE --preset tiny|small|base|large --out DIR [--vocab N] [--layers N] [--heads N] [--width N] [--context N] [--steps N] [--seed S] [--batch N] [--lr X] [--weight-decay W] [--dropout P] [--average-from STEP [--average-every N]] [--eval-every N] [--save-every N] [--name NAME]';

function options() {
  const f = parseFlags(
    {
      corpus: { type: 'string' },
      preset: { type: 'string' },
      out: { type: 'string' },
      vocab: { type: 'string' },
      layers: { type: 'string' },
      heads: { type: 'string' },
      width: { type: 'string' },
      context: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      'weight-decay': { type: 'string' },
      dropout: { type: 'string' },
      'eval-every': { type: 'string' },
      'save-every': { type: 'string' },
      name: { type: 'string' },
      'average-from': { type: 'string' },
      'average-every': { type: 'string' },
    },
    USAGE,
  );
  if (f.corpus === undefined || f.out === undefined || f.preset === undefined)
    fail({ code: 'CLI_REQUIRED', params: { flags: ['--corpus', '--preset', '--out'], usage: USAGE } });
  if (!(f.preset in GPT_PRESETS))
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--preset', choices: Object.keys(GPT_PRESETS), got: f.preset, note: null, usage: null },
    });
  const named = GPT_PRESETS[f.preset as GPTPresetName];
  // --layers/--heads/--width/--context reshape the preset; parseGPTConfig checks the result (heads divide width).
  const preset = parseGPTConfig(
    {
      ...named,
      nLayer: numberFlag(f.layers, 'layers', named.nLayer, 'positiveInteger'),
      nHead: numberFlag(f.heads, 'heads', named.nHead, 'positiveInteger'),
      nEmbd: numberFlag(f.width, 'width', named.nEmbd, 'positiveInteger'),
      blockSize: numberFlag(f.context, 'context', named.blockSize, 'positiveInteger'),
    },
    '--preset/--layers/--heads/--width/--context',
  );
  const pretrain: PretrainConfig = {
    ...DEFAULT_PRETRAIN,
    steps: numberFlag(f.steps, 'steps', DEFAULT_PRETRAIN.steps, 'positiveInteger'),
    seed: numberFlag(f.seed, 'seed', DEFAULT_PRETRAIN.seed, 'nonNegativeInteger'),
    batchSize: numberFlag(f.batch, 'batch', DEFAULT_PRETRAIN.batchSize, 'positiveInteger'),
    learningRate: numberFlag(f.lr, 'lr', DEFAULT_PRETRAIN.learningRate, 'positiveNumber'),
    dropout: numberFlag(f.dropout, 'dropout', 0, 'unitFromZero'),
  };
  if (f['average-every'] !== undefined && f['average-from'] === undefined)
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--average-every', needs: '--average-from' } });
  if (f['average-from'] !== undefined) {
    pretrain.averageFrom = numberFlag(f['average-from'], 'average-from', 0, {
      min: 1,
      max: pretrain.steps,
      integer: true,
    });
    pretrain.averageEvery = numberFlag(f['average-every'], 'average-every', DEFAULT_AVERAGE_EVERY, 'positiveInteger');
  }
  if (f['weight-decay'] !== undefined)
    pretrain.optimizer = {
      ...pretrain.optimizer,
      weightDecay: numberFlag(f['weight-decay'], 'weight-decay', DEFAULT_ADAMW.weightDecay, 'nonNegativeNumber'),
    };
  pretrain.warmupSteps = Math.min(pretrain.warmupSteps, Math.max(1, Math.floor(pretrain.steps / 10)));
  return {
    corpus: f.corpus,
    out: f.out,
    presetName: f.preset,
    preset,
    pretrain,
    name: f.name ?? `${f.preset}-pretrained`,
    vocab: numberFlag(f.vocab, 'vocab', preset.vocabSize, { min: MIN_VOCAB_SIZE, max: MAX_VOCAB_SIZE, integer: true }),
    evalEvery: numberFlag(f['eval-every'], 'eval-every', 100, 'positiveInteger'),
    saveEvery: numberFlag(f['save-every'], 'save-every', 100, 'positiveInteger'),
  };
}

type Options = ReturnType<typeof options>;

/** Reuses DIR/tokenizer.json when present (so a resumed run keeps its ids), else trains one. */
function tokenizerFor(o: Options, trainDocs: string[]): Tokenizer {
  const path = join(o.out, 'tokenizer.json');
  if (exists(path)) return Tokenizer.fromJSON(readJson(path));
  process.stdout.write(`training a ${o.vocab}-token byte-level BPE tokenizer on ${trainDocs.length} documents...\n`);
  const tokenizer = Tokenizer.train(trainDocs, { vocabSize: o.vocab });
  writeAtomic(path, JSON.stringify(tokenizer.toJSON()));
  return tokenizer;
}

function baselineFor(o: Options, data: PreparedCorpus, tokenizer: Tokenizer): BaselineReport {
  const path = join(o.out, 'baseline.json');
  if (exists(path)) return readJson(path) as BaselineReport;
  const report = ngramBaseline(data.trainDocs, data.validationDocs, tokenizer.vocabSize, tokenizer.eosId);
  writeAtomic(path, JSON.stringify(report, null, 2));
  return report;
}

function startOrResume(
  o: Options,
  data: PreparedCorpus,
  vocabSize: number,
): { trainer: Pretrainer; elapsed: number; history: LoopResult['history'] } {
  const statePath = join(o.out, 'train-state.safetensors');
  if (exists(statePath)) {
    // Weight averaging may be added (or moved) on resume, as long as it has not started yet.
    const averaging =
      o.pretrain.averageFrom === undefined
        ? undefined
        : { averageFrom: o.pretrain.averageFrom, averageEvery: o.pretrain.averageEvery };
    const { trainer, info } = Pretrainer.restore(readBytes(statePath), data, statePath, averaging);
    process.stdout.write(`resuming from ${statePath} at step ${trainer.step}\n`);
    return {
      trainer,
      elapsed: Number(info.elapsedSeconds ?? 0),
      history: (info.history ?? []) as LoopResult['history'],
    };
  }
  const model = new GPT({ ...o.preset, vocabSize }, o.pretrain.seed);
  return { trainer: new Pretrainer(model, data, o.pretrain), elapsed: 0, history: [] };
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

async function main(): Promise<void> {
  const o = options();
  await useWasm();
  mkdirSync(o.out, { recursive: true });
  const split = holdOut(splitDocuments(readFileSync(o.corpus, 'utf8'), o.corpus), o.corpus);
  const tokenizer = tokenizerFor(o, split.train);
  const data = prepareCorpus(split, (t) => tokenizer.encode(t), tokenizer.eosId, o.preset.blockSize);
  process.stdout.write(
    `corpus: ${split.train.length} training documents (${data.train.length} tokens), ${split.validation.length} held out (${data.validation.length} tokens)\n`,
  );
  const baseline = baselineFor(o, data, tokenizer);
  process.stdout.write(
    `best n-gram baseline: ${baseline.best.valNatsPerToken.toFixed(4)} nats/token (${baseline.best.name})\n`,
  );
  const { trainer, elapsed, history } = startOrResume(o, data, tokenizer.vocabSize);
  process.stdout.write(
    `model: ${o.presetName} (${o.preset.nLayer} layers x ${o.preset.nEmbd} wide, ${o.preset.nHead} heads), ${trainer.model.paramCount().toLocaleString('en')} parameters; ${trainer.config.steps} steps of ${trainer.config.batchSize}x${o.preset.blockSize} tokens\n`,
  );
  const result = await trainLoop(o, trainer, elapsed, history);
  if (result.interrupted) {
    process.stdout.write(
      `saved at step ${trainer.step} in ${join(o.out, 'train-state.safetensors')}; run the same command to resume\n`,
    );
    return;
  }
  await finish(o, trainer, tokenizer, baseline, data, result);
}

interface LoopResult {
  interrupted: boolean;
  valLoss: number;
  history: { step: number; trainLoss: number; valLoss: number }[];
  seconds: number;
}

async function saveState(
  o: Options,
  trainer: Pretrainer,
  seconds: number,
  history: LoopResult['history'],
): Promise<void> {
  writeAtomic(join(o.out, 'train-state.safetensors'), await trainer.saveState({ elapsedSeconds: seconds, history }));
}

async function trainLoop(
  o: Options,
  trainer: Pretrainer,
  elapsedBefore: number,
  history: LoopResult['history'],
): Promise<LoopResult> {
  let stop = false;
  const onSignal = () => {
    stop = true;
    process.stdout.write('\nstopping after this step; saving state so the same command resumes...\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const startedAt = performance.now();
  const seconds = () => elapsedBefore + (performance.now() - startedAt) / 1000;
  const tokensPerStep = trainer.config.batchSize * trainer.model.config.blockSize;
  const startStep = trainer.step;
  let valLoss = NaN;
  let smoothed = NaN;
  while (trainer.step < trainer.config.steps && !stop) {
    // A step on WASM awaits only settled promises, so without this the event loop never turns and
    // Ctrl+C (SIGINT) or SIGTERM would not be seen until the run ended.
    await new Promise((resolve) => setImmediate(resolve));
    const r = await trainer.trainStep();
    smoothed = Number.isNaN(smoothed) ? r.loss : 0.9 * smoothed + 0.1 * r.loss;
    if (r.skipped) process.stdout.write(`step ${r.step}: non-finite gradient, update skipped\n`);
    const last = trainer.step === trainer.config.steps;
    if (trainer.step % o.evalEvery === 0 || last) {
      valLoss = await trainer.validationLoss();
      history.push({ step: trainer.step, trainLoss: smoothed, valLoss });
    }
    if (trainer.step % 10 === 0 || last) {
      const rate = ((trainer.step - startStep) * tokensPerStep) / ((performance.now() - startedAt) / 1000);
      const eta = ((trainer.config.steps - trainer.step) * tokensPerStep) / rate;
      process.stdout.write(
        `step ${trainer.step}/${trainer.config.steps}  train ${smoothed.toFixed(4)}  val ${Number.isNaN(valLoss) ? '-' : valLoss.toFixed(4)}  lr ${r.learningRate.toExponential(2)}  ${Math.round(rate)} tok/s  ETA ${formatDuration(eta)}\n`,
      );
    }
    if (trainer.step % o.saveEvery === 0 || stop || last) await saveState(o, trainer, seconds(), history);
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return { interrupted: stop && trainer.step < trainer.config.steps, valLoss, history, seconds: seconds() };
}

/**
 * The model to ship: the weight average when the run kept one (its validation loss measured the
 * same way as every other), else the weights after the last step.
 */
async function shippedModel(
  trainer: Pretrainer,
  lastValLoss: number,
): Promise<{ model: GPT; valLoss: number; averaging?: AveragingReport }> {
  const averaged = trainer.averagedModel();
  if (averaged === null) return { model: trainer.model, valLoss: lastValLoss };
  const valLoss = await trainer.validationLoss(averaged);
  const averaging = {
    ...averagingOf(trainer.config),
    snapshots: trainer.averagedSnapshots,
    lastStepValLoss: lastValLoss,
  };
  process.stdout.write(
    `weight average of ${averaging.snapshots} snapshots (steps ${averaging.from}..${trainer.step} every ${averaging.every}): validation ${valLoss.toFixed(4)}, last step alone ${lastValLoss.toFixed(4)}\n`,
  );
  return { model: averaged, valLoss, averaging };
}

async function finish(
  o: Options,
  trainer: Pretrainer,
  tokenizer: Tokenizer,
  baseline: BaselineReport,
  data: PreparedCorpus,
  r: LoopResult,
): Promise<void> {
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, tfjs WASM backend`;
  const tokensSeen = trainer.step * trainer.config.batchSize * trainer.model.config.blockSize;
  const command = `npm run pretrain -- ${process.argv.slice(2).join(' ')}`;
  const shipped = await shippedModel(trainer, r.valLoss);
  const info = {
    steps: trainer.step,
    tokensSeen,
    valLoss: shipped.valLoss,
    baseline: baseline.best,
    trainingSeconds: r.seconds,
    machine,
    command,
    pretrain: trainer.config,
    ...(shipped.averaging && { averaging: shipped.averaging }),
  };
  writeAtomic(
    join(o.out, 'model.safetensors'),
    await saveCheckpoint(shipped.model, { name: o.name, tokenizerFingerprint: tokenizer.fingerprint(), info }),
  );
  const samples = await writeSamples(shipped.model, tokenizer, join(o.out, 'samples.json'));
  const improvement = 1 - shipped.valLoss / baseline.best.valNatsPerToken;
  const report = {
    ...info,
    parameters: trainer.model.paramCount(),
    config: trainer.model.config,
    trainTokens: data.train.length,
    validationTokens: data.validation.length,
    improvementOverBaseline: improvement,
    distinct2: samples.distinct2,
    history: r.history,
  };
  writeAtomic(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
  if (shipped.model !== trainer.model) shipped.model.dispose();
  process.stdout.write(
    `done: validation ${shipped.valLoss.toFixed(4)} nats/token${shipped.averaging ? ' (weight average)' : ''} vs n-gram ${baseline.best.valNatsPerToken.toFixed(4)} (${(improvement * 100).toFixed(1)}% lower); distinct-2 ${samples.distinct2.toFixed(3)}; ${formatDuration(r.seconds)}\n`,
  );
}

runMain(main);
