/**
 * Applying learned merges to one pre-token. The rule (GPT-2's and Hugging Face's): among all
 * adjacent pairs that have a merge, merge the one learned earliest (lowest rank), leftmost first
 * on ties, and repeat until no adjacent pair has a merge.
 *
 * Pieces can be long (a 100 kB run of letters is one pre-token), so instead of rescanning the
 * word after every merge, candidate pairs wait in a min-heap keyed by (rank, position), and the
 * symbols form a linked list. A heap entry that a neighbouring merge has made stale is recognised
 * when popped, by re-reading the pair now at its position.
 */
import { MinHeap } from './heap';

/** One merge: the ids of its left and right parts and of the token they make. */
export interface Merge {
  left: number;
  right: number;
  result: number;
}

export class MergeTable {
  /** Key `left * idLimit + right` -> rank (index in the merge list). */
  private readonly rankOf = new Map<number, number>();
  private readonly resultOf: Int32Array;
  private readonly idLimit: number;

  /** `merges` in priority order; every id must be below `idLimit`. */
  constructor(merges: readonly Merge[], idLimit: number) {
    this.idLimit = idLimit;
    this.resultOf = new Int32Array(merges.length);
    merges.forEach((merge, rank) => {
      this.rankOf.set(merge.left * idLimit + merge.right, rank);
      this.resultOf[rank] = merge.result;
    });
  }

  /** The rank of the merge of `left` then `right`, or -1 when there is none. */
  rank(left: number, right: number): number {
    return this.rankOf.get(left * this.idLimit + right) ?? -1;
  }

  /** Merges the symbol ids of one pre-token: [n] ids -> [m] ids, m <= n, in a new array. */
  apply(symbols: readonly number[]): number[] {
    const n = symbols.length;
    if (n < 2) return [...symbols];
    const ids = Int32Array.from(symbols);
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    // Entry rank * n + position: popping the smallest gives the lowest rank, then leftmost.
    const heap = new MinHeap<number>((a, b) => a < b);
    const offer = (pos: number): void => {
      const r = pos >= 0 && next[pos] >= 0 ? this.rank(ids[pos], ids[next[pos]]) : -1;
      if (r >= 0) heap.push(r * n + pos);
    };
    for (let pos = 0; pos + 1 < n; pos++) offer(pos);
    while (heap.size > 0) {
      const entry = heap.pop();
      const pos = entry % n;
      const r = (entry - pos) / n;
      // Stale when `pos` was absorbed by its left neighbour or the pair there has changed.
      if (ids[pos] < 0 || next[pos] < 0 || this.rank(ids[pos], ids[next[pos]]) !== r) continue;
      const gone = next[pos];
      ids[pos] = this.resultOf[r];
      ids[gone] = -1;
      next[pos] = next[gone];
      if (next[gone] >= 0) prev[next[gone]] = pos;
      offer(prev[pos]);
      offer(pos);
    }
    return Array.from(ids).filter((id) => id >= 0);
  }
}
