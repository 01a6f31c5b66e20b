/** The sentences for the Node commands' command lines and the files they name. */
import type { CliChoiceNote, CliMessages, CliPathKind } from '../../contract/input-messages';
import type { Sentences } from './engine-messages';

const withUsage = (sentence: string, usage: string | null): string =>
  usage === null ? sentence : `${sentence}\n\nusage: ${usage}`;

const NOTES: Record<CliChoiceNote, string> = {
  hfDirectory: ' (a Hugging Face GPT-2 directory)',
  sftNeedsDemonstrations:
    ' (SFT needs demonstrations, which a simulated labeler does not write, unless --best-of-n N has the reward model pick them)',
  inNode: ' in Node',
  inBrowser: ' in the browser',
};

function missing(path: string, what: CliPathKind): string {
  if (what === 'checkpoint') return `Checkpoint not found: ${path}.`;
  if (what === 'tokenizer') return `Tokenizer not found: ${path} (pass --tokenizer PATH).`;
  if (what === 'manifest') return `No shipped model: ${path} is missing.`;
  if (what === 'runFile') return `${path} is missing: is the pretraining run finished?`;
  if (what === 'directory') return `Not a directory: ${path}.`;
  return `--heldout ${path}: no such file (give held-out text, such as the heldout.txt pretraining writes beside a model).`;
}

const list = (flags: string[]): string =>
  flags.length <= 1 ? flags.join('') : `${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]}`;

export const CLI_MESSAGES: Sentences<CliMessages> = {
  CLI_USAGE: (p) => withUsage(p.detail, p.usage),
  CLI_REQUIRED: (p) => withUsage(`${list(p.flags)} ${p.flags.length === 1 ? 'is' : 'are'} required.`, p.usage),
  CLI_CHOICE: (p) => {
    const allowed = p.choices.length === 1 ? `"${p.choices[0]}"` : `one of ${p.choices.join(', ')}`;
    return withUsage(`${p.flag} must be ${allowed}${p.note === null ? '' : NOTES[p.note]}, got "${p.got}".`, p.usage);
  },
  CLI_SEEDS: ({ got, problem }) => {
    if (problem.kind === 'withSeed') return 'Give --seed S or --seeds A-B, not both.';
    const why =
      problem.kind === 'notSeed'
        ? `"${problem.part}" is not a seed or a range A-B of non-negative integers`
        : problem.kind === 'backwards'
          ? `the range ${problem.from}-${problem.to} runs backwards`
          : `more than ${problem.limit} seeds`;
    return `--seeds "${got}": ${why}.`;
  },
  CLI_FLAG_NEEDS: (p) => `${p.flag} only works together with ${p.needs}: give both.`,
  CLI_FLAG_EXCLUDES: (p) => `${p.flag} leaves nothing for ${p.other} to set: give one of them.`,
  CLI_NODE_ONLY: (p) =>
    p.why === 'cpuClock'
      ? `${list(p.flags)} needs Node: a browser has no per-process CPU time.`
      : `${list(p.flags)} ${p.flags.length === 1 ? 'is' : 'are'} for the Node bench; the browser bench runs the base preset.`,
  CLI_MISSING: (p) => missing(p.path, p.what),
  EVALUATION_FIELD: (p) =>
    `${p.path}: "${p.field}" should be a number; write the file again with npm run evaluate-lm -- --json.`,
  EVALUATION_OTHER_RUN: (p) =>
    `${p.path} is not about this run's checkpoint and corpus (${p.tokens} held-out tokens at ${p.loss.toFixed(4)} nats, the run: ${p.runTokens} at ${p.runLoss.toFixed(4)}); write it again with npm run evaluate-lm -- --corpus FILE --checkpoint ${p.checkpoint} --json ${p.path}`,
};
