/**
 * npm run import -- --format hf --from DIR --out PATH [--name NAME]
 *
 * Converts a Hugging Face GPT-2 directory (config.json, model.safetensors, tokenizer.json) into
 * our checkpoint at PATH, and writes its tokenizer.json beside it, where `npm run generate --
 * --checkpoint PATH` looks for it. Models too large for a browser tab are refused.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  HF_CONFIG,
  HF_GENERATION_CONFIG,
  HF_TOKENIZER,
  HF_WEIGHTS,
  importHfGpt2,
} from '../src/engine/interchange/hf-gpt2';
import { fail, parseFlags, runMain } from './lib/cli';
import { exists, readBytes, writeAtomic } from './lib/files';

const USAGE = 'npm run import -- --format hf --from DIR --out PATH [--name NAME]';
/** The files the conversion reads; others are listed by name only (to explain what is missing). */
const READ = new Set([HF_CONFIG, HF_WEIGHTS, HF_TOKENIZER, HF_GENERATION_CONFIG]);

/** The directory as file name -> bytes; files not needed appear with no bytes. */
function readDirectory(dir: string): Map<string, Uint8Array> {
  if (!exists(dir) || !statSync(dir).isDirectory())
    fail({ code: 'CLI_MISSING', params: { path: dir, what: 'directory' } });
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, READ.has(name) ? readBytes(path) : new Uint8Array(0));
  }
  return files;
}

async function main(): Promise<void> {
  const f = parseFlags(
    {
      format: { type: 'string', default: 'hf' },
      from: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
    },
    USAGE,
  );
  if (f.format !== 'hf')
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--format', choices: ['hf'], got: f.format, note: 'hfDirectory', usage: USAGE },
    });
  if (f.from === undefined || f.out === undefined)
    fail({ code: 'CLI_REQUIRED', params: { flags: ['--from', '--out'], usage: USAGE } });
  const name = f.name ?? basename(resolve(f.from));
  const imported = importHfGpt2(readDirectory(f.from), { name, createdAt: new Date().toISOString(), source: f.from });
  mkdirSync(dirname(f.out), { recursive: true });
  const tokenizerPath = join(dirname(f.out), 'tokenizer.json');
  writeAtomic(f.out, imported.checkpoint);
  writeAtomic(tokenizerPath, JSON.stringify(imported.tokenizer.toJSON()));
  const dtypes = imported.sourceDtypes.join('/');
  process.stderr.write(
    `[${name}: ${imported.paramCount.toLocaleString('en')} parameters (${dtypes}) -> ${f.out}, tokenizer -> ${tokenizerPath}]\n`,
  );
}

runMain(main);
