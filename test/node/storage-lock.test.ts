// Only one tab trains at a time. Node has no Web Locks, so this exercises the IndexedDB lease
// (two connections standing for two tabs) and the Web Locks path through a minimal LockManager;
// the browser test checks the real navigator.locks.
import { describe, expect, it } from 'vitest';
import { TRAINING_LOCK, withTrainingLock } from '../../src/storage/lock';
import { scratchDB } from './storage-fixtures';

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('training lock (IndexedDB lease)', () => {
  it('a second tab cannot train while the first does, and can once it is done', async () => {
    const name = 'storage-lock';
    const [tab1, tab2] = [await scratchDB(undefined, name), await scratchDB(undefined, name)];
    const training = gate();
    const first = withTrainingLock(tab1, async () => {
      await training.opened;
      return 'trained in tab 1';
    });
    // Wait until tab 1 holds the lease.
    while ((await tab2.get('leases', TRAINING_LOCK)) === undefined) await new Promise((r) => setTimeout(r, 1));
    let ran = false;
    expect(await withTrainingLock(tab2, async () => (ran = true))).toEqual({ acquired: false });
    expect(ran).toBe(false);
    training.open();
    expect(await first).toEqual({ acquired: true, value: 'trained in tab 1' });
    expect(await tab2.get('leases', TRAINING_LOCK)).toBeUndefined();
    expect(await withTrainingLock(tab2, async () => 'trained in tab 2')).toEqual({
      acquired: true,
      value: 'trained in tab 2',
    });
  });

  it('only one of many simultaneous attempts gets the lock', async () => {
    const name = 'storage-lock-race';
    const tabs = await Promise.all(Array.from({ length: 5 }, () => scratchDB(undefined, name)));
    const release = gate();
    const attempts = tabs.map((tab, i) =>
      withTrainingLock(tab, async () => {
        await release.opened;
        return i;
      }),
    );
    // Losers answer at once; the winner trains until the gate opens.
    setTimeout(release.open, 50);
    const results = (await Promise.all(attempts)).map((r) => (r.acquired ? 'won' : 'lost'));
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'lost')).toHaveLength(4);
  });

  it('a lease left by a crashed tab expires', async () => {
    const db = await scratchDB();
    let now = 1_000;
    await db.put('leases', { name: TRAINING_LOCK, holder: 'crashed-tab', expiresAt: now + 30_000 });
    const clock = { now: () => now, leaseMs: 30_000 };
    expect(await withTrainingLock(db, async () => 1, clock)).toEqual({ acquired: false });
    now += 30_001;
    expect(await withTrainingLock(db, async () => 2, clock)).toEqual({ acquired: true, value: 2 });
  });

  it('releases the lock when training throws, and rethrows', async () => {
    const db = await scratchDB();
    await expect(withTrainingLock(db, async () => Promise.reject(new Error('diverged')))).rejects.toThrow('diverged');
    expect(await db.get('leases', TRAINING_LOCK)).toBeUndefined();
  });
});

describe('training lock (Web Locks)', () => {
  /** Enough of LockManager for ifAvailable requests: held names, granted or null. */
  function lockManager(): LockManager {
    const held = new Set<string>();
    const request = async (name: string, options: LockOptions, callback: (lock: Lock | null) => Promise<unknown>) => {
      if (options.ifAvailable !== true) throw new Error('only ifAvailable requests are expected');
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    };
    return { request, query: async () => ({}) } as unknown as LockManager;
  }

  it('asks for "rlhf-train" with ifAvailable and does not touch the database', async () => {
    const db = await scratchDB();
    const locks = lockManager();
    const training = gate();
    const first = withTrainingLock(db, () => training.opened.then(() => 'a'), { locks });
    expect(await withTrainingLock(db, async () => 'b', { locks })).toEqual({ acquired: false });
    training.open();
    expect(await first).toEqual({ acquired: true, value: 'a' });
    expect(await db.count('leases')).toBe(0);
  });
});
