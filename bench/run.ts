/**
 * npm run bench -- [--quick] [--only CASES] [--json FILE] [--backend NAME] [--clock wall|cpu] [--vocab N] [--layers N] [--browser [--loads N]]
 *
 * Runs the performance cases, prints the machine and a table, and with --json writes
 * every figure, the headline ones at the top level.
 *   In Node (default): one process on WASM (or --backend cpu); --vocab N and --layers N set the models' vocabulary and depth
 *   (default: the base preset's 2048 and 4; the shipped default model has 4096 and 5).
 *   With --browser: the same cases in headless Chromium (bench/browser), on --backend or, without
 *   it, on the backend the engine's ladder picks as the app would; then the app's cold start, page
 *   load to first token, over --loads fresh loads (default 5; 0 skips it) on --backend or wasm.
 */
import { writeFileSync } from 'node:fs';
import { BACKEND_LADDER, initBackend, type BackendName } from '../src/engine/backend';
import { fail, numberFlag, parseFlags, runMain } from '../scripts/lib/cli';
import { MAX_VOCAB_SIZE, MIN_VOCAB_SIZE } from '../src/engine/tokenizer/tokenizer';
import { runBench, type BenchReport } from './bench';
import type { ColdStart } from './browser/cold-start';
import type { Clock } from './stats';
import { describeMachine } from './machine';
import { FULL_SIZES, QUICK_SIZES, atShape, shapeName, type ShapeOverride } from './sizes';
import { formatReport, rowsTable } from './table';
import { CASE_NAMES, type CaseName } from './types';

const USAGE = `npm run bench -- [--quick] [--only ${CASE_NAMES.join(',')}] [--json FILE] [--backend NAME] [--clock wall|cpu] [--vocab N] [--layers N] [--browser [--loads N]]`;
const NODE_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

interface Options {
  quick: boolean;
  only?: CaseName[];
  json?: string;
  /** Undefined: wasm in Node, the engine's ladder in the browser. */
  backend?: BackendName;
  clock: Clock;
  browser: boolean;
  loads: number;
  /** Model shape changes (--vocab, --layers); empty: each size's own model (the base preset). */
  shape: ShapeOverride;
}

function options(): Options {
  const f = parseFlags(
    {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      backend: { type: 'string' },
      clock: { type: 'string', default: 'wall' },
      browser: { type: 'boolean', default: false },
      loads: { type: 'string' },
      vocab: { type: 'string' },
      layers: { type: 'string' },
    },
    USAGE,
  );
  const only = f.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !(CASE_NAMES as readonly string[]).includes(n)) ?? [];
  if (unknown.length > 0) {
    const params = { flag: '--only', choices: [...CASE_NAMES], got: unknown.join(','), note: null, usage: null };
    fail({ code: 'CLI_CHOICE', params });
  }
  const backends = f.browser ? BACKEND_LADDER : NODE_BACKENDS;
  if (f.backend !== undefined && !(backends as readonly string[]).includes(f.backend))
    fail({
      code: 'CLI_CHOICE',
      params: {
        flag: '--backend',
        choices: [...backends],
        got: f.backend,
        note: f.browser ? 'inBrowser' : 'inNode',
        usage: null,
      },
    });
  if (f.clock !== 'wall' && f.clock !== 'cpu')
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--clock', choices: ['wall', 'cpu'], got: f.clock, note: null, usage: null },
    });
  if (f.browser && f.clock === 'cpu')
    fail({ code: 'CLI_NODE_ONLY', params: { flags: ['--clock cpu'], why: 'cpuClock' } });
  const loads = numberFlag(f.loads, 'loads', 5, 'nonNegativeInteger');
  if (f.browser && (f.vocab !== undefined || f.layers !== undefined))
    fail({ code: 'CLI_NODE_ONLY', params: { flags: ['--vocab', '--layers'], why: 'modelShape' } });
  const shape: ShapeOverride = {
    ...(f.vocab === undefined
      ? {}
      : { vocabSize: numberFlag(f.vocab, 'vocab', 0, { min: MIN_VOCAB_SIZE, max: MAX_VOCAB_SIZE, integer: true }) }),
    ...(f.layers === undefined
      ? {}
      : {
          nLayer: numberFlag(f.layers, 'layers', 0, { min: 1, max: 24, integer: true }),
        }),
  };
  return {
    quick: f.quick,
    only: only as CaseName[] | undefined,
    json: f.json,
    backend: f.backend as BackendName | undefined,
    clock: f.clock,
    browser: f.browser,
    loads,
    shape,
  };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
function sizes(o: Options) {
  const named = o.quick ? QUICK_SIZES : FULL_SIZES;
  const name = o.quick ? 'quick' : 'full';
  return Object.keys(o.shape).length === 0
    ? { sizes: named, sizesName: name }
    : { sizes: atShape(named, o.shape), sizesName: `${name}, ${shapeName(o.shape)}` };
}

async function inNode(o: Options): Promise<BenchReport> {
  await initBackend({ order: [o.backend ?? 'wasm'] });
  return runBench({ ...sizes(o), only: o.only, clock: o.clock, machine: await describeMachine(), log });
}

/** The browser report (coldStartMs filled) and the cold start's detail, null with --loads 0. */
async function inBrowser(o: Options): Promise<{ report: BenchReport; coldStart: ColdStart | null }> {
  // Imported here so the Node bench never loads Vite or Playwright.
  const { runInBrowser } = await import('./browser/driver');
  const report = await runInBrowser({ backend: o.backend ?? null, quick: o.quick, only: o.only }, log);
  if (o.loads === 0) return { report, coldStart: null };
  const { measureColdStart } = await import('./browser/cold-start');
  const coldStart = await measureColdStart(o.loads, o.backend ?? 'wasm', log);
  return { report: { ...report, coldStartMs: coldStart.median.firstTokenMs }, coldStart };
}

async function main(): Promise<void> {
  const o = options();
  const { report, coldStart } = o.browser ? await inBrowser(o) : { report: await inNode(o), coldStart: null };
  process.stdout.write(`${formatReport(report)}\n`);
  if (coldStart !== null) {
    const { coldStartRows } = await import('./browser/cold-start');
    process.stdout.write(
      `\nCold start of the app, page load to first generated token [coldstart]\n${rowsTable(coldStartRows(coldStart)).join('\n')}\n`,
    );
  }
  if (o.json !== undefined) {
    writeFileSync(o.json, `${JSON.stringify(o.browser ? { ...report, coldStart } : report, null, 2)}\n`);
    process.stdout.write(`\nfigures written to ${o.json}\n`);
  }
}

runMain(main);
