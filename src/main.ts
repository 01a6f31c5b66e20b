/**
 * The page's entry: starts the engine worker, opens the database, builds the state objects and
 * mounts the app. `?backend=wasm` (or a comma-separated list) narrows the backend ladder, to show
 * a slower path on a machine that has a faster one; the other parameters are the playground's
 * setup (see src/ui/page-setup.ts).
 */
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './ui/App.svelte';
import './ui/app.css';
import './ui/stages.css';
import './ui/chart-tools.css';
import './ui/present.css';
import './ui/lesson.css';
import type { BackendName } from './engine/backend';
import { openPlaygroundDB, type PlaygroundDB } from './storage/db';
import { loadLocale, saveLocale, SettingsStore } from './storage/settings';
import { EngineState } from './ui/engine-state.svelte';
import { GenerateState } from './ui/generate-state.svelte';
import { LanguageChoice } from './ui/language.svelte';
import { memoryWorkspace } from './ui/memory-workspace';
import { OfflineState } from './ui/offline-state.svelte';
import { parseLessonParam, parsePageSetup, setupIssues } from './ui/page-setup';
import { LessonState } from './ui/lesson-state.svelte';
import { INTRO_PRESET } from './ui/lesson-steps';
import { Playground } from './ui/playground.svelte';
import type { Openings } from './ui/playground-stages';
import { app } from './ui/strings';
import { idbWorkspace } from './ui/workspace';
import { parseManifest } from './workers/manifest';
import type { ModelManifest } from './contract/protocol';
import { BACKEND_NAMES } from './contract/backends';
import { spawnEngine } from './workers/spawn';

function backendsFromQuery(): BackendName[] | undefined {
  const asked = new URLSearchParams(location.search).get('backend')?.split(',') ?? [];
  const known = BACKEND_NAMES.filter((name) => asked.includes(name));
  return known.length > 0 ? known : undefined;
}

/** The database, or why there is none (IndexedDB can be blocked, e.g. in private windows). */
async function openDatabase(): Promise<{ db: PlaygroundDB | null; problem: string | null }> {
  try {
    return { db: await openPlaygroundDB(), problem: null };
  } catch (err) {
    return { db: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

const asUrl = (path: string): string => new URL(`${import.meta.env.BASE_URL}${path}`, location.href).href;

/** The shipped story openings; a missing or malformed file leaves the lists empty. */
async function loadOpenings(): Promise<Openings> {
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const raw: unknown = await (await fetch(asUrl('prompts/story-openings.json'))).json();
  const fields: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...raw } : {};
  return {
    train: isStrings(fields.train) ? fields.train : [],
    evaluation: isStrings(fields.evaluation) ? fields.evaluation : [],
  };
}

async function readManifest(manifestUrl: string): Promise<ModelManifest> {
  return parseManifest(await (await fetch(manifestUrl)).json(), manifestUrl);
}

async function start(target: HTMLElement): Promise<void> {
  const { client } = spawnEngine();
  const manifestUrl = asUrl('models/manifest.json');
  const { db, problem } = await openDatabase();
  const writeQuery = (query: string): void =>
    history.replaceState(history.state, '', `${location.pathname}${query}${location.hash}`);
  const language = new LanguageChoice({
    load: () => (db === null ? Promise.resolve(null) : loadLocale(db)),
    save: (locale) => (db === null ? Promise.resolve() : saveLocale(db, locale)),
    readQuery: () => location.search,
    writeQuery,
    languages: navigator.languages,
  });
  await language.start();
  const workspace = db === null ? memoryWorkspace() : idbWorkspace(db);
  const generation = new GenerateState(client, db === null ? null : new SettingsStore(db), problem);
  const playground: Playground = new Playground({
    client,
    workspace,
    setup: parsePageSetup(location.search),
    writeQuery,
    readQuery: () => location.search,
    storageProblem: problem,
    useModel: (name, bytes, tokenizer) => engine.useSaved(name, bytes, tokenizer),
    useShipped: async (modelId) => {
      await engine.loadModel(modelId);
      return engine.model !== null && engine.modelProblem === null;
    },
  });
  const engine: EngineState = new EngineState(client, manifestUrl, backendsFromQuery(), () =>
    playground.startSession(),
  );
  const offline = new OfflineState({
    register: registerSW,
    working: () => playground.working,
    reload: () => location.reload(),
    manifest: async () => ({ manifest: await readManifest(manifestUrl), url: manifestUrl }),
    caches: 'caches' in window ? caches : null,
    modelsCache: __MODELS_CACHE__,
  });
  const asked = parseLessonParam(location.search);
  const lesson = new LessonState({
    workspace,
    mode: asked === null ? 'auto' : asked,
    goTo: (stage) => playground.goTo(stage),
    preset: () => playground.applyLessonPreset(INTRO_PRESET),
    release: () => playground.releaseLessonPreset(),
  });
  const issues = setupIssues(location.search);
  mount(App, { target, props: { engine, generation, playground, offline, lesson, issues, language } });
  void lesson.load();
  offline.start();
  void workspace.requestPersistence();
  const openings = await loadOpenings().catch(() => ({ train: [], evaluation: [] }));
  await Promise.all([generation.restore(), playground.loadPrompts(openings)]);
  await engine.start();
}

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element to mount the playground in.');
start(target).catch((err: unknown) => {
  // The app could not even mount: say so on the page rather than leave it blank.
  target.textContent = app.startFailed(err instanceof Error ? err.message : String(err));
});
