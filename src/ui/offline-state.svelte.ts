/**
 * The installed app: the service worker that keeps it (and the default model) for offline use,
 * which shipped models open offline, and new versions. A new version is offered, never forced:
 * its notice stays hidden while work is under way that a reload would cut short (a tuning run,
 * reward training, pretraining), and reloading waits for that work to end. Where no service worker
 * is built (the dev server, tests) registering does nothing and nothing here is shown.
 */
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';
import type { ModelManifest } from '../contract/protocol';
import { offlineModels, staleModelCaches, type CacheLookup, type OfflineModel } from './offline';

/** vite-plugin-pwa's `registerSW`: registers the worker, returns "activate the waiting version". */
export type RegisterSW = (options: RegisterSWOptions) => (reloadPage?: boolean) => Promise<void>;

export interface OfflineDeps {
  register: RegisterSW;
  /** Whether work is under way that a reload would cut short. */
  working: () => boolean;
  /** Reloads the page (location.reload in the app). */
  reload: () => void;
  /** The shipped models' manifest and its URL. */
  manifest: () => Promise<{ manifest: ModelManifest; url: string }>;
  /** The browser's Cache Storage, or null where there is none. */
  caches: CacheLookup | null;
  /**
   * The name of the cache this version's service worker keeps models in, once used; the caches of
   * earlier versions are deleted once it is installed, so none of their models counts as offline.
   */
  modelsCache?: string;
}

export class OfflineState {
  /** The service worker is installed and holds the app: the next visit opens without the network. */
  ready = $state(false);
  /** The shipped models and whether each is available offline; null until known. */
  models = $state.raw<OfflineModel[] | null>(null);
  /** A new version is installed and waits for the person to reload. */
  waiting = $state(false);
  /** The notice offering the new version: only while nothing would be cut short. */
  readonly offerUpdate = $derived.by(() => this.waiting && !this.deps.working());
  /** Activates the waiting version; a no-op until registered. */
  private activate: (reloadPage?: boolean) => Promise<void> = async () => {};
  /** The new version already serves this page (it was accepted in another tab): a reload shows it. */
  private controlling = false;

  constructor(private readonly deps: OfflineDeps) {}

  /** Registers the service worker (once, at start). */
  start(): void {
    this.activate = this.deps.register({
      onRegisteredSW: (_url, registration) => {
        if (registration?.active) this.installed();
      },
      onOfflineReady: () => this.installed(),
      onNeedRefresh: () => (this.waiting = true),
      onNeedReload: () => {
        this.controlling = true;
        if (this.deps.working()) this.waiting = true;
        else this.deps.reload();
      },
    });
  }

  /** Reloads into the new version, unless work is under way. */
  async update(): Promise<void> {
    if (!this.waiting || this.deps.working()) return;
    if (this.controlling) this.deps.reload();
    // The waiting worker takes over, then onNeedReload reloads the page.
    else await this.activate();
  }

  /** Asks Cache Storage again which models are available offline (after a model was loaded). */
  async refreshModels(): Promise<void> {
    if (!this.ready || this.deps.caches === null) return;
    try {
      const { manifest, url } = await this.deps.manifest();
      this.models = await offlineModels(manifest, url, this.deps.caches);
    } catch {
      // Without the manifest nothing is known about the models: say nothing rather than guess.
      this.models = null;
    }
  }

  private installed(): void {
    this.ready = true;
    void this.dropStaleCaches().then(() => this.refreshModels());
  }

  /** Deletes the model caches an earlier version's service worker filled; a failure only leaves them. */
  private async dropStaleCaches(): Promise<void> {
    const { caches, modelsCache } = this.deps;
    if (caches?.keys === undefined || caches.delete === undefined || modelsCache === undefined) return;
    try {
      const stale = staleModelCaches(await caches.keys(), modelsCache);
      await Promise.all(stale.map((name) => caches.delete?.(name)));
    } catch {
      // Storage refused: the old copies stay, and a model only they hold may be listed as offline.
    }
  }
}
