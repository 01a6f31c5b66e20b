/**
 * Byte-level BPE training (Sennrich et al. 2016, on bytes as in GPT-2).
 *
 * 1. Cut every document into pre-tokens and count how often each distinct one occurs: a 1 MB
 *    corpus has a few hundred thousand pre-tokens but only tens of thousands of distinct ones.
 * 2. Spell each distinct pre-token as its UTF-8 bytes; the 256 byte symbols are the base vocabulary.
 * 3. Repeatedly merge the most frequent adjacent pair into a new token. Pair counts are kept up to
 *    date incrementally: a merge only re-counts the words that contained the pair, found through a
 *    pair -> words index, and the best pair comes from a heap rather than a scan of all pairs.
 *
 * Ties between equally frequent pairs go to the smaller (left id, right id), so training is
 * deterministic.
 */
import { EngineError } from '../errors';
import { BYTE_TO_CHAR } from './bytes';
import { MinHeap } from './heap';
import type { Merge } from './merges';
import { forEachPretoken, SpecialSplitter } from './pretokenize';

export interface TrainOptions {
  /** Size of the learned vocabulary: 256 bytes plus the merged tokens (specials not included). */
  modelSize: number;
  /** Strings cut out of the text before counting, so no merge ever spans or learns them. */
  specials: readonly string[];
  /** Called as merged tokens are learned (about a hundred times, the last with done = total). */
  onProgress?: (done: number, total: number) => void;
}

export interface TrainResult {
  /** Byte-level token strings by id: id b < 256 is byte b, then one per new merged token. */
  tokens: string[];
  /** Merges in the order learned, which is their priority when encoding. */
  merges: Merge[];
}

/** How many times each distinct pre-token occurs across all documents. */
export function countPretokens(docs: readonly string[], specials: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (piece: string): void => {
    counts.set(piece, (counts.get(piece) ?? 0) + 1);
  };
  const splitter = new SpecialSplitter(new Map(specials.map((special, i) => [special, i])));
  for (const doc of docs)
    splitter.split(
      doc,
      (text) => forEachPretoken(text, count),
      () => {},
    );
  return counts;
}

/** A pair's count as of when it was pushed; outdated entries are skipped when popped. */
interface PairEntry {
  key: number;
  count: number;
}

const morePairFrequent = (a: PairEntry, b: PairEntry): boolean =>
  a.count > b.count || (a.count === b.count && a.key < b.key);

class BpeTrainer {
  readonly tokens: string[] = [...BYTE_TO_CHAR];
  readonly merges: Merge[] = [];
  private readonly tokenIds = new Map<string, number>(BYTE_TO_CHAR.map((char, byte) => [char, byte]));
  /** Pair key `left * keyBase + right`; every id stays below keyBase (the target size). */
  private readonly keyBase: number;
  private readonly words: number[][] = [];
  private readonly freqs: number[] = [];
  private readonly pairCount = new Map<number, number>();
  /** Words that contained the pair when it was counted (may hold repeats and stale words). */
  private readonly pairWords = new Map<number, number[]>();
  private readonly heap = new MinHeap<PairEntry>(morePairFrequent);
  /** Per word, the last merge that visited it, so a word listed twice is merged once. */
  private readonly visited: Int32Array;

  constructor(pieceCounts: Map<string, number>, keyBase: number) {
    this.keyBase = keyBase;
    const encoder = new TextEncoder();
    const delta = new Map<number, number>();
    for (const [piece, freq] of pieceCounts) {
      const word = Array.from(encoder.encode(piece));
      this.words.push(word);
      this.freqs.push(freq);
      this.countPairs(word, 0, word.length, freq, delta, this.words.length - 1);
    }
    this.visited = new Int32Array(this.words.length).fill(-1);
    this.applyDelta(delta);
  }

  /** Learns one more merge; false when no pair is left (every word is a single token). */
  step(): boolean {
    const key = this.popBestPair();
    if (key === null) return false;
    const left = Math.floor(key / this.keyBase);
    const right = key % this.keyBase;
    const result = this.tokenFor(this.tokens[left] + this.tokens[right]);
    const mergeIndex = this.merges.length;
    this.merges.push({ left, right, result });
    const delta = new Map<number, number>();
    for (const w of this.pairWords.get(key) ?? []) {
      if (this.visited[w] === mergeIndex) continue;
      this.visited[w] = mergeIndex;
      this.mergeWord(w, { left, right, result }, delta);
    }
    delta.delete(key);
    this.pairCount.delete(key);
    this.pairWords.delete(key);
    this.applyDelta(delta);
    return true;
  }

  /** The id of a merged token, new unless two different merges spell the same bytes. */
  private tokenFor(symbols: string): number {
    const known = this.tokenIds.get(symbols);
    if (known !== undefined) return known;
    this.tokens.push(symbols);
    this.tokenIds.set(symbols, this.tokens.length - 1);
    return this.tokens.length - 1;
  }

  private popBestPair(): number | null {
    while (this.heap.size > 0) {
      const entry = this.heap.pop();
      if (this.pairCount.get(entry.key) === entry.count) return entry.key;
    }
    return null;
  }

  /**
   * Rewrites word `w` with `merge` applied left to right, recording the change in pair counts.
   * Only pairs touching a merge change: for a merge at i, the pairs at i-1, i and i+1 go, and the
   * pairs on either side of the new token come; each pair position is counted once even when
   * merges are adjacent.
   */
  private mergeWord(w: number, merge: Merge, delta: Map<number, number>): void {
    const word = this.words[w];
    const freq = this.freqs[w];
    const merged: number[] = [];
    const mergedAt: number[] = [];
    let nextGone = 0;
    for (let i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] === merge.left && word[i + 1] === merge.right) {
        nextGone = this.countPairs(word, Math.max(i - 1, nextGone), i + 1, -freq, delta);
        mergedAt.push(merged.length);
        merged.push(merge.result);
        i++;
      } else {
        merged.push(word[i]);
      }
    }
    if (mergedAt.length === 0) return;
    let nextNew = 0;
    for (const j of mergedAt) nextNew = this.countPairs(merged, Math.max(j - 1, nextNew), j, freq, delta, w);
    this.words[w] = merged;
  }

  /**
   * Adds `freq` to the pairs of `word` at positions from..to (clipped to the word) and returns
   * the position after the last; with `w`, also lists word `w` under those pairs.
   */
  private countPairs(
    word: readonly number[],
    from: number,
    to: number,
    freq: number,
    delta: Map<number, number>,
    w = -1,
  ): number {
    const last = Math.min(to, word.length - 2);
    for (let i = from; i <= last; i++) {
      const key = word[i] * this.keyBase + word[i + 1];
      delta.set(key, (delta.get(key) ?? 0) + freq);
      if (w >= 0) this.listWord(key, w);
    }
    return Math.max(from, last + 1);
  }

  private listWord(key: number, w: number): void {
    const list = this.pairWords.get(key);
    if (list === undefined) this.pairWords.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  }

  private applyDelta(delta: Map<number, number>): void {
    for (const [key, change] of delta) {
      if (change === 0) continue;
      const count = (this.pairCount.get(key) ?? 0) + change;
      if (count > 0) {
        this.pairCount.set(key, count);
        this.heap.push({ key, count });
      } else {
        this.pairCount.delete(key);
        this.pairWords.delete(key);
      }
    }
  }
}

/** Learns a byte-level BPE vocabulary of exactly `options.modelSize` tokens from `docs`. */
export function trainBpe(docs: readonly string[], options: TrainOptions): TrainResult {
  const { modelSize, specials, onProgress } = options;
  const pieceCounts = countPretokens(docs, specials);
  if (pieceCounts.size === 0) {
    throw new EngineError('BAD_CORPUS', { code: 'TOKENIZER_CORPUS', params: { problem: 'onlySpecialTokens' } });
  }
  const trainer = new BpeTrainer(pieceCounts, modelSize);
  const total = modelSize - BYTE_TO_CHAR.length;
  const reportEvery = Math.max(1, Math.floor(total / 100));
  let lastReported = 0;
  while (trainer.tokens.length < modelSize) {
    if (!trainer.step()) {
      const reachable = trainer.tokens.length + specials.length;
      throw new EngineError('BAD_CORPUS', {
        code: 'TOKENIZER_VOCAB_UNREACHABLE',
        params: { reachable, asked: modelSize + specials.length },
      });
    }
    const done = trainer.tokens.length - BYTE_TO_CHAR.length;
    if (done !== lastReported && done % reportEvery === 0 && done < total) {
      onProgress?.(done, total);
      lastReported = done;
    }
  }
  onProgress?.(total, total);
  return { tokens: trainer.tokens, merges: trainer.merges };
}
