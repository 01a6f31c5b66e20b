/**
 * Builds the browser bench page (bench/browser): the engine and the same bench cases as
 * `npm run bench` in Node, bundled for Chromium. A config of its own, so the app's vite.config.ts
 * and its build are untouched. `npm run bench -- --browser` builds and serves it; by hand:
 *   npx vite build -c bench/vite.bench.config.ts && npx vite preview -c bench/vite.bench.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  worker: { format: 'es' },
  // bench/browser/dist is ignored by git (.gitignore: dist/).
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
    // Rolldown's note that plugins took most of the build time is noise on a busy machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
