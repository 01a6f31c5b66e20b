#!/usr/bin/env node
// Renders the app's PNG icons from public/icons/icon.svg with headless Chromium, into public/icons/:
// the manifest's 192 and 512 px icons (transparent corners), a maskable 512 px icon and the
// 180 px Apple touch icon (both full-bleed: drawn smaller on its own blue, so a platform's mask
// never cuts into the drawing). Run it again after changing the SVG, and commit the PNGs.
//
//   node scripts/render-icons.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ROOT } from './lib/e2e-common.mjs';

const DIR = join(ROOT, 'public', 'icons');
const BLUE = '#0a4fa3';
const svg = `data:image/svg+xml;base64,${readFileSync(join(DIR, 'icon.svg')).toString('base64')}`;

const ICONS = [
  { file: 'icon-192.png', size: 192, scale: 1, background: null },
  { file: 'icon-512.png', size: 512, scale: 1, background: null },
  { file: 'icon-maskable-512.png', size: 512, scale: 0.7, background: BLUE },
  { file: 'apple-touch-icon-180.png', size: 180, scale: 0.8, background: BLUE },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
try {
  for (const { file, size, scale, background } of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const side = Math.round(size * scale);
    await page.setContent(
      `<body style="margin:0;display:grid;place-items:center;width:${size}px;height:${size}px;background:${background ?? 'transparent'}">` +
        `<img src="${svg}" width="${side}" height="${side}"></body>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: join(DIR, file), omitBackground: background === null });
    await page.close();
    console.log(`public/icons/${file} (${size} px)`);
  }
} finally {
  await browser.close();
}
