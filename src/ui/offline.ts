/**
 * Which shipped models open with the network off. The service worker keeps the default model in
 * its precache and any other model once it has been loaded (see vite.config.ts); Cache Storage is
 * asked whether every file the engine downloads for a model is there.
 */
import { resolveModelFile } from '../workers/manifest';
import type { ManifestEntry, ModelManifest } from '../contract/protocol';

/** The part of `CacheStorage` this module uses, so tests can hand in a stand-in. */
export interface CacheLookup {
  match(request: string, options?: CacheQueryOptions): Promise<Response | undefined>;
  /** The caches' names (where the stand-in has them). */
  keys?(): Promise<string[]>;
  delete?(name: string): Promise<boolean>;
}

/**
 * The service worker keeps models other than the default in a cache named after their files'
 * content (vite.config.ts), so a new version of a model is fetched again rather than served from
 * an old copy. The caches of earlier versions (and the unnamed one before them) are these.
 */
export function staleModelCaches(names: readonly string[], current: string): string[] {
  return names.filter((name) => (name === 'models' || name.startsWith('models-')) && name !== current);
}

/** A shipped model and whether it is available offline. */
export interface OfflineModel {
  id: string;
  title: string;
  offline: boolean;
}

/**
 * Every file the engine fetches to load `entry` (tokenizer, weights, model card: a card that is
 * missing on the server is tolerated, but one that cannot be fetched fails the load), as URLs.
 */
export function modelFileUrls(entry: ManifestEntry, manifestUrl: string): string[] {
  return [entry.tokenizer, entry.checkpoint, entry.card].map((path) => resolveModelFile(path, manifestUrl));
}

/**
 * Each model of the manifest, in its order, and whether the manifest and all the model's files
 * are in Cache Storage. The search part of cached URLs is ignored: Workbox's precache keys carry
 * a revision there.
 */
export async function offlineModels(
  manifest: ModelManifest,
  manifestUrl: string,
  caches: CacheLookup,
): Promise<OfflineModel[]> {
  const cached = async (url: string): Promise<boolean> =>
    (await caches.match(url, { ignoreSearch: true })) !== undefined;
  const manifestCached = await cached(manifestUrl);
  return Promise.all(
    manifest.models.map(async (entry) => {
      const found = await Promise.all(modelFileUrls(entry, manifestUrl).map(cached));
      return { id: entry.id, title: entry.title, offline: manifestCached && found.every(Boolean) };
    }),
  );
}
