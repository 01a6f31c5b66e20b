// What the browser end-to-end scripts (e2e.mjs, e2e-crash.mjs) share: the repository root, flag
// reading, Chromium's path and flags, running a build step, serving the build with vite preview
// and serving /models/** from another folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags.mjs';

/** The value after `name` on the command line, or `fallback`. */
export function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** Runs a command in the repository root; throws when it fails. */
export function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed with status ${result.status}`);
}

/** Stops a child started in its own process group, and every process in that group. */
export function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Serves dist/ with vite preview on `port`; resolves once it answers. */
export async function startPreview(port) {
  // Its own process group, so stopping it stops the vite process npx started too.
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { server, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopGroup(server);
  throw new Error(`vite preview did not answer on ${url}`);
}

/** Serves /models/** from `dir` instead of the build. */
export async function routeModels(context, dir) {
  await context.route('**/models/**', async (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^.*?\/models\//, '');
    const file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir)) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.json')
      ? 'application/json'
      : file.endsWith('.md')
        ? 'text/markdown'
        : 'application/octet-stream';
    return route.fulfill({ status: 200, body: readFileSync(file), headers: { 'content-type': type } });
  });
}
