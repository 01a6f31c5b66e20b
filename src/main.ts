/**
 * The page's entry: starts the engine worker, opens the settings database, and mounts the app.
 * `?backend=wasm` (or a comma-separated list) narrows the backend ladder, to show a slower path
 * on a machine that has a faster one.
 */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import type { BackendName } from './engine/backend';
import { openPlaygroundDB } from './storage/db';
import { SettingsStore } from './storage/settings';
import { EngineState } from './ui/engine-state.svelte';
import { GenerateState } from './ui/generate-state.svelte';
import { app } from './ui/strings';
import { BACKEND_NAMES } from './workers/protocol';
import { spawnEngine } from './workers/spawn';

function backendsFromQuery(): BackendName[] | undefined {
  const asked = new URLSearchParams(location.search).get('backend')?.split(',') ?? [];
  const known = BACKEND_NAMES.filter((name) => asked.includes(name));
  return known.length > 0 ? known : undefined;
}

/** The settings store, or why there is none (IndexedDB can be blocked, e.g. in private windows). */
async function openStore(): Promise<{ store: SettingsStore | null; problem: string | null }> {
  try {
    return { store: new SettingsStore(await openPlaygroundDB()), problem: null };
  } catch (err) {
    return { store: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

async function start(target: HTMLElement): Promise<void> {
  document.title = app.title;
  const { client } = spawnEngine();
  const manifestUrl = new URL(`${import.meta.env.BASE_URL}models/manifest.json`, location.href).href;
  const engine = new EngineState(client, manifestUrl, backendsFromQuery());
  const { store, problem } = await openStore();
  const generation = new GenerateState(client, store, problem);
  mount(App, { target, props: { engine, generation } });
  await Promise.all([generation.restore(), engine.start()]);
}

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element to mount the playground in.');
start(target).catch((err: unknown) => {
  // The app could not even mount: say so on the page rather than leave it blank.
  target.textContent = app.startFailed(err instanceof Error ? err.message : String(err));
});
