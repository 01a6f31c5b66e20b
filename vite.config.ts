/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { VitePWA } from 'vite-plugin-pwa';
// Debian's Chromium and its flags: playwright's own browser download cannot run here (no network).
import { CHROMIUM_ARGS as chromiumArgs, CHROMIUM_PATH as chromiumPath } from './scripts/lib/chromium-flags.mjs';

// Pre-bundled so the dev server and vitest's browser mode never reload mid-run on discovery: every
// runtime dependency the browser code imports (a fresh clone's CI run found uplot mid-run).
const prebundled = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-cpu',
  'idb',
  'uplot',
];

const MiB = 1024 * 1024;

/**
 * The default model's files (paths under public/ and dist/), which the service worker precaches so
 * the app opens offline on it, and Workbox's per-file size limit raised just enough for them.
 * The manifest is read here without the app's checks (src/workers/manifest.ts), which would make
 * this config import TypeScript sources; a bad manifest fails the build all the same.
 */
function defaultModelPrecache(): { files: string[]; maxFileBytes: number } {
  const manifestPath = 'public/models/manifest.json';
  if (!existsSync(manifestPath)) return { files: [], maxFileBytes: 2 * MiB };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.models?.find((m: { id: string }) => m.id === manifest.default);
  if (entry === undefined) throw new Error(`${manifestPath}: the default model "${manifest.default}" is not listed`);
  // What the engine fetches to load a model, relative to the manifest (modelFileUrls in src/ui/offline.ts).
  const files = [entry.tokenizer, entry.checkpoint, entry.card].map((path: string) =>
    new URL(path, 'http://build/models/manifest.json').pathname.slice(1),
  );
  const largest = Math.max(...files.map((file) => statSync(`public/${file}`).size));
  // Whole MiB, and never below Workbox's own 2 MiB default.
  return { files, maxFileBytes: Math.max(2, Math.ceil(largest / MiB)) * MiB };
}

const precachedModel = defaultModelPrecache();

/**
 * The cache the service worker keeps the other shipped models in once they are used, named after
 * the content of every file under public/models/ that is not precached: a new version of any of
 * them gets a new cache, so it is fetched again rather than served from the old copy (the page
 * deletes the old cache, src/ui/offline-state.svelte.ts). The precached default model is
 * revisioned by Workbox itself.
 */
function modelsCacheName(): string {
  const root = 'public/models';
  if (!existsSync(root)) return 'models-none';
  const hash = createHash('sha256');
  const precached = new Set(precachedModel.files.map((file) => `public/${file}`));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]))
      .sort();
  for (const file of walk(root).filter((f) => !precached.has(f) && f !== `${root}/manifest.json`)) {
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return `models-${hash.digest('hex').slice(0, 12)}`;
}

const modelsCache = modelsCacheName();

// The installable app: a web app manifest, and a service worker (built only by `vite build`) that
// precaches the app, the WASM binaries and the default model, and keeps other shipped models once
// they are used. A new version waits until the person reloads (src/ui/offline-state.svelte.ts).
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  devOptions: { enabled: false },
  // The icons are precached with the other images below.
  includeManifestIcons: false,
  manifest: {
    name: 'RLHF Playground',
    short_name: 'RLHF',
    description: 'Reinforcement learning from human feedback in one browser tab: label, train a reward model, tune.',
    theme_color: '#0a4fa3',
    background_color: '#ffffff',
    display: 'standalone',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: [
      '**/*.{js,css,html,wasm,png,svg}',
      'prompts/*.json',
      'models/manifest.json',
      ...precachedModel.files,
    ],
    maximumFileSizeToCacheInBytes: precachedModel.maxFileBytes,
    // Without it the first visit's page is not served by the worker, so a model chosen then would
    // not be kept; a new version still waits, since it only claims pages once it is activated.
    clientsClaim: true,
    runtimeCaching: [
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.includes('/models/'),
        handler: 'CacheFirst',
        options: { cacheName: modelsCache, cacheableResponse: { statuses: [200] } },
      },
    ],
  },
});

export default defineConfig({
  plugins: [svelte(), pwa],
  define: { __MODELS_CACHE__: JSON.stringify(modelsCache) },
  optimizeDeps: { include: prebundled, exclude: ['@tensorflow/tfjs-backend-wasm/dist/*.wasm'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/node/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // tfjs keeps global state (backend, kernel registry): one process, files run in turn.
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
