// The installed app: which shipped models Cache Storage holds (against a stand-in with the real
// matching rules, precache keys with Workbox's revision included), and that a new version is
// offered and applied only while nothing is running.
import { describe, expect, it, vi } from 'vitest';
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';
import { modelFileUrls, offlineModels, staleModelCaches, type CacheLookup } from '../../src/ui/offline';
import { OfflineState } from '../../src/ui/offline-state.svelte';
import type { ModelManifest } from '../../src/contract/protocol';
import { Flag } from '../helpers/flag.svelte';

const MANIFEST_URL = 'https://app.test/models/manifest.json';
const MANIFEST: ModelManifest = {
  default: 'big',
  models: [
    {
      id: 'small',
      title: 'Small',
      checkpoint: 'small/model.safetensors',
      tokenizer: 'small/tokenizer.json',
      card: 'small/README.md',
    },
    {
      id: 'big',
      title: 'Big',
      checkpoint: 'big/model.safetensors',
      tokenizer: 'big/tokenizer.json',
      card: 'big/README.md',
    },
  ],
};

/** Cache Storage's `match` over a set of stored request URLs, with its `ignoreSearch` rule. */
function cacheOf(keys: string[]): CacheLookup {
  const withoutSearch = (url: string): string => {
    const u = new URL(url);
    u.search = '';
    return u.href;
  };
  return {
    async match(request, options) {
      const wanted = options?.ignoreSearch ? withoutSearch(request) : request;
      const hit = keys.some((key) => (options?.ignoreSearch ? withoutSearch(key) : key) === wanted);
      return hit ? new Response('cached') : undefined;
    },
  };
}

const precached = (url: string): string => `${url}?__WB_REVISION__=0123abcd`;
const filesOf = (id: string): string[] =>
  modelFileUrls(
    MANIFEST.models.find((m) => m.id === id)!,
    MANIFEST_URL,
  );

describe('models available offline', () => {
  it('names the files the engine fetches, relative to the manifest', () => {
    expect(filesOf('small')).toEqual([
      'https://app.test/models/small/tokenizer.json',
      'https://app.test/models/small/model.safetensors',
      'https://app.test/models/small/README.md',
    ]);
  });

  it('finds the precached default model despite the revision in its keys, and not the unused one', async () => {
    const keys = [precached(MANIFEST_URL), ...filesOf('big').map(precached)];
    expect(await offlineModels(MANIFEST, MANIFEST_URL, cacheOf(keys))).toEqual([
      { id: 'small', title: 'Small', offline: false },
      { id: 'big', title: 'Big', offline: true },
    ]);
  });

  it('counts a model cached at first use only when all its files are there', async () => {
    const base = [precached(MANIFEST_URL), ...filesOf('big').map(precached)];
    const whole = await offlineModels(MANIFEST, MANIFEST_URL, cacheOf([...base, ...filesOf('small')]));
    expect(whole.map((m) => m.offline)).toEqual([true, true]);
    // Without its card the engine's load fails offline, so the model is not available.
    const noCard = await offlineModels(MANIFEST, MANIFEST_URL, cacheOf([...base, ...filesOf('small').slice(0, 2)]));
    expect(noCard.map((m) => m.offline)).toEqual([false, true]);
  });

  it('says no model is available when the manifest itself is not cached', async () => {
    const keys = [...filesOf('big'), ...filesOf('small')];
    const models = await offlineModels(MANIFEST, MANIFEST_URL, cacheOf(keys));
    expect(models.map((m) => m.offline)).toEqual([false, false]);
  });
});

/** An OfflineState on a stand-in for vite-plugin-pwa's registerSW, recording what it was asked. */
function installed() {
  const working = new Flag();
  const calls = { activate: 0, reload: 0 };
  let options: RegisterSWOptions = {};
  const state = new OfflineState({
    register: (given) => {
      options = given;
      return async () => void calls.activate++;
    },
    working: () => working.on,
    reload: () => void calls.reload++,
    manifest: async () => ({ manifest: MANIFEST, url: MANIFEST_URL }),
    caches: cacheOf([precached(MANIFEST_URL), ...filesOf('big').map(precached)]),
  });
  state.start();
  return { state, working, calls, sw: () => options };
}

describe('the installed app and new versions', () => {
  it('knows nothing before the service worker is installed, then lists the models kept offline', async () => {
    const { state, sw } = installed();
    await state.refreshModels();
    expect(state.ready).toBe(false);
    expect(state.models).toBeNull();
    sw().onOfflineReady?.();
    await state.refreshModels();
    expect(state.ready).toBe(true);
    expect(state.models?.map((m) => [m.id, m.offline])).toEqual([
      ['small', false],
      ['big', true],
    ]);
  });

  it('counts an already active worker as installed (a later visit)', () => {
    const { state, sw } = installed();
    sw().onRegisteredSW?.('/sw.js', { active: {} } as ServiceWorkerRegistration);
    expect(state.ready).toBe(true);
  });

  it('offers a waiting version only while nothing runs, and activates it only then', async () => {
    const { state, working, calls, sw } = installed();
    expect(state.offerUpdate).toBe(false);
    working.on = true;
    sw().onNeedRefresh?.();
    expect(state.waiting).toBe(true);
    expect(state.offerUpdate).toBe(false);
    await state.update();
    expect(calls).toEqual({ activate: 0, reload: 0 });
    working.on = false;
    expect(state.offerUpdate).toBe(true);
    await state.update();
    expect(calls).toEqual({ activate: 1, reload: 0 });
    // The activated version takes over the page, which then reloads into it.
    sw().onNeedReload?.();
    expect(calls).toEqual({ activate: 1, reload: 1 });
  });

  it('does not reload mid-run when another tab activated the new version, but offers it afterwards', async () => {
    const { state, working, calls, sw } = installed();
    working.on = true;
    sw().onNeedReload?.();
    expect(calls.reload).toBe(0);
    expect(state.offerUpdate).toBe(false);
    await state.update();
    expect(calls.reload).toBe(0);
    working.on = false;
    expect(state.offerUpdate).toBe(true);
    await state.update();
    expect(calls).toEqual({ activate: 0, reload: 1 });
  });
});

describe("an earlier version's model cache", () => {
  it('is every models cache but the current one, the unnamed one of old included', () => {
    const names = ['workbox-precache-v2-https://app.test/', 'models', 'models-0123abcd4567', 'models-89ef00112233'];
    expect(staleModelCaches(names, 'models-89ef00112233')).toEqual(['models', 'models-0123abcd4567']);
    expect(staleModelCaches(['workbox-precache-v2-x', 'models-89ef00112233'], 'models-89ef00112233')).toEqual([]);
  });

  it('is deleted once the new service worker is installed, so a model only it held is no longer offline', async () => {
    // The small model's files sit in an earlier version's cache; the default model is precached.
    const stores = new Map<string, string[]>([
      ['workbox-precache-v2-https://app.test/', [precached(MANIFEST_URL), ...filesOf('big').map(precached)]],
      ['models-old', filesOf('small')],
      ['models-new', []],
    ]);
    const storage: CacheLookup = {
      match: (request, options) => cacheOf([...stores.values()].flat()).match(request, options),
      keys: async () => [...stores.keys()],
      delete: async (name) => stores.delete(name),
    };
    let options: RegisterSWOptions = {};
    const state = new OfflineState({
      register: (given) => {
        options = given;
        return async () => undefined;
      },
      working: () => false,
      reload: () => undefined,
      manifest: async () => ({ manifest: MANIFEST, url: MANIFEST_URL }),
      caches: storage,
      modelsCache: 'models-new',
    });
    state.start();
    options.onOfflineReady?.();
    await vi.waitFor(() => expect(state.models).not.toBeNull());
    expect([...stores.keys()]).toEqual(['workbox-precache-v2-https://app.test/', 'models-new']);
    expect(state.models?.map((m) => [m.id, m.offline])).toEqual([
      ['small', false],
      ['big', true],
    ]);
  });
});
