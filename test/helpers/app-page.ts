// The whole app in a browser test, as src/main.ts builds it: the real engine worker (WASM) loading
// a tiny seeded model from blob URLs in place of the shipped one, the playground on an in-memory
// workspace, the guided first run, and the real App with its style sheets. Opening a second page
// on the same workspace is a reload: a fresh worker and fresh page state on the same storage.
import * as tf from '@tensorflow/tfjs';
import { flushSync, mount, unmount } from 'svelte';
import '../../src/ui/app.css';
import '../../src/ui/stages.css';
import '../../src/ui/chart-tools.css';
import '../../src/ui/present.css';
import '../../src/ui/lesson.css';
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import App from '../../src/ui/App.svelte';
import { EngineState } from '../../src/ui/engine-state.svelte';
import { GenerateState } from '../../src/ui/generate-state.svelte';
import { LessonState } from '../../src/ui/lesson-state.svelte';
import { INTRO_PRESET } from '../../src/ui/lesson-steps';
import { OfflineState } from '../../src/ui/offline-state.svelte';
import { parseLessonParam, parsePageSetup, setupIssues } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import type { Workspace } from '../../src/ui/workspace';
import { spawnEngine } from '../../src/workers/spawn';
import { LanguageChoice } from '../../src/ui/language.svelte';

const TEXT = 'the cat sat on the mat. the dog ran to the park. a bird sang. the girl was happy. ';

/**
 * A manifest (as a blob URL) naming one tiny seeded GPT and its tokenizer, trained on `text`
 * (ten times over); the worker downloads it like a shipped model.
 */
export async function tinyManifest(
  options: { text?: string; vocabSize?: number; seed?: number; title?: string } = {},
): Promise<string> {
  const { text = TEXT, vocabSize = 270, seed = 5, title = 'Tiny model for the browser tests' } = options;
  await tf.setBackend('cpu');
  const tokenizer = Tokenizer.train(text.repeat(10), { vocabSize });
  const model = new GPT({ ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 48 }, seed);
  const bytes = await saveCheckpoint(model, { name: 'tiny', tokenizerFingerprint: tokenizer.fingerprint(), info: {} });
  model.dispose();
  const url = (part: BlobPart, type: string): string => URL.createObjectURL(new Blob([part], { type }));
  const entry = {
    id: 'tiny',
    title,
    tokenizer: url(JSON.stringify(tokenizer.toJSON()), 'application/json'),
    checkpoint: url(new Uint8Array(bytes), 'application/octet-stream'),
    card: url('# Tiny', 'text/markdown'),
  };
  return url(JSON.stringify({ default: entry.id, models: [entry] }), 'application/json');
}

export interface AppPage {
  playground: Playground;
  generation: GenerateState;
  lesson: LessonState;
  engine: EngineState;
  target: HTMLElement;
  /** Ends the page: unmounts the app and stops its worker. */
  close(): void;
}

/** Opens the app at `query` on `workspace`; resolves once the model is loaded and the session started. */
export async function openApp(workspace: Workspace, manifestUrl: string, query: string): Promise<AppPage> {
  const { client, worker } = spawnEngine();
  const playground: Playground = new Playground({
    client,
    workspace,
    setup: parsePageSetup(query),
    writeQuery: () => {},
    readQuery: () => query,
  });
  const engine = new EngineState(client, manifestUrl, ['wasm'], () => playground.startSession());
  const generation = new GenerateState(client, null);
  const asked = parseLessonParam(query);
  const lesson = new LessonState({
    workspace,
    mode: asked ?? 'auto',
    goTo: (stage) => playground.goTo(stage),
    preset: () => playground.applyLessonPreset(INTRO_PRESET),
    release: () => playground.releaseLessonPreset(),
  });
  const offline = new OfflineState({
    register: () => async () => {},
    working: () => false,
    reload: () => {},
    manifest: () => new Promise(() => {}),
    caches: null,
  });
  const target = document.createElement('div');
  document.body.append(target);
  const app = mount(App, {
    target,
    props: {
      engine,
      generation,
      playground,
      offline,
      lesson,
      issues: setupIssues(query),
      language: new LanguageChoice({
        load: () => Promise.resolve(null),
        save: () => Promise.resolve(),
        readQuery: () => query,
        writeQuery: () => {},
        languages: ['en'],
      }),
    },
  });
  flushSync();
  await lesson.load();
  await playground.loadPrompts({
    train: ['the cat', 'the dog', 'a bird', 'the girl'],
    evaluation: ['the mat', 'the park'],
  });
  await engine.start();
  return {
    playground,
    generation,
    lesson,
    engine,
    target,
    close: () => {
      void unmount(app);
      target.remove();
      worker.terminate();
    },
  };
}

/** Resolves once `condition` holds; fails saying `what` after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
