/**
 * Listing and searching the stores that record things said about prompts (comparisons, ratings,
 * demonstrations, generations). A query picks the narrowest index it can (one prompt, one
 * labeler, or a time range) and filters the rest while walking a cursor, stopping at `limit`.
 */
import type { PlaygroundDB, PlaygroundSchema } from './db';

export interface RecordQuery {
  /** Only records for exactly this prompt. */
  prompt?: string;
  /** Only records by this labeler (stores that have one). */
  labeler?: string;
  /** Only records created at or after / before this time (epoch ms). */
  since?: number;
  until?: number;
  /** Only records where the prompt or a response contains this text, ignoring case. */
  contains?: string;
  /** At most this many records. */
  limit?: number;
  /** Newest first (the default) or oldest first. */
  order?: 'newest' | 'oldest';
}

export type SearchableStore = 'comparisons' | 'ratings' | 'demonstrations' | 'generations';
type Value<S extends SearchableStore> = PlaygroundSchema[S]['value'];

interface Searchable {
  id: number;
  prompt: string;
  createdAt: number;
  labeler?: string;
}

/** The texts `contains` looks in. */
function texts(record: Searchable): string[] {
  const fields = ['prompt', 'a', 'b', 'response'] as const;
  const values = record as unknown as Partial<Record<(typeof fields)[number], unknown>>;
  return fields.map((f) => values[f]).filter((v): v is string => typeof v === 'string');
}

function matches(record: Searchable, q: RecordQuery, needle: string | null): boolean {
  if (q.prompt !== undefined && record.prompt !== q.prompt) return false;
  if (q.labeler !== undefined && record.labeler !== q.labeler) return false;
  if (q.since !== undefined && record.createdAt < q.since) return false;
  if (q.until !== undefined && record.createdAt >= q.until) return false;
  return needle === null || texts(record).some((t) => t.toLowerCase().includes(needle));
}

/** The index and key range that narrow the walk most. */
function indexFor(q: RecordQuery): { index: 'byPrompt' | 'byLabeler' | 'byTime'; range: IDBKeyRange | undefined } {
  if (q.prompt !== undefined) return { index: 'byPrompt', range: IDBKeyRange.only(q.prompt) };
  if (q.labeler !== undefined) return { index: 'byLabeler', range: IDBKeyRange.only(q.labeler) };
  const lower = q.since ?? -Infinity;
  const upper = q.until ?? Infinity;
  return { index: 'byTime', range: lower <= upper ? IDBKeyRange.bound(lower, upper) : undefined };
}

/**
 * Records of `store` matching `q`. With a prompt or labeler the walk follows that index, in
 * insertion order (ids grow with time); otherwise it follows creation time.
 */
export async function queryRecords<S extends SearchableStore>(
  db: PlaygroundDB,
  store: S,
  q: RecordQuery = {},
): Promise<Value<S>[]> {
  if (q.labeler !== undefined && store === 'generations') return [];
  const { index, range } = indexFor(q);
  if (range === undefined) return [];
  const needle = q.contains === undefined || q.contains === '' ? null : q.contains.toLowerCase();
  const limit = q.limit ?? Infinity;
  const out: Value<S>[] = [];
  const tx = db.transaction(store, 'readonly');
  // Every searchable store has byPrompt and byTime; only generations lack byLabeler (handled above).
  const source = tx.store.index(index as 'byPrompt');
  let cursor = await source.openCursor(range, q.order === 'oldest' ? 'next' : 'prev');
  while (cursor !== null && out.length < limit) {
    const record = cursor.value as Value<S>;
    if (matches(record, q, needle)) out.push(record);
    cursor = await cursor.continue();
  }
  await tx.done;
  return out;
}
