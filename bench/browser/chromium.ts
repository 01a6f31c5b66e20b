/** The Chromium the browser bench drives: Debian's, with the flags of the browser test project. */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Playwright's own browser download cannot run here; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// As vite.config.ts's browser project and scripts/e2e.mjs; --enable-unsafe-webgpu exposes WebGPU.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** A browser on a profile of its own (a fresh directory): nothing cached from an earlier load. */
export function launchWithProfile(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}
