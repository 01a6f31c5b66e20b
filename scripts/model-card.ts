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
 * also gives the sliding-window loss and the losses per byte.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_SEPARATOR, holdOut, splitDocuments } from '../src/engine/train/corpus';
import type { BaselineReport } from '../src/engine/eval/ngram';
import { fail, parseFlags, runMain } from './lib/cli';
import { exists, readJson, writeAtomic } from './lib/files';
import { MODELS_DIR, type AveragingReport, type LmEvaluation } from './lib/models';
import type { SampleSet } from './lib/samples';

const USAGE = 'npm run model-card -- --run DIR --corpus FILE --id ID --title TITLE [--alternative]';

interface Report {
  steps: number;
  tokensSeen: number;
  valLoss: number;
  trainingSeconds: number;
  machine: string;
  command: string;
  parameters: number;
  config: Record<string, number>;
  trainTokens: number;
  validationTokens: number;
  improvementOverBaseline: number;
  distinct2: number;
  pretrain: Record<string, unknown>;
  averaging?: AveragingReport;
}

function averagingSentence(r: Report): string {
  const a = r.averaging;
  if (a === undefined) return '';
  return `\nThe shipped weights are the mean of ${a.snapshots} snapshots, taken every ${a.every} steps from step ${a.from} to the end
(weight averaging, \`--average-from\`); the weights after the last step alone score ${a.lastStepValLoss.toFixed(4)} nats/token on validation.`;
}

/** The run's evaluation.json, or null; refused when its figures are not this run's. */
function evaluation(run: string, r: Report): LmEvaluation | null {
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
      fail(`${path}: "${key}" should be a number; write the file again with npm run evaluate-lm -- --json`);
  }
  if (e.validationTokens !== r.validationTokens || Math.abs(e.windowed - r.valLoss) > 1e-3) {
    fail(
      `${path} is not about this run's checkpoint and corpus (${e.validationTokens} held-out tokens at ${e.windowed.toFixed(4)} nats, the run: ${r.validationTokens} at ${r.valLoss.toFixed(4)}); write it again with npm run evaluate-lm -- --corpus FILE --checkpoint ${join(run, 'model.safetensors')} --json ${path}`,
    );
  }
  return e;
}

function slidingSection(e: LmEvaluation | null, r: Report, b: BaselineReport): string {
  if (e === null) return '';
  const below = (x: number) => `${((1 - x / b.best.valNatsPerToken) * 100).toFixed(1)}%`;
  const context = r.config.blockSize;
  return `
The figure above scores the held-out tokens in disjoint ${context}-token windows, so a token at the start of
a window is predicted with no context at all, while the n-grams always see the two tokens before it.
Scored with sliding windows instead (a window every ${e.stride} tokens, scoring only its last ${e.stride}, so every
token after the first window sees at least ${context - e.stride} tokens before it; the usual way to evaluate a fixed-context model):
**${e.sliding.toFixed(4)}** nats/token, ${below(e.sliding)} below the baseline.
Per UTF-8 byte of the held-out stories, which does not depend on the vocabulary: this model
${e.windowedPerByte.toFixed(4)} nats/byte (disjoint windows), the best n-gram ${e.baselinePerByte.toFixed(4)}.
`;
}

function mb(path: string): string {
  return (statSync(path).size / 1e6).toFixed(2);
}

function card(
  id: string,
  title: string,
  isDefault: boolean,
  r: Report,
  b: BaselineReport,
  e: LmEvaluation | null,
  s: SampleSet,
  sizes: { weights: string; tokenizer: string },
  docs: { train: number; validation: number },
): string {
  const c = r.config;
  const hours = r.trainingSeconds / 3600;
  const samples = s.samples
    .slice(0, 10)
    .map((x, i) => `${i + 1}. **${x.prompt}**${x.text}${x.finishReason === 'eos' ? '' : ' …'}`)
    .join('\n');
  const baselines = b.all.map((x) => `| ${x.name} | ${x.valNatsPerToken.toFixed(4)} |`).join('\n');
  return `# ${title} (\`${id}\`)

A ${(r.parameters / 1e6).toFixed(2)}M-parameter GPT-2-style model pretrained on a 1,088-story subset of
TinyStories, shipped with RLHF Playground ${isDefault ? 'as the default policy' : 'as an alternative to the default policy (choose it in the Model stage)'}. It writes simple English for a
sentence or two; it is a teaching model, not a useful one.

## Data and license
Trained on the first 1,088 stories of the training split of **TinyStories** (Ronen Eldan and Yuanzhi
Li, "TinyStories: How Small Can Language Models Be and Still Speak Coherent English?", 2023),
license **CDLA-Sharing-1.0**. The last 10% of the stories (${docs.validation} of ${docs.train + docs.validation}) were held out and
never trained on; they ship here as \`heldout.txt\` (same license) and every loss below is on them.

## Model
| | |
|---|---|
| architecture | GPT-2 (learned positions, pre-LayerNorm, GELU (tanh), tied LM head) |
| layers / heads / width | ${c.nLayer} / ${c.nHead} / ${c.nEmbd} |
| context | ${c.blockSize} tokens |
| vocabulary | ${c.vocabSize} (byte-level BPE trained on the training split, \`tokenizer.json\`) |
| parameters | ${r.parameters.toLocaleString('en')} |
| files | \`model.safetensors\` ${sizes.weights} MB, \`tokenizer.json\` ${sizes.tokenizer} MB |

## Training
${r.steps} steps of ${String(r.pretrain.batchSize)} x ${c.blockSize} tokens (${(r.tokensSeen / 1e6).toFixed(2)}M tokens seen; the training split
has ${r.trainTokens.toLocaleString('en')} tokens), AdamW, peak learning rate ${String(r.pretrain.learningRate)}, warm-up then cosine decay${Number(r.pretrain.dropout ?? 0) > 0 ? `, dropout ${String(r.pretrain.dropout)} on the embeddings and residual branches (training only)` : ''}.
Training took ${hours >= 1 ? `${hours.toFixed(2)} h` : `${(r.trainingSeconds / 60).toFixed(1)} min`} on ${r.machine}.${averagingSentence(r)}

## Validation loss against n-gram baselines
Held-out split, ${r.validationTokens.toLocaleString('en')} tokens, nats per token, same tokenizer:

| model | nats/token |
|---|---|
${baselines}
| **this model** | **${r.valLoss.toFixed(4)}** |

The model is ${(r.improvementOverBaseline * 100).toFixed(1)}% lower than the best n-gram baseline (${b.best.name}).
The baselines' smoothing was tuned on the validation split itself, which flatters them.
${slidingSection(e, r, b)}
## Samples
Temperature ${s.temperature}, seed ${s.seed}, up to 80 new tokens, from the shipped story openings
(\`public/prompts/story-openings.json\`). Distinct-2 (unique token bigrams / all bigrams) over
${s.samples.length} samples: **${s.distinct2.toFixed(3)}**.

${samples}

## Reproduce
\`\`\`bash
${r.command}${e === null ? '' : `\nnpm run evaluate-lm -- --corpus ${'<FILE>'} --checkpoint ${'<DIR>'}/model.safetensors --json ${'<DIR>'}/evaluation.json`}
npm run model-card -- --run ${'<DIR>'} --corpus ${'<FILE>'} --id ${id} --title "${title}"${isDefault ? '' : ' --alternative'}
\`\`\`
`;
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
  if (!f.run || !f.corpus || !f.id || !f.title) fail(`--run, --corpus, --id and --title are required\nusage: ${USAGE}`);
  for (const name of ['model.safetensors', 'tokenizer.json', 'report.json', 'baseline.json', 'samples.json']) {
    if (!exists(join(f.run, name))) fail(`${join(f.run, name)} is missing: is the pretraining run finished?`);
  }
  // Checked before anything is written, so a bad file leaves public/models as it was.
  const report = readJson(join(f.run, 'report.json')) as Report;
  const checked = evaluation(f.run, report);
  const dir = join(MODELS_DIR, f.id);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(f.run, 'model.safetensors'), join(dir, 'model.safetensors'));
  copyFileSync(join(f.run, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const split = holdOut(splitDocuments(readFileSync(f.corpus, 'utf8'), f.corpus), f.corpus);
  writeAtomic(join(dir, 'heldout.txt'), split.validation.join(`\n${DOC_SEPARATOR}\n`) + '\n');
  const sizes = { weights: mb(join(dir, 'model.safetensors')), tokenizer: mb(join(dir, 'tokenizer.json')) };
  const text = card(
    f.id,
    f.title,
    !f.alternative,
    report,
    readJson(join(f.run, 'baseline.json')) as BaselineReport,
    checked,
    readJson(join(f.run, 'samples.json')) as SampleSet,
    sizes,
    { train: split.train.length, validation: split.validation.length },
  );
  writeAtomic(join(dir, 'README.md'), text);
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
