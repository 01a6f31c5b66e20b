#!/usr/bin/env node
// Runs the browser test project (vitest browser mode) in a system Chromium.
// Without a Chromium: in CI that is a failure; on a developer's machine the tests are skipped
// with a loud message, so `npm test` still runs the Node suite everywhere.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    console.error(`CHROMIUM_PATH is set to ${fromEnv}, but that is not an executable file.`);
    return null;
  }
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  return onPath('chromium');
}

// The page's built chunks carry no TensorFlow.js (a build of its own; needs no browser). Skipped
// when only some browser test files were asked for.
if (process.argv.length <= 2) {
  console.log('Page chunks: building the app to check that only the engine worker carries TensorFlow.js');
  const chunks = spawnSync('node', ['scripts/check-page-chunks.mjs'], { stdio: 'inherit' });
  if (chunks.status !== 0) process.exit(chunks.status ?? 1);
}

// CI systems set CI=true; an explicit CI=false or CI=0 is a developer opting out.
const inCI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
const chromium = findChromium();

if (chromium === null) {
  if (inCI) {
    console.error('Browser tests: no Chromium found (tried $CHROMIUM_PATH, /usr/bin/chromium, chromium on PATH).');
    console.error('CI must run the browser tests: install it with `sudo apt-get install -y chromium`.');
    process.exit(1);
  }
  const bar = '!'.repeat(78);
  console.warn(
    [
      '',
      bar,
      '!!  BROWSER TESTS WERE SKIPPED: no Chromium was found.',
      '!!  Tried: $CHROMIUM_PATH, /usr/bin/chromium, and `chromium` on PATH.',
      '!!  Only the Node tests ran. The WebGPU/worker tests in test/browser did NOT run.',
      '!!  Install Chromium and run `npm test` again:',
      '!!      sudo apt-get install -y chromium        (Debian / Ubuntu)',
      '!!  or point CHROMIUM_PATH at a Chromium or Chrome binary.',
      bar,
      '',
    ].join('\n'),
  );
  process.exit(0);
}

console.log(`Browser tests: using ${chromium}`);
const result = spawnSync('npx', ['vitest', 'run', '--project', 'browser', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
if (result.error) {
  console.error(`Browser tests: could not start vitest: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0 || process.argv.length > 2) process.exit(result.status ?? 1);

// Then the end-to-end run of the built app (label, train, tune, reload, compare); it also
// refreshes docs/screenshots/.
console.log('\nEnd-to-end: building the app and driving it in Chromium (scripts/e2e.mjs)');
const e2e = spawnSync('node', ['scripts/e2e.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
if (e2e.status !== 0) process.exit(e2e.status ?? 1);

// Then the crash test on the build e2e.mjs just made: labels and the last checkpoint survive a
// browser killed in the middle of tuning.
console.log('\nEnd-to-end: killing the browser mid-tuning and checking nothing was lost (scripts/e2e-crash.mjs)');
const crash = spawnSync('node', ['scripts/e2e-crash.mjs', '--no-build'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
if (crash.status !== 0) process.exit(crash.status ?? 1);

// Then, on the same build, the app after one visit with the network off: label, train, tune.
console.log('\nEnd-to-end: one visit, then offline: label, train and tune (scripts/e2e-offline.mjs)');
const offline = spawnSync('node', ['scripts/e2e-offline.mjs', '--no-build'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
if (offline.status !== 0) process.exit(offline.status ?? 1);

// Last, both languages on fresh profiles: every stage, the shortcut sheet, the experiments and each
// step of the guided run, with no English left in the Chinese page and no Chinese in the English one.
console.log('\nEnd-to-end: the interface in Chinese and in English (scripts/e2e-locale.mjs)');
const locale = spawnSync('node', ['scripts/e2e-locale.mjs', '--no-build', '--no-shots'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(locale.status ?? 1);
