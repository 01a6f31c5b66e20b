/**
 * The Node side of `npm run bench -- --browser`: builds the bench page with Vite
 * (bench/vite.bench.config.ts), serves it with vite preview, opens it in headless Chromium and
 * runs the cases there, relaying the page's progress lines; the page hands back the same report
 * as the Node bench.
 */
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { BenchReport } from '../bench';
import { launchChromium } from './chromium';
import type { BrowserBenchRequest } from './protocol';

const CONFIG = fileURLToPath(new URL('../vite.bench.config.ts', import.meta.url));
// Away from vite preview's default (4173), which scripts/e2e.mjs uses; vite moves up if taken.
const PORT = 4191;

/** Runs `request` in the bench page; `log` receives the progress lines. */
export async function runInBrowser(request: BrowserBenchRequest, log: (line: string) => void): Promise<BenchReport> {
  log('browser: building the bench page (bench/vite.bench.config.ts)');
  await build({ configFile: CONFIG });
  const server = await preview({ configFile: CONFIG, preview: { host: '127.0.0.1', port: PORT } });
  const url = server.resolvedUrls?.local[0];
  const browser = await launchChromium();
  try {
    if (url === undefined) throw new Error('vite preview did not say where it serves the bench page');
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`browser: page error: ${err.message}`));
    await page.exposeFunction('benchLog', log);
    await page.goto(url);
    await page.waitForFunction(() => typeof window.runBench === 'function');
    log(`browser: ${await browser.version()}, running the cases in a worker`);
    return await page.evaluate((r) => {
      if (window.runBench === undefined) throw new Error('the bench page did not load');
      return window.runBench(r);
    }, request);
  } finally {
    await browser.close();
    await server.close();
  }
}
