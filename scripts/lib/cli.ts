/** Shared plumbing for the Node commands: argument errors and the WASM backend. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Message, NumberRule } from '../../src/contract/messages';
import { EngineError, outOfRange } from '../../src/engine/errors';
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
    fail({ code: 'CLI_USAGE', params: { detail: err instanceof Error ? err.message : String(err), usage } });
  }
}

/** A number in [min, max] (max null: no upper bound), whole when `integer`. */
export interface Between {
  min: number;
  max: number | null;
  integer: boolean;
}

const RULES: Record<NumberRule, (n: number) => boolean> = {
  positiveInteger: (n) => Number.isInteger(n) && n > 0,
  nonNegativeInteger: (n) => Number.isInteger(n) && n >= 0,
  positiveNumber: (n) => n > 0,
  nonNegativeNumber: (n) => n >= 0,
  finiteNumber: (n) => Number.isFinite(n),
  openUnit: (n) => n > 0 && n < 1,
  unitUpToOne: (n) => n > 0 && n <= 1,
  unitFromZero: (n) => n >= 0 && n < 1,
};

const within = (n: number, r: Between): boolean =>
  (!r.integer || Number.isInteger(n)) && n >= r.min && (r.max === null || n <= r.max);

/** A number flag `--name`, checked against a rule or a range; `fallback` when it is not given. */
export function numberFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  range: NumberRule | Between,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const field = `--${name}`;
  if (typeof range === 'string') {
    if (!Number.isFinite(n) || !RULES[range](n)) fail(outOfRange(null, field, value, range));
  } else if (!Number.isFinite(n) || !within(n, range)) {
    fail({
      code: 'NUMBER_BETWEEN',
      params: { file: null, field, got: JSON.stringify(value), ...range, zeroTurnsOff: false },
    });
  }
  return n;
}

/** Prints a command-line or file problem in the words of the one message table, and exits with 2. */
export function fail(message: Message): never {
  process.stderr.write(`error: ${messageText(message)}\n`);
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
