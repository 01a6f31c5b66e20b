/**
 * npm run bench -- [--quick] [--only decode,train,dispatch,memory,ppo] [--json FILE] [--backend wasm|cpu] [--clock wall|cpu]
 *
 * Runs the performance cases of issue 7 in one Node process (WASM by default), prints the machine
 * and a table, and with --json writes every figure, the headline ones at the top level.
 */
import { writeFileSync } from 'node:fs';
import { initBackend, type BackendName } from '../src/engine/backend';
import { fail, parseFlags, runMain } from '../scripts/lib/cli';
import { runBench } from './bench';
import { registerPpoIteration } from './cases/ppo';
import { engineIteration } from './cases/ppo-engine';
import type { Clock } from './stats';
import { describeMachine } from './machine';
import { FULL_SIZES, QUICK_SIZES } from './sizes';
import { formatReport } from './table';
import { CASE_NAMES, type CaseName } from './types';

const USAGE = `npm run bench -- [--quick] [--only ${CASE_NAMES.join(',')}] [--json FILE] [--backend wasm|cpu] [--clock wall|cpu]`;
const NODE_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

function options() {
  const f = parseFlags({
    quick: { type: 'boolean', default: false }, only: { type: 'string' }, json: { type: 'string' }, backend: { type: 'string', default: 'wasm' },
    clock: { type: 'string', default: 'wall' },
  }, USAGE);
  const only = f.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !(CASE_NAMES as readonly string[]).includes(n)) ?? [];
  if (unknown.length > 0) fail(`--only: unknown case(s) ${unknown.join(', ')}; the cases are ${CASE_NAMES.join(', ')}`);
  if (!(NODE_BACKENDS as readonly string[]).includes(f.backend)) fail(`--backend must be one of ${NODE_BACKENDS.join(', ')} in Node, got "${f.backend}"`);
  if (f.clock !== 'wall' && f.clock !== 'cpu') fail(`--clock must be wall or cpu, got "${f.clock}"`);
  return { clock: f.clock as Clock, quick: f.quick, only: only as CaseName[] | undefined, json: f.json, backend: f.backend as BackendName };
}

async function main(): Promise<void> {
  const o = options();
  await initBackend({ order: [o.backend] });
  registerPpoIteration(engineIteration('ppo'));
  const report = await runBench({
    sizes: o.quick ? QUICK_SIZES : FULL_SIZES,
    sizesName: o.quick ? 'quick' : 'full',
    only: o.only,
    clock: o.clock,
    machine: await describeMachine(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (o.json !== undefined) {
    writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\nfigures written to ${o.json}\n`);
  }
}

runMain(main);
