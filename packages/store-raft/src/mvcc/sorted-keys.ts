import sortedBtree from "sorted-btree";

/**
 * sorted-btree is CommonJS with its class on `exports.default`: Node's ESM
 * loader hands us `module.exports` (class on `.default`), a bundler may hand
 * us the class itself. Accept both.
 */
type BTreeClass = typeof sortedBtree.default;
const BTree: BTreeClass =
  (sortedBtree as unknown as { default?: BTreeClass }).default ??
  (sortedBtree as unknown as BTreeClass);

/** An ordered map from string keys, with range scans. */
export class SortedMap<V> {
  private readonly tree = new BTree<string, V>();

  get size(): number {
    return this.tree.size;
  }

  get(key: string): V | undefined {
    return this.tree.get(key);
  }

  set(key: string, value: V): void {
    this.tree.set(key, value);
  }

  delete(key: string): void {
    this.tree.delete(key);
  }

  /**
   * Calls `visit` for each entry with `start ≤ key < end` (every key from
   * `start` on when `end` is null), in key order, until `visit` returns false.
   */
  scan(
    start: string,
    end: string | null,
    visit: (key: string, value: V) => boolean | undefined,
  ): void {
    for (const [key, value] of this.tree.entries(start)) {
      if (end !== null && key >= end) return;
      if (visit(key, value) === false) return;
    }
  }

  /** Every entry in key order. */
  entries(): IterableIterator<[string, V]> {
    return this.tree.entries();
  }
}
