/**
 * Only one tab trains at a time: two tabs training would each save checkpoints and move the same
 * pointers. Labelling needs no lock (every label is its own transaction), so every tab can label.
 *
 * Web Locks do this exactly, and release the lock when a tab closes or crashes. Where they are
 * missing, a lease record in IndexedDB stands in: it names the holder and expires unless renewed,
 * so a tab that died blocks training for at most one lease period.
 */
import type { PlaygroundDB } from './db';
import { writeTransaction } from './write';

export const TRAINING_LOCK = 'rlhf-train';
/** A lease not renewed for this long is free again; renewed every third of it. */
export const DEFAULT_LEASE_MS = 30_000;

export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

export interface TrainingLockOptions {
  /** Web Locks; by default navigator.locks where present. null forces the lease (old browsers, tests). */
  locks?: LockManager | null;
  leaseMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

function webLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks !== undefined ? navigator.locks : null;
}

/**
 * Runs `fn` while holding the training lock and returns its value, or returns
 * `{ acquired: false }` at once when another tab holds the lock. The lock is released when `fn`
 * settles; an error from `fn` is rethrown after releasing.
 */
export async function withTrainingLock<T>(
  db: PlaygroundDB,
  fn: () => Promise<T>,
  options: TrainingLockOptions = {},
): Promise<LockResult<T>> {
  const locks = options.locks === undefined ? webLocks() : options.locks;
  if (locks !== null) {
    return locks.request(TRAINING_LOCK, { ifAvailable: true }, async (lock): Promise<LockResult<T>> =>
      lock === null ? { acquired: false } : { acquired: true, value: await fn() },
    );
  }
  return withLease(db, fn, options.leaseMs ?? DEFAULT_LEASE_MS, options.now ?? Date.now);
}

async function withLease<T>(
  db: PlaygroundDB,
  fn: () => Promise<T>,
  leaseMs: number,
  now: () => number,
): Promise<LockResult<T>> {
  const holder = `${now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  if (!(await takeLease(db, holder, leaseMs, now))) return { acquired: false };
  const renewal = setInterval(() => {
    takeLease(db, holder, leaseMs, now).catch(() => undefined); // a missed renewal only shortens the lease
  }, leaseMs / 3);
  try {
    return { acquired: true, value: await fn() };
  } finally {
    clearInterval(renewal);
    await releaseLease(db, holder).catch(() => undefined); // it expires on its own
  }
}

/**
 * Takes or renews the lease unless another holder's lease is still running. The read and the
 * write share one readwrite transaction, which IndexedDB runs alone across all tabs.
 */
function takeLease(db: PlaygroundDB, holder: string, leaseMs: number, now: () => number): Promise<boolean> {
  return writeTransaction(db, ['leases'], 'trainingLease', async (tx) => {
    const leases = tx.objectStore('leases');
    const lease = await leases.get(TRAINING_LOCK);
    if (lease !== undefined && lease.holder !== holder && lease.expiresAt > now()) return false;
    await leases.put({ name: TRAINING_LOCK, holder, expiresAt: now() + leaseMs });
    return true;
  });
}

function releaseLease(db: PlaygroundDB, holder: string): Promise<void> {
  return writeTransaction(db, ['leases'], 'trainingLease', async (tx) => {
    const leases = tx.objectStore('leases');
    if ((await leases.get(TRAINING_LOCK))?.holder === holder) await leases.delete(TRAINING_LOCK);
  });
}
