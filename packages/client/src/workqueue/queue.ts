/** What {@link WorkQueue.get} resolves to: the next item, or word that the queue has shut down. */
export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/**
 * A work queue with client-go's guarantees:
 *
 * - fair: items are handed out in the order they were added;
 * - stingy: an item added several times before it is handed out is handed out once;
 * - never concurrent on one item: an item re-added while a worker holds it is
 *   handed out again only after that worker calls {@link done};
 * - clean shutdown: after {@link shutDown}, new adds are dropped, items already
 *   queued are still handed out, then {@link get} reports `shutdown: true`.
 *
 * Items are compared with `Set` semantics, so use strings (object keys) as items.
 */
export class WorkQueue<T> {
  /** Items ready to be handed out, in order; each is also in `#dirty`. */
  readonly #queue: T[] = [];
  /** Index of the head of `#queue` (popping from the front without shifting). */
  #head = 0;
  /** Items that need processing: queued, or re-added while being processed. */
  readonly #dirty = new Set<T>();
  /** Items a worker holds right now. */
  readonly #processing = new Set<T>();
  /** Workers waiting in `get()` for an item. */
  readonly #waiters: Array<(result: GetResult<T>) => void> = [];
  #shuttingDown = false;
  #drainWaiters: Array<() => void> = [];

  /** Marks `item` as needing processing (see the class comment for what that means). */
  add(item: T): void {
    if (this.#shuttingDown || this.#dirty.has(item)) {
      return;
    }
    this.#dirty.add(item);
    if (this.#processing.has(item)) {
      // Re-queued by done(); a second worker must not get it meanwhile.
      return;
    }
    this.#enqueue(item);
  }

  /** Number of items waiting to be handed out (not counting those being processed). */
  len(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * The next item, once one is available. Resolves with `shutdown: true` once
   * the queue is shut down and empty. The caller must call {@link done} with
   * the item when it has finished with it.
   */
  get(): Promise<GetResult<T>> {
    if (this.len() > 0) {
      return Promise.resolve({ item: this.#take(), shutdown: false });
    }
    if (this.#shuttingDown) {
      return Promise.resolve({ item: undefined, shutdown: true });
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Tells the queue a worker has finished with `item`; re-queues it if it was re-added meanwhile. */
  done(item: T): void {
    if (!this.#processing.delete(item)) {
      return;
    }
    if (this.#dirty.has(item)) {
      this.#enqueue(item);
    } else if (this.#processing.size === 0) {
      this.#releaseDrainWaiters();
    }
  }

  /** Stops accepting items and wakes every waiting worker; queued items are still handed out. */
  shutDown(): void {
    if (this.#shuttingDown) {
      return;
    }
    this.#shuttingDown = true;
    this.onShutDown();
    // Waiters only exist while the queue is empty, so all of them see shutdown.
    for (const waiter of this.#waiters.splice(0)) {
      waiter({ item: undefined, shutdown: true });
    }
  }

  /**
   * Shuts the queue down, then resolves once no item is being processed: every
   * item handed out has been marked {@link done}. As upstream, items still
   * queued do not hold it up; workers keep receiving them from {@link get}.
   */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) {
      return;
    }
    await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  /** True once {@link shutDown} has been called. */
  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Hook for subclasses that hold timers to release on shutdown. */
  protected onShutDown(): void {}

  #enqueue(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      // Hand it straight to a waiting worker.
      this.#dirty.delete(item);
      this.#processing.add(item);
      waiter({ item, shutdown: false });
      return;
    }
    this.#queue.push(item);
  }

  #take(): T {
    const item = this.#queue[this.#head] as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#processing.add(item);
    this.#dirty.delete(item);
    return item;
  }

  #releaseDrainWaiters(): void {
    for (const resolve of this.#drainWaiters.splice(0)) {
      resolve();
    }
  }
}
