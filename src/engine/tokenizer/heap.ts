/**
 * A binary min-heap ordered by a `less` function. BPE needs two: candidate merges inside a word
 * (lowest rank first) and pair counts during training (highest count first).
 */
export class MinHeap<T> {
  private readonly items: T[] = [];
  private readonly less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean) {
    this.less = less;
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.less(items[child], items[parent])) break;
      [items[child], items[parent]] = [items[parent], items[child]];
      child = parent;
    }
  }

  /** Removes and returns the smallest item; the heap must not be empty. */
  pop(): T {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(start: number): void {
    const items = this.items;
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < items.length && this.less(items[left], items[smallest])) smallest = left;
      if (right < items.length && this.less(items[right], items[smallest])) smallest = right;
      if (smallest === parent) return;
      [items[smallest], items[parent]] = [items[parent], items[smallest]];
      parent = smallest;
    }
  }
}
