#!/usr/bin/env node
// A crash in the middle of tuning loses nothing: from a fresh browser profile, label two pairs,
// train the reward model, tune one iteration (which saves a checkpoint), start a long tuning run,
// give one more label while it runs, then kill the browser outright (SIGKILL) with the worker
// mid-iteration. Start the browser again on the same profile and check that every label is there,
// the last one included, and that the saved checkpoint is the policy in use.
//
//   node scripts/e2e-crash.mjs [--no-build] [--models DIR] [--port 4174]
//
// Why a kill and not a clean stop: closing the page or calling worker.terminate() lets the page
// run its unload code and the browser flush what it holds. SIGKILL of the browser process ends
// the page, the engine worker and Chromium's storage process at once, as a crash or a laptop
// running out of battery would, so only what was already committed to IndexedDB can survive.
// The browser is started here (not by playwright) so its process id is ours to kill.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  ROOT,
  option as optionIn,
  routeModels,
  run,
  startPreview,
  stopGroup,
} from './lib/e2e-common.mjs';
import { countOf, label, labelPairs, stage, stepOnce, trainReward, waitForCount } from './lib/e2e-steps.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => optionIn(args, name, fallback);
const modelsDir = option('--models', null);
const port = Number(option('--port', '4174'));
const build = !args.includes('--no-build');
// WASM (see e2e.mjs), small settings, and a run far longer than the test so it is surely cut short.
const SETUP = '?lesson=off&stage=label&seed=3&tokens=16&ppi=1&spp=2&iters=200&backend=wasm';
const STEP_TIMEOUT = 120_000;

const log = (...parts) => console.log(`[e2e-crash ${new Date().toISOString().slice(11, 19)}]`, ...parts);

/** Chromium on `profile`, driven over the DevTools protocol; its process is `browser.process`. */
async function launch(profile) {
  const child = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise((resolveEndpoint, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port:\n${text}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveEndpoint(match[1]);
      }
    });
    child.on('exit', (code) =>
      reject(new Error(`Chromium exited with status ${code} before it could be driven:\n${text}`)),
    );
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  if (modelsDir !== null) await routeModels(context, resolve(modelsDir));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => log('page error:', err.message));
  return { process: child, browser, page };
}

/** SIGKILL: no unload handler, no clean worker shutdown, no flush by the browser. */
async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}

async function beforeCrash(page) {
  await labelPairs(page, ['1', '2']);
  log('labelled 2 pairs');
  await trainReward(page, 2);
  log('reward model trained');
  // One iteration, then its checkpoint.
  await stepOnce(page, 1);
  log('tuned 1 iteration; its checkpoint is saved');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForCount(page, 'tune', '2 iterations');
  log('a 200-iteration run is under way');
  await stage(page, 'label').click();
  await page.locator('.pair').waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
  await label(page, '1', 3);
  const stored = Date.now();
  // Back to Tune to see the run still going (Pause is shown only while it runs).
  await stage(page, 'tune').click();
  const tuning = await page.getByRole('button', { name: 'Pause', exact: true }).isVisible();
  if (!tuning) throw new Error('the tuning run ended before the crash: it has to be cut short mid-run');
  return { iterations: await countOf(page, 'tune'), stored };
}

async function afterCrash(page, url) {
  await page.goto(`${url}${SETUP}`);
  await waitForCount(page, 'label', '3 labels');
  await stage(page, 'model').click();
  const current = page.locator('.saved-list li', { hasText: 'in use' });
  await current.waitFor({ timeout: STEP_TIMEOUT });
  const checkpoint = (await current.innerText()).replace(/\s+/g, ' ');
  if (!checkpoint.includes('after 1 iterations'))
    throw new Error(`the checkpoint in use after the crash is "${checkpoint}", not the one saved after 1 iteration`);
  const problems = await page.locator('[role="alert"]').allInnerTexts();
  if (problems.length > 0) throw new Error(`the page reports a problem after the crash: ${problems.join(' | ')}`);
  return { labels: await countOf(page, 'label'), checkpoint };
}

async function main() {
  const started = Date.now();
  if (build) run('npx', ['vite', 'build']);
  if (modelsDir === null && !existsSync(join(ROOT, 'dist', 'models', 'manifest.json'))) {
    throw new Error(
      'dist/models/manifest.json is missing: train or copy a model into public/models, or pass --models DIR',
    );
  }
  const { server, url } = await startPreview(port);
  const profile = mkdtempSync(join(tmpdir(), 'rlhf-e2e-crash-'));
  let chrome = null;
  try {
    chrome = await launch(profile);
    await chrome.page.goto(`${url}${SETUP}`);
    const crash = await beforeCrash(chrome.page);
    await kill(chrome.process);
    const killedMs = Date.now() - crash.stored;
    log(`killed the browser (SIGKILL) mid-run at ${crash.iterations}, ${killedMs} ms after the third label was stored`);
    chrome = await launch(profile);
    const after = await afterCrash(chrome.page, url);
    log(`after the crash: ${after.labels}; checkpoint in use: ${after.checkpoint}`);
    console.log(
      JSON.stringify(
        {
          crash: { iterations: crash.iterations, killedMsAfterLabel: killedMs },
          after,
          seconds: (Date.now() - started) / 1000,
        },
        null,
        2,
      ),
    );
  } finally {
    if (chrome !== null) {
      await chrome.browser.close().catch(() => undefined);
      await kill(chrome.process);
    }
    stopGroup(server);
    // Chromium's helper processes can still be writing to the profile for a moment after the
    // browser process is gone: retry, and never fail a passed run over a temporary folder.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (err) {
      log(`could not remove ${profile}: ${err instanceof Error ? err.message : err}`);
    }
  }
}

main().catch((err) => {
  console.error(`e2e-crash failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
