/**
 * Cold start of the real app: from navigation to the first generated token, each load on a fresh
 * browser profile (no HTTP cache, no compiled WASM, no IndexedDB). The app is built with
 * `npx vite build` into a temporary folder (dist/ is left alone) and served with vite preview;
 * each load opens `?backend=NAME` (wasm by default, as scripts/e2e.mjs does), types a prompt and
 * presses Generate as soon as it is enabled, as a person would.
 *
 * The times come from the engine worker's own messages, seen on the page: an init script wraps
 * the Worker constructor before the app runs and marks (performance.mark, so relative to
 * navigation start) the first `ready` event (backend started), the `result` that carries the
 * loaded model, the `generate` request, and the first `progress` event of the generate phase,
 * which the worker posts as soon as the first token is sampled. The app itself needs no bench code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { preview } from 'vite';
import type { BackendName } from '../../src/engine/backend';
import { median } from '../stats';
import type { Row } from '../types';
import { launchWithProfile } from './chromium';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PORT = 4192;
const PROMPT = 'Once upon a time';
const LOAD_TIMEOUT_MS = 180_000;

/** Milliseconds from navigation start to each stage of one load. */
export interface ColdStartLoad {
  /** The page's load event: HTML, scripts and styles in. */
  pageLoadMs: number;
  /** The engine worker reports its backend started. */
  workerReadyMs: number;
  /** The default model is fetched and built in the worker. */
  modelLoadedMs: number;
  /** The Generate press reaches the worker: the driver clicks as soon as the button is enabled. */
  generateSentMs: number;
  /** The first token is sampled. */
  firstTokenMs: number;
}

export interface ColdStart {
  backend: BackendName;
  loads: ColdStartLoad[];
  /** The median of each stage over the loads. */
  median: ColdStartLoad;
}

type Stage = keyof ColdStartLoad;

// Plain JavaScript, run in the page before the app: tsx would add helpers to a serialised function.
const INSTRUMENT_WORKER = `(() => {
  const Base = window.Worker;
  const mark = (name) => { if (performance.getEntriesByName(name).length === 0) performance.mark(name); };
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      if (options?.name !== 'engine') return;
      this.addEventListener('message', (event) => {
        const e = event.data;
        if (e?.type === 'ready') mark('cold:workerReadyMs');
        if (e?.type === 'result' && e.result?.kind === 'model') mark('cold:modelLoadedMs');
        if (e?.type === 'progress' && e.phase === 'generate' && e.loaded >= 1) mark('cold:firstTokenMs');
      });
    }
    postMessage(...args) {
      if (args[0]?.type === 'generate') mark('cold:generateSentMs');
      return super.postMessage(...args);
    }
  };
})();`;

const hasMark = (page: Page, name: string) =>
  page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: LOAD_TIMEOUT_MS });

async function oneLoad(url: string): Promise<ColdStartLoad> {
  const profile = mkdtempSync(join(tmpdir(), 'rlhf-cold-start-'));
  const context = await launchWithProfile(profile);
  try {
    await context.addInitScript({ content: INSTRUMENT_WORKER });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    // Typed while the model loads, as a person would. Waiting for the enabled button polls every
    // frame; a click's own wait for it retries only every 500 ms, which would be counted.
    await page.fill('#prompt-text', PROMPT, { timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(
      () => document.querySelector<HTMLButtonElement>('.prompt-box button[type="submit"]')?.disabled === false,
      null,
      { timeout: LOAD_TIMEOUT_MS, polling: 'raf' },
    );
    await page.click('.prompt-box button[type="submit"]');
    await hasMark(page, 'cold:firstTokenMs');
    // No named helpers inside: tsx would wrap them in a __name() the page does not have.
    const seen = await page.evaluate(() => ({
      load: performance.getEntriesByType('navigation').map((e) => (e as PerformanceNavigationTiming).loadEventEnd),
      marks: performance.getEntriesByType('mark').map((e): [string, number] => [e.name, e.startTime]),
    }));
    const marks = new Map(seen.marks);
    const at = (stage: Stage) => marks.get(`cold:${stage}`) ?? Number.NaN;
    return {
      pageLoadMs: seen.load[0] ?? Number.NaN,
      workerReadyMs: at('workerReadyMs'),
      modelLoadedMs: at('modelLoadedMs'),
      generateSentMs: at('generateSentMs'),
      firstTokenMs: at('firstTokenMs'),
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The app built into `outDir` with its own vite.config.ts, as `npm run build` builds it. */
function buildApp(outDir: string): void {
  const built = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`npx vite build failed with status ${built.status}`);
}

/** Builds the app, then loads it `loads` times on fresh profiles; the medians are the figures. */
export async function measureColdStart(
  loads: number,
  backend: BackendName,
  log: (line: string) => void,
): Promise<ColdStart> {
  const outDir = mkdtempSync(join(tmpdir(), 'rlhf-cold-start-app-'));
  const all: ColdStartLoad[] = [];
  try {
    log(`cold start: building the app (npx vite build --outDir ${outDir})`);
    buildApp(outDir);
    const server = await preview({
      root: ROOT,
      build: { outDir },
      preview: { host: '127.0.0.1', port: PORT },
      logLevel: 'warn',
    });
    try {
      const url = `${server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${PORT}/`}?lesson=off&backend=${backend}`;
      for (let i = 0; i < loads; i++) {
        all.push(await oneLoad(url));
        log(`cold start: load ${i + 1}/${loads}: first token at ${all[i].firstTokenMs.toFixed(0)} ms`);
      }
    } finally {
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const of = (stage: Stage) => median(all.map((l) => l[stage]));
  const med = {
    pageLoadMs: of('pageLoadMs'),
    workerReadyMs: of('workerReadyMs'),
    modelLoadedMs: of('modelLoadedMs'),
    generateSentMs: of('generateSentMs'),
    firstTokenMs: of('firstTokenMs'),
  };
  return { backend, loads: all, median: med };
}

/** The cold-start rows of the printed table. */
export function coldStartRows(c: ColdStart): Row[] {
  const m = c.median;
  const note = `median of ${c.loads.length} loads, fresh profile each, ?backend=${c.backend}`;
  return [
    { metric: 'page loaded', value: m.pageLoadMs, unit: 'ms', note: 'from navigation start' },
    { metric: 'engine worker ready', value: m.workerReadyMs, unit: 'ms', note: 'backend started' },
    {
      metric: 'model loaded',
      value: m.modelLoadedMs,
      unit: 'ms',
      note: 'manifest, tokenizer, weights, built, warmed up',
    },
    {
      metric: 'Generate pressed',
      value: m.generateSentMs,
      unit: 'ms',
      note: 'the driver clicks as soon as it is enabled',
    },
    { metric: 'coldStartMs: first token', value: m.firstTokenMs, unit: 'ms', note },
  ];
}
