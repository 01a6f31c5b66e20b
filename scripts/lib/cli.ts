/** Shared plumbing for the Node commands: argument errors and the WASM backend. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EngineError } from '../../src/engine/errors';
import { initBackend } from '../../src/engine/backend';
import { StorageError } from '../../src/storage/errors';
import { messageText } from '../../src/ui/strings/messages';

/** Parses argv strictly: an unknown flag or a missing value is a usage error, not ignored. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  options: T,
  usage: string,
  args: string[] = process.argv.slice(2),
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n\nusage: ${usage}`);
  }
}

/** A number flag, checked; `what` describes the allowed range. */
export function numberFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  ok: (n: number) => boolean,
  what: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !ok(n)) fail(`--${name} must be ${what}, got "${value}"`);
  return n;
}

export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

/**
 * Runs a command's main, turning engine and storage errors into one clear line and exit code 1,
 * in the words the page uses for the same message.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof EngineError || err instanceof StorageError) {
      process.stderr.write(`error (${err.code}): ${messageText(err.detail)}\n`);
      process.exit(1);
    }
    throw err;
  });
}

/** The Node commands run on WASM, the fastest backend available to Node here. */
export async function useWasm(): Promise<void> {
  await initBackend({ order: ['wasm'] });
}
