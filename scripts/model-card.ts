/**
 * npm run model-card -- --run DIR --corpus FILE --id ID --title TITLE [--alternative]
 *
 * Ships a finished pretraining run: copies DIR/model.safetensors and DIR/tokenizer.json into
 * public/models/ID/, writes the held-out split of the corpus there as heldout.txt (the text the
 * alignment tax is measured on), writes the model card README.md from DIR/report.json,
 * DIR/baseline.json and DIR/samples.json (so every figure in the card is the run's own), and
 * registers the model in public/models/manifest.json as the default (with --alternative: listed
 * beside the default, which stays). When DIR/evaluation.json is there (written by
 * `npm run evaluate-lm -- --checkpoint DIR/model.safetensors --json DIR/evaluation.json`), the card
 * also gives the sliding-window loss and the losses per byte. The card's text is
 * scripts/lib/model-card-text.ts; a hand-written `## Notes` section at the end of the card already
 * there is kept.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_SEPARATOR, holdOut, splitDocuments } from '../src/engine/train/corpus';
import type { BaselineReport } from '../src/engine/eval/ngram';
import { fail, parseFlags, runMain } from './lib/cli';
import { exists, readJson, writeAtomic } from './lib/files';
import { cardText, handWrittenNotes, type PretrainReport } from './lib/model-card-text';
import { MODELS_DIR, type LmEvaluation } from './lib/models';
import type { SampleSet } from './lib/samples';

const USAGE = 'npm run model-card -- --run DIR --corpus FILE --id ID --title TITLE [--alternative]';

/** The run's evaluation.json, or null; refused when its figures are not this run's. */
function evaluation(run: string, r: PretrainReport): LmEvaluation | null {
  const path = join(run, 'evaluation.json');
  if (!exists(path)) return null;
  const e = readJson(path) as LmEvaluation;
  for (const key of [
    'validationTokens',
    'validationBytes',
    'baseline',
    'windowed',
    'sliding',
    'stride',
    'windowedPerByte',
    'baselinePerByte',
  ] as const) {
    if (typeof e[key] !== 'number' || !Number.isFinite(e[key]))
      fail({ code: 'EVALUATION_FIELD', params: { path, field: key } });
  }
  if (e.validationTokens !== r.validationTokens || Math.abs(e.windowed - r.valLoss) > 1e-3) {
    fail({
      code: 'EVALUATION_OTHER_RUN',
      params: {
        path,
        tokens: e.validationTokens,
        loss: e.windowed,
        runTokens: r.validationTokens,
        runLoss: r.valLoss,
        checkpoint: join(run, 'model.safetensors'),
      },
    });
  }
  return e;
}

function mb(path: string): string {
  return (statSync(path).size / 1e6).toFixed(2);
}

async function main(): Promise<void> {
  const f = parseFlags(
    {
      run: { type: 'string' },
      corpus: { type: 'string' },
      id: { type: 'string' },
      title: { type: 'string' },
      alternative: { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (!f.run || !f.corpus || !f.id || !f.title)
    fail({ code: 'CLI_REQUIRED', params: { flags: ['--run', '--corpus', '--id', '--title'], usage: USAGE } });
  for (const name of ['model.safetensors', 'tokenizer.json', 'report.json', 'baseline.json', 'samples.json']) {
    if (!exists(join(f.run, name))) fail({ code: 'CLI_MISSING', params: { path: join(f.run, name), what: 'runFile' } });
  }
  // Checked before anything is written, so a bad file leaves public/models as it was.
  const report = readJson(join(f.run, 'report.json')) as PretrainReport;
  const checked = evaluation(f.run, report);
  const dir = join(MODELS_DIR, f.id);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(f.run, 'model.safetensors'), join(dir, 'model.safetensors'));
  copyFileSync(join(f.run, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const split = holdOut(splitDocuments(readFileSync(f.corpus, 'utf8'), f.corpus), f.corpus);
  writeAtomic(join(dir, 'heldout.txt'), split.validation.join(`\n${DOC_SEPARATOR}\n`) + '\n');
  const sizes = { weights: mb(join(dir, 'model.safetensors')), tokenizer: mb(join(dir, 'tokenizer.json')) };
  const cardPath = join(dir, 'README.md');
  const text = cardText(
    {
      id: f.id,
      title: f.title,
      isDefault: !f.alternative,
      report,
      baseline: readJson(join(f.run, 'baseline.json')) as BaselineReport,
      evaluation: checked,
      samples: readJson(join(f.run, 'samples.json')) as SampleSet,
      sizes,
      docs: { train: split.train.length, validation: split.validation.length },
    },
    handWrittenNotes(exists(cardPath) ? readFileSync(cardPath, 'utf8') : null),
  );
  writeAtomic(cardPath, text);
  const entry = {
    id: f.id,
    title: f.title,
    checkpoint: `${f.id}/model.safetensors`,
    tokenizer: `${f.id}/tokenizer.json`,
    card: `${f.id}/README.md`,
  };
  const manifestPath = join(MODELS_DIR, 'manifest.json');
  const manifest = exists(manifestPath)
    ? (readJson(manifestPath) as { default: string; models: (typeof entry)[] })
    : { default: f.id, models: [] };
  manifest.models = [...manifest.models.filter((m) => m.id !== f.id), entry];
  if (!f.alternative || !manifest.models.some((m) => m.id === manifest.default)) manifest.default = f.id;
  writeAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  process.stdout.write(`shipped ${f.id} to ${dir} (weights ${sizes.weights} MB, tokenizer ${sizes.tokenizer} MB)\n`);
}

runMain(main);
