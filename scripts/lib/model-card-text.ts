/**
 * The text of a shipped model's card (`public/models/ID/README.md`), from a pretraining run's own
 * outputs, so that every figure in it is the run's. The card has the usual sections, in
 * CARD_SECTIONS order; a card may end with a hand-written `## Notes` section, which is kept when the
 * card is written again (everything from that heading to the end of the file).
 */
import type { BaselineReport } from '../../src/engine/eval/ngram';
import type { AveragingReport, LmEvaluation } from './models';
import type { SampleSet } from './samples';

/** What `npm run pretrain` writes to RUN/report.json, as far as the card reads it. */
export interface PretrainReport {
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

export interface CardInput {
  id: string;
  title: string;
  isDefault: boolean;
  report: PretrainReport;
  baseline: BaselineReport;
  /** The run's evaluation.json (sliding windows, per byte), or null when it was not measured. */
  evaluation: LmEvaluation | null;
  samples: SampleSet;
  /** File sizes in MB, as printed. */
  sizes: { weights: string; tokenizer: string };
  /** Stories in the training and held-out splits. */
  docs: { train: number; validation: number };
}

/** The generated sections, in order. */
export const CARD_SECTIONS = [
  'Model details',
  'Intended use',
  'Training data and licence',
  'Evaluation',
  'Limitations',
  'How to reproduce',
] as const;

/** The heading of the hand-written section a card may end with. */
export const NOTES_HEADING = '## Notes';

/** The hand-written `## Notes` section at the end of an existing card, or ''. */
export function handWrittenNotes(existing: string | null): string {
  if (existing === null) return '';
  const at = existing.search(/^## Notes\s*$/m);
  return at < 0 ? '' : existing.slice(at).trimEnd() + '\n';
}

/** The card's text; `notes` (from handWrittenNotes) is appended unchanged. */
export function cardText(c: CardInput, notes = ''): string {
  const body = [
    `# ${c.title} (\`${c.id}\`)\n\n${summary(c)}`,
    `## Model details\n${modelDetails(c)}`,
    `## Intended use\n${INTENDED_USE}`,
    `## Training data and licence\n${trainingData(c)}`,
    `## Evaluation\n${evaluation(c)}`,
    `## Limitations\n${limitations(c)}`,
    `## How to reproduce\n${reproduce(c)}`,
  ].join('\n\n');
  return notes === '' ? `${body}\n` : `${body}\n\n${notes}`;
}

function stories(c: CardInput): string {
  return (c.docs.train + c.docs.validation).toLocaleString('en');
}

function summary(c: CardInput): string {
  return `A ${(c.report.parameters / 1e6).toFixed(2)}M-parameter GPT-2-style model pretrained on a ${stories(c)}-story subset of
TinyStories, shipped with RLHF Playground ${c.isDefault ? 'as the default policy' : 'as an alternative to the default policy (choose it in the Model stage)'}. It writes simple English for a
sentence or two; it is a teaching model, not a useful one.`;
}

function modelDetails(c: CardInput): string {
  const r = c.report;
  const k = r.config;
  const hours = r.trainingSeconds / 3600;
  const dropout = Number(r.pretrain.dropout ?? 0);
  return `| | |
|---|---|
| architecture | GPT-2 (learned positions, pre-LayerNorm, GELU (tanh), tied LM head) |
| layers / heads / width | ${k.nLayer} / ${k.nHead} / ${k.nEmbd} |
| context | ${k.blockSize} tokens |
| vocabulary | ${k.vocabSize} (byte-level BPE trained on the training split, \`tokenizer.json\`) |
| parameters | ${r.parameters.toLocaleString('en')} |
| files | \`model.safetensors\` ${c.sizes.weights} MB, \`tokenizer.json\` ${c.sizes.tokenizer} MB |

Trained for ${r.steps} steps of ${String(r.pretrain.batchSize)} x ${k.blockSize} tokens (${(r.tokensSeen / 1e6).toFixed(2)}M tokens seen; the training split
has ${r.trainTokens.toLocaleString('en')} tokens), AdamW, peak learning rate ${String(r.pretrain.learningRate)}, warm-up then cosine decay${dropout > 0 ? `, dropout ${String(r.pretrain.dropout)} on the embeddings and residual branches (training only)` : ''}.
Training took ${hours >= 1 ? `${hours.toFixed(2)} h` : `${(r.trainingSeconds / 60).toFixed(1)} min`} on ${r.machine}.${averagingSentence(r.averaging)}`;
}

function averagingSentence(a: AveragingReport | undefined): string {
  if (a === undefined) return '';
  return `\nThe shipped weights are the mean of ${a.snapshots} snapshots, taken every ${a.every} steps from step ${a.from} to the end
(weight averaging, \`--average-from\`); the weights after the last step alone score ${a.lastStepValLoss.toFixed(4)} nats/token on validation.`;
}

const INTENDED_USE = `The policy of RLHF Playground: students generate from it, compare its continuations, train a
reward model on their preferences and tune it with PPO, GRPO, RLOO, DPO or SFT, all in the browser.
It is small enough to load and tune in a browser tab without a GPU, and its mistakes are easy to
see, which is the point. It is not meant for anything else: not for writing stories for people to
read, and not as a base for a product.`;

function trainingData(c: CardInput): string {
  return `Trained on the first ${stories(c)} stories of the training split of **TinyStories** (Ronen Eldan and Yuanzhi
Li, "TinyStories: How Small Can Language Models Be and Still Speak Coherent English?", 2023),
licence **CDLA-Sharing-1.0**. The last 10% of the stories (${c.docs.validation} of ${c.docs.train + c.docs.validation}) were held out and
never trained on; they ship here as \`heldout.txt\` (same licence) and every loss below is on them.`;
}

function evaluation(c: CardInput): string {
  const { report: r, baseline: b, samples: s } = c;
  const baselines = b.all.map((x) => `| ${x.name} | ${x.valNatsPerToken.toFixed(4)} |`).join('\n');
  const samples = s.samples
    .slice(0, 10)
    .map((x, i) => `${i + 1}. **${x.prompt}**${x.text}${x.finishReason === 'eos' ? '' : ' …'}`)
    .join('\n');
  return `### Validation loss against n-gram baselines
Held-out split, ${r.validationTokens.toLocaleString('en')} tokens, nats per token, same tokenizer:

| model | nats/token |
|---|---|
${baselines}
| **this model** | **${r.valLoss.toFixed(4)}** |

The model is ${(r.improvementOverBaseline * 100).toFixed(1)}% lower than the best n-gram baseline (${b.best.name}).
${slidingWindows(c)}
### Samples
Temperature ${s.temperature}, seed ${s.seed}, up to 80 new tokens, from the shipped story openings
(\`public/prompts/story-openings.json\`). Distinct-2 (unique token bigrams / all bigrams) over
${s.samples.length} samples: **${s.distinct2.toFixed(3)}**.

${samples}`;
}

function slidingWindows(c: CardInput): string {
  const e = c.evaluation;
  if (e === null) return '';
  const below = (x: number) => `${((1 - x / c.baseline.best.valNatsPerToken) * 100).toFixed(1)}%`;
  const context = c.report.config.blockSize;
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

function limitations(c: CardInput): string {
  const r = c.report;
  return `- It knows only what ${stories(c)} short children's stories hold (${r.trainTokens.toLocaleString('en')} training tokens): simple
  English, a small cast of names and plots. It loses track of who is who after a sentence or two,
  swaps names and repeats itself, as the samples show.
- It sees at most ${r.config.blockSize} tokens; anything before them is forgotten.
- English only. The tokenizer was trained on these stories, so other text splits into many short
  tokens.
- No instruction tuning and no safety filtering: it continues any text, and what it writes is a
  sample, not a fact.
- The held-out stories come from the same corpus as the training ones, so the losses say nothing
  about other text; the baselines' smoothing was tuned on the held-out split itself, which flatters
  them.`;
}

/** The value of `--name VALUE` in a recorded command, or `fallback`. */
function flagIn(command: string, name: string, fallback: string): string {
  const m = new RegExp(`--${name} (\\S+)`).exec(command);
  return m === null ? fallback : m[1];
}

function reproduce(c: CardInput): string {
  const command = c.report.command;
  const corpus = flagIn(command, 'corpus', '<FILE>');
  const out = flagIn(command, 'out', '<DIR>');
  const evaluate =
    c.evaluation === null
      ? ''
      : `\nnpm run evaluate-lm -- --corpus ${corpus} --checkpoint ${out}/model.safetensors --json ${out}/evaluation.json`;
  return `\`\`\`bash
${command}${evaluate}
npm run model-card -- --run ${out} --corpus ${corpus} --id ${c.id} --title "${c.title}"${c.isDefault ? '' : ' --alternative'}
\`\`\`
\`${corpus}\` is the corpus described under Training data and licence.
\`npm run pretrain\` writes the run folder \`${out}\`, and resumes it when run again after an interruption.${
    c.evaluation === null ? '' : '\n`npm run evaluate-lm` adds the sliding-window and per-byte figures to it.'
  }
\`npm run model-card\` writes this card and copies the model here.`;
}
