/** The Chromium the browser bench drives: Debian's, with the flags of the browser test project. */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium-flags.mjs';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** A browser on a profile of its own (a fresh directory): nothing cached from an earlier load. */
export function launchWithProfile(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}
