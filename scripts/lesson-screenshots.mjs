#!/usr/bin/env node
// The guided first run on the shipped model in headless Chromium, from a fresh browser profile
// opened with ?lesson=intro: every step as a student walks it (generate, 40 labels by keyboard,
// train the reward model, one short PPO run under the lesson's KL budget, a blind round, the
// summary), with a screenshot of each step to docs/screenshots/lesson-*.png.
//
//   node scripts/lesson-screenshots.mjs [--models DIR] [--no-build] [--port 4175]
//
// Small settings (24-token responses, 3 iterations of 2 prompts) so it fits a shared two-core machine.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

const SHOTS = join(ROOT, 'docs', 'screenshots');
const args = process.argv.slice(2);
const option = (name, fallback) => optionIn(args, name, fallback);
const modelsDir = option('--models', null);
const port = Number(option('--port', '4175'));
const build = !args.includes('--no-build');
const SETUP = '?lesson=intro&seed=3&tokens=24&ppi=2&spp=2&iters=3&backend=wasm';
const LABELS = 40;
const TIMEOUT = 300_000;

const log = (...parts) => console.log(`[lesson ${new Date().toISOString().slice(11, 19)}]`, ...parts);

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  log(`screenshot docs/screenshots/${name}.png`);
}

const onStep = (page, id) =>
  page.waitForSelector(`.lesson-guide[data-lesson-step="${id}"]`, { timeout: TIMEOUT }).then(() => log(`step ${id}`));

const enabled = (page, selector) =>
  page.waitForFunction((s) => document.querySelector(s)?.disabled === false, selector, { timeout: TIMEOUT });

async function label(page) {
  // One taste, kept: the response with more happy words wins ("happy endings").
  const happy = /happy|smile|friend|hug|love|laugh|fun|play/gi;
  for (let i = 0; i < LABELS; i++) {
    await page.locator('.pair .response-text').first().waitFor({ timeout: TIMEOUT });
    await enabled(page, '[data-lesson="label"]');
    const [a, b] = await page.locator('.pair .response-text').allInnerTexts();
    const before = `${a}\n${b}`;
    const score = (t) => (t.match(happy) ?? []).length;
    await page.keyboard.press(score(a) > score(b) ? '1' : score(b) > score(a) ? '2' : a.length <= b.length ? '1' : '2');
    if (i === 11) await shot(page, 'lesson-2-label');
    if (i < LABELS - 1)
      await page.waitForFunction(
        (text) => {
          const shown = [...document.querySelectorAll('.pair .response-text')].map((e) => e.textContent).join('\n');
          return shown !== '' && shown !== text;
        },
        before,
        { timeout: TIMEOUT },
      );
  }
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  if (build) run('npx', ['vite', 'build']);
  if (modelsDir === null && !existsSync(join(ROOT, 'dist', 'models', 'manifest.json')))
    throw new Error('dist/models/manifest.json is missing: build with a model in public/models, or pass --models DIR');
  const { server, url } = await startPreview(port);
  const profile = mkdtempSync(join(tmpdir(), 'rlhf-lesson-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1440, height: 1000 },
    });
    if (modelsDir !== null) await routeModels(context, resolve(modelsDir));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => log('page error:', err.message));
    await page.goto(`${url}${SETUP}`);

    await onStep(page, 'generate');
    await enabled(page, '[data-lesson="generate"]');
    await page.fill('#prompt-text', 'Once upon a time, a little dog');
    await shot(page, 'lesson-1-generate');
    await page.click('[data-lesson="generate"]');

    await onStep(page, 'label');
    await label(page);

    await onStep(page, 'reward');
    await page.waitForTimeout(500);
    await shot(page, 'lesson-3-reward');
    // A training started in the background while labelling may end the step by itself; else Train.
    const tune = onStep(page, 'tune').catch(() => null);
    const button = enabled(page, '[data-lesson="reward"]').catch(() => null);
    await Promise.race([tune, button]);
    if ((await page.locator('.lesson-guide[data-lesson-step="reward"]').count()) > 0)
      await page.click('[data-lesson="reward"]');
    await tune;
    await enabled(page, '[data-lesson="tune"]');
    await page.click('[data-lesson="tune"]');
    // The link asks for 3 iterations a Play, fewer than the step waits for: Next once they ran.
    await page.waitForFunction(
      () =>
        document.querySelector('.budget-stop') !== null ||
        /so far/.test(document.querySelector('.tune-status')?.textContent ?? ''),
      null,
      { timeout: TIMEOUT },
    );
    await enabled(page, '[data-lesson="tune"]');
    await shot(page, 'lesson-4-tune');
    if ((await page.locator('.lesson-guide[data-lesson-step="tune"]').count()) > 0)
      await page.click('[data-lesson-next]');

    await onStep(page, 'compare');
    await enabled(page, '[data-lesson="compare"]');
    await page.click('[data-lesson="compare"]');
    for (let i = 0; ; i++) {
      const done = await page.locator('.lesson-guide[data-lesson-step="summary"]').count();
      if (done > 0) break;
      await page.locator('.blind .response-text').first().waitFor({ timeout: TIMEOUT });
      if (i === 0) await shot(page, 'lesson-5-compare');
      const before = await page.locator('.blind .label-prompt').innerText();
      await page
        .locator('.blind .actions button')
        .nth(i % 3 === 2 ? 1 : 0)
        .click();
      await page
        .waitForFunction(
          (text) =>
            document.querySelector('.lesson-guide[data-lesson-step="summary"]') !== null ||
            document.querySelector('.blind .label-prompt')?.textContent !== text,
          before,
          { timeout: TIMEOUT },
        )
        .catch(() => undefined);
    }
    await onStep(page, 'summary');
    await shot(page, 'lesson-6-summary');
  } finally {
    await context?.close();
    stopGroup(server);
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
