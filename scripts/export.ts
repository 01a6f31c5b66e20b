/**
 * npm run export -- --format hf --out DIR [--checkpoint PATH] [--tokenizer PATH]
 *
 * Writes a checkpoint (by default the shipped model) as a Hugging Face GPT-2 directory:
 * config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json.
 * In Python: GPT2LMHeadModel.from_pretrained(DIR) and AutoTokenizer.from_pretrained(DIR).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportHfGpt2 } from '../src/engine/interchange/hf-gpt2';
import { Tokenizer } from '../src/engine/tokenizer/tokenizer';
import { fail, parseFlags, runMain } from './lib/cli';
import { exists, readBytes, readJson, writeAtomic } from './lib/files';
import { defaultModelPaths } from './lib/models';

const USAGE = 'npm run export -- --format hf --out DIR [--checkpoint PATH] [--tokenizer PATH]';

/** The checkpoint and tokenizer to export: the flags, else the shipped default model. */
function sourcePaths(
  checkpoint: string | undefined,
  tokenizer: string | undefined,
): { checkpoint: string; tokenizer: string } {
  const paths =
    checkpoint === undefined
      ? defaultModelPaths()
      : { checkpoint, tokenizer: join(dirname(checkpoint), 'tokenizer.json') };
  const chosen = { checkpoint: paths.checkpoint, tokenizer: tokenizer ?? paths.tokenizer };
  if (!exists(chosen.checkpoint))
    fail({ code: 'CLI_MISSING', params: { path: chosen.checkpoint, what: 'checkpoint' } });
  if (!exists(chosen.tokenizer)) fail({ code: 'CLI_MISSING', params: { path: chosen.tokenizer, what: 'tokenizer' } });
  return chosen;
}

function readTokenizer(path: string): Tokenizer {
  let json: unknown;
  try {
    json = readJson(path);
  } catch (err) {
    fail({ code: 'NOT_JSON', params: { url: path, detail: err instanceof Error ? err.message : String(err) } });
  }
  return Tokenizer.fromJSON(json);
}

async function main(): Promise<void> {
  const f = parseFlags(
    {
      format: { type: 'string', default: 'hf' },
      out: { type: 'string' },
      checkpoint: { type: 'string' },
      tokenizer: { type: 'string' },
    },
    USAGE,
  );
  if (f.format !== 'hf')
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--format', choices: ['hf'], got: f.format, note: 'hfDirectory', usage: USAGE },
    });
  if (f.out === undefined) fail({ code: 'CLI_REQUIRED', params: { flags: ['--out'], usage: USAGE } });
  const paths = sourcePaths(f.checkpoint, f.tokenizer);
  const files = exportHfGpt2(readBytes(paths.checkpoint), readTokenizer(paths.tokenizer), paths.checkpoint);
  mkdirSync(f.out, { recursive: true });
  for (const [name, bytes] of files) writeAtomic(join(f.out, name), bytes);
  process.stderr.write(`[wrote ${[...files.keys()].join(', ')} to ${f.out}]\n`);
}

runMain(main);
