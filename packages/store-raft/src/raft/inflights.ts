/**
 * Flow control for one follower in replicate state: the last index of each
 * MsgApp sent but not yet acknowledged, oldest first. The leader stops
 * sending when `maxCount` messages or `maxBytes` bytes are in flight, and
 * frees slots as acknowledgements arrive.
 */
export class Inflights {
  private readonly indexes: number[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;

  /**
   * @param maxCount - most messages in flight (at least 1)
   * @param maxBytes - most payload bytes in flight; 0 means no byte limit
   */
  constructor(
    readonly maxCount: number,
    readonly maxBytes = 0,
  ) {
    if (maxCount < 1) throw new Error(`Inflights: maxCount must be >= 1, got ${maxCount}`);
  }

  /** Records a message whose last entry is `index`; indexes must increase. */
  add(index: number, bytes = 0): void {
    if (this.full()) throw new Error("Inflights.add: window is full");
    const last = this.indexes[this.indexes.length - 1];
    if (last !== undefined && index <= last) {
      throw new Error(`Inflights.add: index ${index} is not after ${last}`);
    }
    this.indexes.push(index);
    this.sizes.push(bytes);
    this.bytes += bytes;
  }

  /** Frees every message whose last index is <= `to` (they were acknowledged). */
  freeLE(to: number): void {
    let n = 0;
    while (n < this.indexes.length && (this.indexes[n] ?? Number.POSITIVE_INFINITY) <= to) {
      this.bytes -= this.sizes[n] ?? 0;
      n++;
    }
    if (n > 0) {
      this.indexes.splice(0, n);
      this.sizes.splice(0, n);
    }
  }

  /** Frees the oldest message (a heartbeat response shows the follower is alive). */
  freeFirstOne(): void {
    const first = this.indexes[0];
    if (first !== undefined) this.freeLE(first);
  }

  /** True if no more messages may be sent. */
  full(): boolean {
    return (
      this.indexes.length >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes)
    );
  }

  /** Messages in flight. */
  count(): number {
    return this.indexes.length;
  }

  /** Payload bytes in flight. */
  inflightBytes(): number {
    return this.bytes;
  }

  /** Forgets everything in flight. */
  reset(): void {
    this.indexes.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
  }
}
