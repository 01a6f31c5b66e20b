// The one place Debian's Chromium and its flags are named: the browser test project
// (vite.config.ts), the end-to-end scripts and the browser bench all launch it with these.
// Playwright's own browser download cannot run here; CHROMIUM_PATH points elsewhere.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Headless, no sandbox (CI runs as root), nothing fetched in the background; WebGPU exposed.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];
