#!/usr/bin/env node
// The built app opens and works with the network off after one visit: from a fresh browser
// profile, load the app once and wait until its service worker is active and has precached
// everything (the app, the WASM binaries, the default model); fetch another shipped model's files,
// as loading it would, so the worker keeps them. Then take the browser offline and stop the
// server too, reload, and label two pairs, train the reward model and tune one iteration; the
// Model stage says which models are available offline.
//
//   node scripts/e2e-offline.mjs [--no-build] [--port 4175]
//
// It uses the shipped models (the service worker precaches what the build ships, so a stand-in
// model served from elsewhere would not test the same thing) and WASM, as scripts/e2e.mjs does.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, option, run, startPreview, stopGroup } from './lib/e2e-common.mjs';
import { labelPairs, stage, stepOnce, trainReward } from './lib/e2e-steps.mjs';

const args = process.argv.slice(2);
const port = Number(option(args, '--port', '4175'));
const build = !args.includes('--no-build');
const SETUP = '?lesson=off&stage=label&seed=3&tokens=16&ppi=1&spp=2&iters=1&backend=wasm';
const STEP_TIMEOUT = 120_000;
const DIST = join(ROOT, 'dist');

const log = (...parts) => console.log(`[e2e-offline ${new Date().toISOString().slice(11, 19)}]`, ...parts);

/** The URLs dist/sw.js precaches, with their sizes; throws if the model or a WASM binary is missing. */
function precacheList(manifest) {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const list = /precacheAndRoute\(\[(.*?)\]/s.exec(sw)?.[1];
  if (list === undefined) throw new Error('dist/sw.js has no precache list');
  const urls = [...list.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
  const entry = manifest.models.find((m) => m.id === manifest.default);
  const needed = [
    'index.html',
    'models/manifest.json',
    ...[entry.checkpoint, entry.tokenizer, entry.card].map((path) => `models/${path}`),
  ];
  const missing = needed.filter((url) => !urls.includes(url));
  if (!urls.some((url) => url.endsWith('.wasm'))) missing.push('the WASM binaries');
  if (missing.length > 0) throw new Error(`dist/sw.js does not precache ${missing.join(', ')}`);
  return urls.map((url) => ({ url, bytes: statSync(join(DIST, url)).size }));
}

/**
 * Evaluates `fn(arg)` in the page until it returns `{ done: true }`, or throws with what it last
 * returned. (page.waitForFunction does not wait for a promise: an async predicate passes at once.)
 */
async function poll(page, fn, arg, what) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const state = await page.evaluate(fn, arg);
    if (state.done) return;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the service worker serves this page, with all `count` precache entries stored. */
async function waitForPrecache(page, count) {
  await poll(
    page,
    async (n) => {
      const registration = await navigator.serviceWorker.getRegistration();
      const name = (await caches.keys()).find((key) => key.startsWith('workbox-precache'));
      const state = {
        active: registration?.active?.state === 'activated',
        controlled: navigator.serviceWorker.controller !== null,
        precached: name === undefined ? 0 : (await (await caches.open(name)).keys()).length,
      };
      return { ...state, done: state.active && state.controlled && state.precached === n };
    },
    count,
    'the service worker did not become ready',
  );
}

async function serverDown(url) {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

async function main() {
  const started = Date.now();
  if (build) run('npx', ['vite', 'build']);
  const manifest = JSON.parse(readFileSync(join(DIST, 'models', 'manifest.json'), 'utf8'));
  const precache = precacheList(manifest);
  const report = {
    precache: {
      entries: precache.length,
      mib: +(precache.reduce((sum, e) => sum + e.bytes, 0) / 2 ** 20).toFixed(2),
      largest: precache.toSorted((a, b) => b.bytes - a.bytes).slice(0, 3),
    },
  };
  const { server, url } = await startPreview(port);
  const profile = mkdtempSync(join(tmpdir(), 'rlhf-e2e-offline-'));
  let context;
  try {
    const testStarted = Date.now();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => log('page error:', err.message));
    await page.goto(`${url}${SETUP}`);
    await waitForPrecache(page, precache.length);
    report.firstVisitSeconds = (Date.now() - testStarted) / 1000;
    log(`first visit: service worker active, ${precache.length} files precached (${report.precache.mib} MiB)`);
    // What loading another shipped model fetches; the worker keeps it for offline use.
    const other = manifest.models.find((m) => m.id !== manifest.default);
    if (other !== undefined) {
      await page.evaluate(
        async (files) => {
          for (const file of files) {
            const response = await fetch(`models/${file}`);
            if (!response.ok) throw new Error(`${file} did not load: HTTP ${response.status}`);
            await response.arrayBuffer();
          }
        },
        [other.tokenizer, other.checkpoint, other.card],
      );
      // The worker stores a response once its body has arrived, a moment after the page has it.
      await poll(
        page,
        async (files) => {
          const found = await Promise.all(files.map(async (f) => (await caches.match(`models/${f}`)) !== undefined));
          return { found, done: found.every(Boolean) };
        },
        [other.tokenizer, other.checkpoint, other.card],
        `the service worker did not keep ${other.id}`,
      );
    }

    await context.setOffline(true);
    stopGroup(server);
    for (let i = 0; i < 50 && !(await serverDown(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await serverDown(url))) throw new Error(`the server at ${url} still answers after being stopped`);
    const offlineStarted = Date.now();
    await page.reload();
    // The server is down, so nothing can come from the network whatever the browser reports:
    // some Chromium builds keep navigator.onLine true after an emulated switch to offline, and
    // the page does not read it.
    const onLine = await page.evaluate(() => navigator.onLine);
    log(`offline, server stopped: reloaded (navigator.onLine ${onLine})`);
    report.backend = await page.locator('.badge-name').innerText({ timeout: STEP_TIMEOUT });
    await labelPairs(page, ['1', '2']);
    log('labelled 2 pairs offline');
    await trainReward(page, 2);
    log('reward model trained offline');
    await stepOnce(page, 1);
    log('tuned 1 iteration offline; its checkpoint is saved');
    await stage(page, 'model').click();
    const line = page.locator('.offline-models');
    const titles = manifest.models.map((m) => m.title);
    const expected = `Available offline: ${new Intl.ListFormat('en', { type: 'conjunction' }).format(titles)}.`;
    await page
      .waitForFunction((text) => document.querySelector('.offline-models')?.textContent?.includes(text), expected, {
        timeout: 30_000,
      })
      .catch(async () => {
        const shown = await line.innerText({ timeout: 1000 }).catch(() => 'nothing');
        throw new Error(`the Model stage should say "${expected}", but says ${shown}`);
      });
    report.modelStage = (await line.innerText()).trim();
    log(`Model stage: ${report.modelStage}`);
    const problems = await page.locator('[role="alert"]').allInnerTexts();
    if (problems.length > 0) throw new Error(`the page reports a problem offline: ${problems.join(' | ')}`);
    report.offlineSeconds = (Date.now() - offlineStarted) / 1000;
    report.seconds = (Date.now() - started) / 1000;
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await context?.close();
    stopGroup(server);
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

main().catch((err) => {
  console.error(`e2e-offline failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
