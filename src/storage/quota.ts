/**
 * How much the browser lets the app store, and asking it to keep the data. Both are optional
 * browser features: where they are missing the app works the same and says less.
 */

export interface StorageUsage {
  /** Bytes used by this origin (all its storage, not only IndexedDB). */
  usage: number;
  /** Bytes this origin may use; browsers report an estimate. */
  quota: number;
  /** Whether the browser promised not to evict the data; null when it cannot say. */
  persisted: boolean | null;
}

/** The page's or worker's StorageManager, where there is one (not in Node). */
function storageManager(): StorageManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/** Usage and quota from navigator.storage.estimate, or null where the browser has no estimate. */
export async function usage(manager: StorageManager | undefined = storageManager()): Promise<StorageUsage | null> {
  if (typeof manager?.estimate !== 'function') return null;
  try {
    const estimate = await manager.estimate();
    const persisted = typeof manager.persisted === 'function' ? await manager.persisted() : null;
    return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
  } catch {
    return null;
  }
}

/**
 * Asks the browser to keep this origin's data when disk space runs low. Returns whether it
 * agreed; false where the API is missing or the browser declines (it often does until the site
 * is bookmarked or installed). Never required: everything works without it, with eviction possible.
 */
export async function requestPersistence(manager: StorageManager | undefined = storageManager()): Promise<boolean> {
  if (typeof manager?.persist !== 'function') return false;
  try {
    if (typeof manager.persisted === 'function' && (await manager.persisted())) return true;
    return await manager.persist();
  } catch {
    return false;
  }
}
