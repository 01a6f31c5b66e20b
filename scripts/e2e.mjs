#!/usr/bin/env node
// End-to-end run of the playground in headless Chromium, from a fresh browser profile:
// build with `vite build`, serve with `vite preview`, label 12 pairs by keyboard, train the
// reward model, run 3 PPO iterations while measuring long tasks on the main thread, see the
// charts update, change beta and step once, reload and step once more (the KL chart must carry on
// where it was: the run's reference is still its base, not the tuned policy), find the labels and
// the tuned checkpoint intact and the reward model put back from its checkpoint (not retrained)
// and still scoring text, compare base against tuned, and write a screenshot of every stage to
// docs/screenshots/.
//
//   node scripts/e2e.mjs [--models DIR] [--backend NAME] [--no-build] [--port 4173]
//
// --models DIR serves the models from DIR (a manifest.json and the files it names) instead of
// the built public/models, e.g. a throwaway model made for testing.
// --backend NAME narrows the backend ladder (?backend=). Default: wasm, because headless Chromium
// on a machine without a GPU gets WebGPU on a software rasteriser (SwiftShader), about 40 times
// slower than WASM here; `--backend ladder` lets the app's own ladder choose.
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
const port = Number(option('--port', '4173'));
const build = !args.includes('--no-build');
const backendOption = option('--backend', 'wasm');
const backend = backendOption === 'ladder' ? null : backendOption;
// Small settings, so three PPO iterations fit in a test on a shared two-core machine.
const SETUP = '?lesson=off&stage=label&seed=3&tokens=24&ppi=2&spp=2&iters=3';
const LABELS = 12;
const ITERATIONS = 3;
const STEP_TIMEOUT = 240_000;

const log = (...parts) => console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const report = {};

const stage = (page, name) => page.locator(`.stage-rail button[data-stage="${name}"]`);
const stageCount = (page, name) => stage(page, name).locator('.stage-count').innerText();

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  log(`screenshot docs/screenshots/${name}.png`);
}

/**
 * Marks words on the pair on screen as a person would: a mouse drag across A's first two words
 * marked good (G), then the keyboard (Escape, M, down to B, Shift+right) marking B's first two words bad;
 * the summary under the pair must name both.
 */
async function markWords(page) {
  const words = (side) => page.locator('.pair .response').nth(side).locator('.word');
  const box = async (w) => {
    const b = await w.boundingBox();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const [from, to] = [await box(words(0).nth(0)), await box(words(0).nth(1))];
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('g');
  for (const key of ['Escape', 'm', 'ArrowDown', 'Shift+ArrowRight', 'b']) await page.keyboard.press(key);
  const summary = await page.locator('.mark-summary').innerText({ timeout: STEP_TIMEOUT });
  const expected = [`A good: “${await words(0).nth(0).innerText()}`, `B bad: “${await words(1).nth(0).innerText()}`];
  for (const part of expected)
    if (!summary.includes(part)) throw new Error(`marks not shown: ${JSON.stringify(summary)} lacks ${part}`);
  if (
    (await page.locator('.pair .word.mark-good').count()) !== 2 ||
    (await page.locator('.pair .word.mark-bad').count()) !== 2
  )
    throw new Error('two words of A marked good and two of B marked bad were expected');
  report.marks = summary;
  log(`marked words: ${summary}`);
}

/** The marks stored with the oldest comparison, read from IndexedDB itself. */
function storedMarks(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('rlhf-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('comparisons').objectStore('comparisons').getAll();
          all.onsuccess = () => {
            const first = all.result.sort((x, y) => x.id - y.id)[0];
            open.result.close();
            resolve(first?.marks ?? null);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

async function labelPairs(page) {
  const keys = ['1', '2', '1', '3', '2', '1', '1', '2', '3', '2', '1', '2'];
  const started = Date.now();
  for (let i = 0; i < LABELS; i++) {
    await page.locator('.pair .response-text').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.waitForFunction(
      () => [...document.querySelectorAll('.label-actions button')].some((b) => !b.disabled),
      null,
      { timeout: STEP_TIMEOUT },
    );
    const before = await page.locator('.pair').innerText();
    if (i === 0) await markWords(page);
    await page.keyboard.press(keys[i]);
    await page.waitForFunction(
      (n) =>
        document.querySelector('.stage-rail button[data-stage="label"] .stage-count')?.textContent ===
        `${n} label${n === 1 ? '' : 's'}`,
      i + 1,
      { timeout: STEP_TIMEOUT },
    );
    if (i < LABELS - 1)
      await page.waitForFunction(
        (text) =>
          document.querySelector('.pair')?.textContent !== undefined &&
          document.querySelector('.pair')?.innerText !== text,
        before,
        { timeout: STEP_TIMEOUT },
      );
  }
  const marks = await storedMarks(page);
  if (!Array.isArray(marks) || marks.length !== 2 || marks[0].side !== 'a' || marks[1].polarity !== -1)
    throw new Error(`the first label was stored without its two marks: ${JSON.stringify(marks)}`);
  report.labellingSeconds = (Date.now() - started) / 1000;
  log(`labelled ${LABELS} pairs by keyboard in ${report.labellingSeconds.toFixed(1)} s`);
}

async function trainReward(page) {
  await stage(page, 'reward').click();
  await page
    .getByRole('button', { name: /Train now|Training/ })
    .first()
    .click();
  await page.waitForFunction(
    (n) => document.querySelector('.stage-panel [role="status"]')?.textContent?.includes(`Trained on ${n} labels`),
    LABELS,
    { timeout: STEP_TIMEOUT },
  );
  report.rewardAccuracyText = await page
    .locator('.reward-accuracy')
    .innerText()
    .catch(() => null);
  log('reward model trained:', report.rewardAccuracyText ?? '');
  // Background trainings may still be under way: wait for them, so the count below is final.
  await page.getByRole('button', { name: 'Train now' }).waitFor({ timeout: STEP_TIMEOUT });
  report.rewardTrainings = await stageCount(page, 'reward');
  await shot(page, 'reward');
}

async function tune(page) {
  await stage(page, 'tune').click();
  const seed = await page.locator('#tune-seed').inputValue();
  if (seed !== '3') throw new Error(`the seed field shows "${seed}", but the address says seed=3`);
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__frames = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
    // Long animation frames say which script ran, so a long task can be traced to its cause.
    try {
      new PerformanceObserver((list) => {
        for (const f of list.getEntries()) {
          if (f.duration <= 50) continue;
          window.__frames.push({
            duration: Math.round(f.duration),
            scripts: (f.scripts ?? []).map(
              (x) => `${x.invoker} ${x.sourceFunctionName ?? ''} ${Math.round(x.duration)}ms`,
            ),
          });
        }
      }).observe({ type: 'long-animation-frame' });
    } catch {
      // not supported in this browser
    }
  });
  const klBefore = await page.locator('.chart').nth(1).locator('.chart-latest').innerText();
  const started = Date.now();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent === `${n} iterations`,
    ITERATIONS,
    { timeout: STEP_TIMEOUT * 2 },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: STEP_TIMEOUT });
  report.tuneSeconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => window.__longTasks);
  report.longFrames = await page.evaluate(() => window.__frames);
  report.longTasks = {
    count: longTasks.length,
    maxMs: longTasks.length === 0 ? 0 : Math.max(...longTasks),
    over50ms: longTasks.filter((d) => d > 50).length,
  };
  const klAfter = await page.locator('.chart').nth(1).locator('.chart-latest').innerText();
  const points = await page.locator('.chart .u-over').count();
  if (klAfter === klBefore || !/\d/.test(klAfter))
    throw new Error(`the KL chart did not update (before "${klBefore}", after "${klAfter}")`);
  report.chartsUpdated = { klBefore, klAfter, charts: points };
  log(
    `tuned ${ITERATIONS} iterations in ${report.tuneSeconds.toFixed(1)} s; long tasks: ${JSON.stringify(report.longTasks)}`,
  );
  await page.locator('.token').first().focus();
  await shot(page, 'tune');
}

/** The KL chart's latest value, as the chart shows it. */
async function latestKl(page) {
  const text = await page.locator('.chart').nth(1).locator('.chart-latest').innerText();
  const value = Number(/KL: (\S+)/.exec(text)?.[1]);
  if (!Number.isFinite(value)) throw new Error(`the KL chart shows "${text}"`);
  return value;
}

/**
 * One more iteration (Step), then the KL chart must carry on where it was: a run's reference is its
 * base, so neither a settings change nor a reload may bring the KL back to about 0.
 */
async function stepAndCheckKl(page, iterations, after) {
  await stage(page, 'tune').click();
  const before = await latestKl(page);
  await page.getByRole('button', { name: 'Step one iteration' }).click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent === `${n} iterations`,
    iterations,
    { timeout: STEP_TIMEOUT },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: STEP_TIMEOUT });
  const next = await latestKl(page);
  if (Math.abs(next) < Math.max(1e-4, 0.1 * Math.abs(before)))
    throw new Error(`the KL chart went back to about 0 after ${after}: ${before} before, ${next} after`);
  report.klContinues = [...(report.klContinues ?? []), { after, before, next }];
  log(`KL after ${after}: ${before} -> ${next}`);
}

/** Mid-tuning: a settings change (beta), then a reload, each followed by one more iteration. */
async function changeSettingsAndReload(page) {
  await stage(page, 'tune').click();
  const beta = page.locator('#tune-beta');
  await beta.fill(String(Number(await beta.inputValue()) + 0.02));
  await beta.press('Tab');
  await stepAndCheckKl(page, ITERATIONS + 1, 'a settings change');
  await page.reload();
  await page.waitForFunction(
    (n) =>
      document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent === `${n} iterations`,
    ITERATIONS + 1,
    { timeout: STEP_TIMEOUT },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: STEP_TIMEOUT });
  await stepAndCheckKl(page, ITERATIONS + 2, 'a reload');
}

async function checkAfterReload(page) {
  await page.reload();
  await page.waitForFunction(
    (n) => document.querySelector('.stage-rail button[data-stage="label"] .stage-count')?.textContent === `${n} labels`,
    LABELS,
    { timeout: STEP_TIMEOUT },
  );
  await page.waitForFunction(
    (n) =>
      document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent === `${n} iterations`,
    ITERATIONS + 2,
    { timeout: STEP_TIMEOUT },
  );
  await stage(page, 'model').click();
  const current = page.locator('.saved-list li', { hasText: 'in use' });
  await current.waitFor({ timeout: STEP_TIMEOUT });
  report.afterReload = { labels: LABELS, checkpoint: (await current.innerText()).replace(/\s+/g, ' ') };
  if (!report.afterReload.checkpoint.includes(`after ${ITERATIONS + 2} iterations`))
    throw new Error(`the current checkpoint after reload is "${report.afterReload.checkpoint}"`);
  log('after reload: labels and checkpoint intact:', report.afterReload.checkpoint);
  await shot(page, 'model');
}

/** After the reload: the reward model is the saved one (no new training) and still scores text. */
async function checkRewardRestored(page) {
  await stage(page, 'reward').click();
  const status = page.locator('.stage-panel [role="status"]').first();
  await page.waitForFunction(
    () => document.querySelector('.stage-panel [role="status"]')?.textContent?.includes('put back after the reload'),
    null,
    { timeout: STEP_TIMEOUT },
  );
  const trainings = await stageCount(page, 'reward');
  if (trainings !== report.rewardTrainings)
    throw new Error(
      `the reward model was retrained after the reload (${report.rewardTrainings} before, ${trainings} after)`,
    );
  await page.locator('#score-prompt').fill('Once upon a time');
  await page.locator('#score-response').fill(' there was a happy dog who found a friend.');
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await page.waitForFunction(
    () => /Reward -?\d/.test(document.querySelector('.score-result')?.textContent ?? ''),
    null,
    { timeout: STEP_TIMEOUT },
  );
  report.rewardAfterReload = {
    status: (await status.innerText()).trim(),
    trainings,
    score: await page.locator('.score-result').innerText(),
  };
  log('after reload: reward model restored, not retrained:', report.rewardAfterReload.score);
}

async function compare(page) {
  await stage(page, 'compare').click();
  await page.getByRole('button', { name: 'Compare on held-out prompts' }).click();
  await page.locator('.win-rate').waitFor({ timeout: STEP_TIMEOUT * 2 });
  report.compare = await page.locator('.compare-summary').innerText();
  log('compare:', report.compare.replace(/\s+/g, ' '));
  // With a simulated labeler as the yardstick, the page also says how often the reward model
  // orders the pairs as that labeler's gold score does.
  await page.locator('#compare-yardstick').selectOption('happy-endings');
  await page.getByRole('button', { name: 'Compare on held-out prompts' }).click();
  const agreement = page.locator('.compare-summary .agreement');
  await agreement.waitFor({ timeout: STEP_TIMEOUT * 2 });
  report.compareAgreement = await agreement.innerText();
  if (!/orders \d+% of the \d+ pairs the gold score tells apart/.test(report.compareAgreement))
    throw new Error(`the Compare stage's agreement line reads: ${report.compareAgreement}`);
  log('compare, yardstick happy-endings:', report.compareAgreement);
  await shot(page, 'compare');
}

/**
 * After the reload: a point of the KL chart opens to the samples of its iteration (stored with the
 * run), by keyboard and by a click, and a point of the reward model's accuracy chart to its held-out pairs.
 */
async function openChartPoints(page) {
  await stage(page, 'tune').click();
  const kl = page.locator('.chart').nth(1).locator('.chart-plot.pickable');
  await kl.focus();
  await kl.press('Home');
  await kl.press('Enter');
  await page.waitForFunction(
    () => document.querySelector('#samples-heading')?.textContent === 'Samples of iteration 1',
    null,
    { timeout: STEP_TIMEOUT },
  );
  const rows = await page.locator('.sample-stream .sample .meta').allInnerTexts();
  if (rows.length === 0 || !rows.every((r) => r.startsWith('Iteration 1 ')))
    throw new Error(`iteration 1's samples after the reload: ${JSON.stringify(rows)}`);
  await page.locator('.token-view .token').first().waitFor({ timeout: STEP_TIMEOUT });
  await shot(page, 'chart-point');
  const over = await kl.locator('.u-over').boundingBox();
  await page.mouse.click(over.x + over.width - 2, over.y + over.height / 2);
  await page
    .waitForFunction(
      (n) => document.querySelector('#samples-heading')?.textContent === `Samples of iteration ${n}`,
      ITERATIONS + 2,
      { timeout: 20_000 },
    )
    .catch(async (err) => {
      const heading = await page.locator('#samples-heading').innerText();
      throw new Error(`a click on the KL chart's last point opened "${heading}" (${JSON.stringify(over)}): ${err}`);
    });
  report.chartPoint = { keyboard: rows.length, clicked: ITERATIONS + 2 };
  await page.getByRole('button', { name: 'Back to the latest samples' }).click();

  await stage(page, 'reward').click();
  const accuracy = page.locator('.chart').nth(1).locator('.chart-plot.pickable');
  await accuracy.focus();
  await accuracy.press('End');
  await accuracy.press('Enter');
  await page.locator('#held-out-heading').waitFor({ timeout: STEP_TIMEOUT });
  report.chartPoint.rewardPairs = await page.locator('.held-out-pairs tbody tr').count();
  log('chart points open after the reload:', JSON.stringify(report.chartPoint));
}

/** The presentation layout as a projector shows it: the first screen at 1280x720, not the whole page. */
async function presentationLayout(page, url) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${url}?lesson=off&stage=tune&present=1${backend === null ? '' : `&backend=${backend}`}`);
  await page.locator('.app.present .chart-plot canvas').first().waitFor({ timeout: STEP_TIMEOUT });
  await page.screenshot({ path: join(SHOTS, 'present.png') });
  log('screenshot docs/screenshots/present.png');
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  if (build) run('npx', ['vite', 'build']);
  if (modelsDir === null && !existsSync(join(ROOT, 'dist', 'models', 'manifest.json'))) {
    throw new Error(
      'dist/models/manifest.json is missing: train or copy a model into public/models, or pass --models DIR',
    );
  }
  const { server, url } = await startPreview(port);
  const profile = mkdtempSync(join(tmpdir(), 'rlhf-e2e-'));
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
    await page.goto(`${url}${SETUP}${backend === null ? '' : `&backend=${backend}`}`);
    report.backend = await page.locator('.badge-name').innerText({ timeout: STEP_TIMEOUT });
    log(`backend: ${report.backend}`);
    await labelPairs(page);
    await page.locator('.pair .response-text').first().waitFor({ timeout: STEP_TIMEOUT });
    await shot(page, 'label');
    await page.keyboard.press('?');
    await shot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    await trainReward(page);
    await tune(page);
    await changeSettingsAndReload(page);
    await checkAfterReload(page);
    await checkRewardRestored(page);
    await openChartPoints(page);
    await compare(page);
    await stage(page, 'data').click();
    await page.locator('.label-table').waitFor({ timeout: STEP_TIMEOUT });
    await shot(page, 'data');
    await presentationLayout(page, url);
    console.log(JSON.stringify(report, null, 2));
    if (report.longTasks.over50ms > 0)
      log(
        `NOTE: ${report.longTasks.over50ms} long task(s) over 50 ms during the PPO run (max ${report.longTasks.maxMs.toFixed(0)} ms).`,
      );
  } finally {
    await context?.close();
    stopGroup(server);
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`e2e failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
