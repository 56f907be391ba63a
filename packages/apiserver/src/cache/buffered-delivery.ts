/**
 * Where a watcher's events go: `write` returns false when the consumer
 * wants no more until it calls back (Node's writable backpressure).
 */
export interface DeliverySink<T> {
  write(item: T): boolean;
  /** The buffer overflowed: the watch must end (upstream closes unresponsive watchers). */
  overflow(): void;
}

/**
 * The per-watcher buffer between the cache and a client, as upstream's
 * cacheWatcher input channel: events go straight to the sink while it
 * keeps up, queue while it pushes back, and when more than `capacity`
 * are queued the watcher is given up (the sink's `overflow`), so that one
 * client that does not read costs bounded memory and never holds up the
 * others.
 */
export class BufferedDelivery<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private blocked: boolean;
  private ended = false;

  /** @param held start by queueing, until the first `resume()` (while something else is written first). */
  constructor(
    private readonly capacity: number,
    private readonly sink: DeliverySink<T>,
    held = false,
  ) {
    this.blocked = held;
  }

  /** Whether the watcher was given up or stopped. */
  get closed(): boolean {
    return this.ended;
  }

  /** How many items wait for the sink. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Hands one item on, or queues it while the sink pushes back. */
  push(item: T): void {
    if (this.ended) return;
    if (!this.blocked) {
      this.blocked = !this.sink.write(item);
      return;
    }
    this.queue.push(item);
    if (this.pending > this.capacity) {
      this.stop();
      this.sink.overflow();
    }
  }

  /** The sink can take more: hands on what is queued until it pushes back again. */
  resume(): void {
    this.blocked = false;
    while (!this.ended && !this.blocked && this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      this.queue[this.head] = undefined as T;
      this.head++;
      this.blocked = !this.sink.write(item);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }

  /** Drops what is queued and takes no more. */
  stop(): void {
    this.ended = true;
    this.queue.length = 0;
    this.head = 0;
  }
}
