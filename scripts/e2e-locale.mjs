#!/usr/bin/env node
// The interface in each language, in headless Chromium from a fresh browser profile: opens the
// page with ?lang=zh-CN&lesson=off, visits the six stages (labelling a few pairs, training the
// reward model and tuning one iteration on the way, so every stage shows its content), opens the
// shortcut sheet and every collapsible part, and lists each English word in the visible text,
// aria-label, title, placeholder and alt outside an allow-list (scripts/lib/language-check.mjs).
// Text in an element marked lang="en" is the model's own English (prompts, responses, samples)
// and is skipped. Then the same walk in English, listing any Chinese. Writes screenshots of the
// six stages in Chinese to docs/screenshots/zh-CN/, and switches the Chinese page to English
// from the header (no reload, lang= follows). Exits 1, with the strings it found, if any.
//
//   node scripts/e2e-locale.mjs [--models DIR] [--no-build] [--port 4174] [--no-shots]
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
import { englishWords, hasHan } from './lib/language-check.mjs';

const SHOTS = join(ROOT, 'docs', 'screenshots', 'zh-CN');
const args = process.argv.slice(2);
const option = (name, fallback) => optionIn(args, name, fallback);
const modelsDir = option('--models', null);
const port = Number(option('--port', '4174'));
const build = !args.includes('--no-build');
const shots = !args.includes('--no-shots');
const SETUP = 'lesson=off&backend=wasm&seed=3&tokens=16&ppi=2&spp=2&iters=1';
const STEP_TIMEOUT = 180_000;

const log = (...parts) => console.log(`[e2e-locale ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const stage = (page, name) => page.locator(`.stage-rail button[data-stage="${name}"]`);

/**
 * Every piece of text a person can read or hear on the page now: text nodes that are rendered,
 * and aria-label, title, placeholder and alt. Text inside an element whose lang differs from the
 * page's is skipped (the model's English; each language's name on the switch).
 */
function collect() {
  const pageLang = document.documentElement.lang;
  const foreign = (el) => {
    const host = el.closest('[lang]');
    return host !== null && host !== document.documentElement && host.getAttribute('lang') !== pageLang;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e !== null && e !== document.body && parts.length < 3; e = e.parentElement) {
      const cls =
        typeof e.className === 'string' && e.className.trim() !== '' ? `.${e.className.trim().split(/\s+/)[0]}` : '';
      parts.unshift(`${e.tagName.toLowerCase()}${e.id === '' ? '' : `#${e.id}`}${cls}`);
    }
    return parts.join(' > ');
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (text === '' || el === null || foreign(el)) continue;
    if (el.closest('script, style, noscript') !== null) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    found.push({ where: where(el), text });
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (foreign(el)) continue;
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(attr);
      if (v !== null && v.trim() !== '') found.push({ where: `${where(el)} [${attr}]`, text: v.trim() });
    }
  }
  found.push({ where: 'document.title', text: document.title });
  return found;
}

/** What is not in the page's language: English words in Chinese, Han characters in English. */
function strays(locale, items) {
  const out = [];
  for (const { where, text } of items) {
    if (locale === 'zh-CN') {
      const words = englishWords(text);
      if (words.length > 0) out.push({ where, text, words });
    } else if (hasHan(text)) out.push({ where, text });
  }
  return out;
}

/** Opens every collapsed part, and returns a function that closes them again. */
async function openEverything(page) {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details:not([open])')) {
      d.open = true;
      d.dataset.openedForCheck = '';
    }
  });
  return () =>
    page.evaluate(() => {
      for (const d of document.querySelectorAll('details[data-opened-for-check]')) {
        d.open = false;
        delete d.dataset.openedForCheck;
      }
    });
}

async function walk(page, url, locale, report) {
  const seen = new Map();
  const note = async (place) => {
    const close = await openEverything(page);
    const items = await page.evaluate(collect);
    await close();
    for (const s of strays(locale, items)) {
      const key = `${s.where}|${s.text}`;
      if (!seen.has(key)) seen.set(key, { place, ...s });
    }
  };
  const shot = async (name) => {
    if (!shots || locale !== 'zh-CN') return;
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    log(`screenshot docs/screenshots/zh-CN/${name}.png`);
  };
  await page.goto(`${url}?lang=${locale}&${SETUP}`);
  await page.locator('.badge-name').waitFor({ timeout: STEP_TIMEOUT });
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== locale) throw new Error(`<html lang> is "${lang}", the link asks for ${locale}`);
  await page.locator('.model-params').waitFor({ timeout: STEP_TIMEOUT });
  await shot('model');
  await note('model');

  await stage(page, 'label').click();
  for (const key of ['1', '2', '1', '3', '2', '1']) {
    await page.locator('.pair .response-text').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.waitForFunction(
      () => [...document.querySelectorAll('.label-actions button')].some((b) => !b.disabled),
      null,
      { timeout: STEP_TIMEOUT },
    );
    await page.keyboard.press(key);
    await page.waitForTimeout(300);
  }
  await page.locator('.pair .response-text').first().waitFor({ timeout: STEP_TIMEOUT });
  await shot('label');
  await note('label');
  await page.keyboard.press('?');
  await page.locator('dialog[open]').waitFor({ timeout: 10_000 });
  await note('shortcut sheet');
  await page.keyboard.press('Escape');

  await stage(page, 'reward').click();
  await page.locator('.stage-panel button.primary').first().click();
  await page
    .waitForFunction(
      () =>
        document.querySelector('.stage-rail button[data-stage="reward"] .stage-count')?.textContent?.match(/^[1-9]/),
      null,
      {
        timeout: STEP_TIMEOUT,
      },
    )
    .catch(() => log('the reward model did not finish training in time'));
  await page.waitForTimeout(1000);
  await shot('reward');
  await note('reward');

  await stage(page, 'tune').click();
  await page.locator('.transport button.primary').first().click();
  await page
    .waitForFunction(
      () => document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent?.match(/^[1-9]/),
      null,
      {
        timeout: STEP_TIMEOUT,
      },
    )
    .catch(() => log('no tuning iteration finished in time'));
  await page.waitForTimeout(1500);
  await shot('tune');
  await note('tune');

  await stage(page, 'compare').click();
  await page.waitForTimeout(1000);
  await shot('compare');
  await note('compare');

  await stage(page, 'data').click();
  await page
    .locator('.label-table')
    .waitFor({ timeout: 30_000 })
    .catch(() => log('no label table shown'));
  await shot('data');
  await note('data');

  // The experiments: the list, and one experiment's page before it runs.
  await page.goto(`${url}?lang=${locale}&${SETUP}&experiment=all`);
  await page.locator('.experiment-list').waitFor({ timeout: STEP_TIMEOUT });
  await note('experiments');
  await page.locator('.experiment-open').first().click();
  await page.locator('.experiment-controls').waitFor({ timeout: STEP_TIMEOUT });
  await shot('experiment');
  await note('experiment');

  // Every step of the guided first run, moved through with its Next button.
  await page.goto(`${url}?lang=${locale}&${SETUP.replace('lesson=off', 'lesson=intro')}`);
  for (let step = 1; ; step++) {
    await page.locator('.lesson-guide').waitFor({ timeout: STEP_TIMEOUT });
    if (step === 1) await shot('lesson');
    await note(`guided run, step ${step}`);
    const next = page.locator('[data-lesson-next]');
    if ((await next.count()) === 0 || step >= 10) break;
    const id = await page.locator('.lesson-guide').getAttribute('data-lesson-step');
    await next.click();
    const moved = await page
      .waitForFunction(
        (before) => document.querySelector('.lesson-guide')?.getAttribute('data-lesson-step') !== before,
        id,
        { timeout: 10_000 },
      )
      .then(() => true)
      .catch(() => false);
    if (!moved || (await page.locator('.lesson-guide').count()) === 0) break;
  }
  report.lessonSteps = (report.lessonSteps ?? 0) + 1;

  if (locale === 'zh-CN') await switchToEnglish(page);
  report[locale] = [...seen.values()];
}

/** The header switch changes the language at once, without a reload, and keeps lang= in step. */
async function switchToEnglish(page) {
  const before = await page.locator('.stage-rail button[data-stage="tune"] .stage-count').innerText();
  await page.evaluate(() => {
    window.__notReloaded = true;
  });
  await page.locator('.language-switch button[lang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10_000 });
  const after = await page.evaluate(() => ({
    kept: window.__notReloaded === true,
    rail: document.querySelector('.stage-rail button[data-stage="model"]')?.textContent ?? '',
    tune: document.querySelector('.stage-rail button[data-stage="tune"] .stage-count')?.textContent ?? '',
    query: location.search,
  }));
  if (!after.kept) throw new Error('switching the language reloaded the page');
  if (!after.rail.includes('Model')) throw new Error(`after the switch the stage rail reads "${after.rail}"`);
  if (!after.query.includes('lang=en')) throw new Error(`after the switch the address is "${after.query}"`);
  log(`switched to English without a reload: tune count "${before}" -> "${after.tune}", address ${after.query}`);
}

async function main() {
  if (shots) mkdirSync(SHOTS, { recursive: true });
  if (build) run('npx', ['vite', 'build']);
  if (modelsDir === null && !existsSync(join(ROOT, 'dist', 'models', 'manifest.json')))
    throw new Error('dist/models/manifest.json is missing: build with a model in public/models, or pass --models DIR');
  const { server, url } = await startPreview(port);
  const report = {};
  try {
    for (const locale of ['zh-CN', 'en']) {
      // A fresh profile for each language: no saved choice, no labels from the other walk.
      const profile = mkdtempSync(join(tmpdir(), 'rlhf-locale-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 1440, height: 1000 },
        locale: 'en-US',
      });
      try {
        if (modelsDir !== null) await routeModels(context, resolve(modelsDir));
        const page = context.pages()[0] ?? (await context.newPage());
        page.on('pageerror', (err) => log('page error:', err.message));
        await walk(page, url, locale, report);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    stopGroup(server);
  }
  let failed = false;
  delete report.lessonSteps;
  for (const [locale, found] of Object.entries(report)) {
    const what = locale === 'zh-CN' ? 'English in the Chinese page' : 'Chinese in the English page';
    if (found.length === 0) {
      log(`${locale}: none found (${what})`);
      continue;
    }
    failed = true;
    log(`${locale}: ${found.length} strings with ${what}:`);
    for (const f of found)
      console.log(`  [${f.place}] ${f.where}: ${JSON.stringify(f.text)}${f.words ? `  <- ${f.words.join(', ')}` : ''}`);
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(`e2e-locale failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
