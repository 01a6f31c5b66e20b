#!/usr/bin/env node
// The layers, proved from the built output: no chunk the page loads (the entry and every lazy
// chunk) contains TensorFlow.js; only the engine worker's chunks do. Builds the app into a
// temporary folder (about 30 s), or checks an existing build:
//   node scripts/check-page-chunks.mjs [DIST]
// test/node/layering.test.ts checks the same rule on the import graph.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Strings only TensorFlow.js carries, which minification keeps: tfjs-core's error for a disposed
 * tensor and the name of one of its environment flags.
 */
const TFJS_SIGNATURES = ['Tensor is disposed', 'WEBGL_VERSION'];
/** The engine worker's chunk, named after src/workers/engine.worker.ts. */
const WORKER_CHUNK = /^engine\.worker-[\w-]+\.js$/;

function build() {
  const outDir = mkdtempSync(join(tmpdir(), 'rlhf-chunks-'));
  const result = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    console.error('Page chunks: the build failed.');
    process.exit(1);
  }
  return outDir;
}

const given = process.argv[2];
const dist = given ?? build();
try {
  const assets = join(dist, 'assets');
  const chunks = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const hasTfjs = (name) => {
    const text = readFileSync(join(assets, name), 'utf8');
    return TFJS_SIGNATURES.some((s) => text.includes(s));
  };
  const worker = chunks.filter((name) => WORKER_CHUNK.test(name));
  const page = chunks.filter((name) => !WORKER_CHUNK.test(name));
  const problems = [];
  if (worker.length === 0) problems.push(`no engine worker chunk (engine.worker-*.js) in ${assets}`);
  else if (!worker.some(hasTfjs))
    problems.push(
      `the engine worker's chunk carries none of ${TFJS_SIGNATURES.join(', ')}: the check would prove nothing`,
    );
  for (const name of page) if (hasTfjs(name)) problems.push(`the page chunk ${name} contains TensorFlow.js`);
  for (const p of problems) console.error(`Page chunks: ${p}`);
  if (problems.length > 0) process.exitCode = 1;
  else console.log(`Page chunks: none of ${page.length} page chunks contains TensorFlow.js; the engine worker's does.`);
} finally {
  if (given === undefined) rmSync(dist, { recursive: true, force: true });
}
