import type { Clock, TimerHandle } from "../clock/clock.js";
import type { KubeObject } from "../meta/types.js";
import type { BackoffOptions } from "../util/backoff.js";
import { createObjectIndexer, type Indexer, type Indexers } from "./indexer.js";
import { DeletedFinalStateUnknown } from "./keys.js";
import { createLister, type Lister } from "./lister.js";
import type { ListerWatcher } from "./lister-watcher.js";
import { Reflector, type ReflectorStore } from "./reflector.js";

/** Callbacks an informer calls as objects change. Keep them quick: enqueue a key, return. */
export interface ResourceEventHandler<T extends KubeObject> {
  /** A new object; `isInInitialList` is true for objects of the first list. */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object, or (at resync) an unchanged one with `oldObj === newObj`. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A deleted object, or a tombstone when the deletion was only noticed by re-listing. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** Returned by {@link SharedInformer.addEventHandler}. */
export interface HandlerRegistration {
  /** Stops calling the handler. */
  remove(): void;
}

/** Settings of a {@link SharedInformer}. */
export interface SharedInformerOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  clock: Clock;
  /** Uniform in [0, 1); for backoff jitter and watch timeouts. */
  random?: () => number;
  /** Re-deliver every cached object as an update this often (ms); 0 (default) never. */
  resyncPeriodMs?: number;
  /** Extra indices besides `namespace`. */
  indexers?: Indexers<T>;
  /** Name used in error reports. */
  name?: string;
  /** Page size for lists (default 500). */
  pageSize?: number;
  /** Backoff between failed list/watch cycles. */
  backoff?: BackoffOptions;
  /** Sync with a watch-list instead of a list (see the Reflector's `useWatchList`). */
  useWatchList?: boolean;
  /** Told about list/watch failures (before backing off) and about handlers that throw. */
  onError?: (err: unknown) => void;
  /**
   * Applied to every object before it is cached, e.g. to drop
   * `metadata.managedFields` and save memory. Must return an object with the
   * same key.
   */
  transform?: (obj: T) => T;
}

/**
 * One cache of one resource, kept current by a {@link Reflector}, shared by
 * any number of event handlers: client-go's SharedIndexInformer. Handlers run
 * synchronously in registration order, after the cache has been updated, so a
 * handler that looks the object up in the lister sees the new state.
 */
export class SharedInformer<T extends KubeObject> {
  readonly #options: SharedInformerOptions<T>;
  readonly #indexer: Indexer<T>;
  readonly #handlers = new Set<ResourceEventHandler<T>>();
  readonly #reflector: Reflector<T>;
  #synced = false;
  #started = false;
  #syncWaiters: Array<() => void> = [];
  #resyncTimer: TimerHandle | undefined;

  constructor(options: SharedInformerOptions<T>) {
    this.#options = options;
    this.#indexer = createObjectIndexer<T>(options.indexers);
    const transform = options.transform;
    this.#reflector = new Reflector<T>({
      listerWatcher: options.listerWatcher,
      store: {
        replace: (items) => this.#replace(transform ? items.map(transform) : items),
        add: (obj) => this.#addOrUpdate(transform ? transform(obj) : obj),
        update: (obj) => this.#addOrUpdate(transform ? transform(obj) : obj),
        delete: (obj) => this.#delete(transform ? transform(obj) : obj),
      } satisfies ReflectorStore<T>,
      clock: options.clock,
      ...(options.random ? { random: options.random } : {}),
      ...(options.name ? { name: options.name } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.useWatchList ? { useWatchList: true } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /**
   * Registers a handler. If the cache already holds objects they are
   * delivered to this handler at once as adds, so late handlers miss nothing.
   */
  addEventHandler(handler: ResourceEventHandler<T>): HandlerRegistration {
    this.#handlers.add(handler);
    for (const obj of this.#indexer.list()) {
      this.#call(() => handler.onAdd?.(obj, !this.#synced));
    }
    return { remove: () => this.#handlers.delete(handler) };
  }

  /** Adds indices; allowed before {@link run} only (as upstream). */
  addIndexers(indexers: Indexers<T>): void {
    if (this.#started) {
      throw new Error("informer has already started; add indexers before run()");
    }
    this.#indexer.addIndexers(indexers);
  }

  /** The cache itself (read-only use). */
  get indexer(): Indexer<T> {
    return this.#indexer;
  }

  /** A lister over the cache. */
  lister(): Lister<T> {
    return createLister(this.#indexer);
  }

  /** True once the first complete list has been stored and delivered. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves once {@link hasSynced} is true. */
  whenSynced(): Promise<void> {
    if (this.#synced) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  /** The resourceVersion the cache is current to. */
  lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /** Runs the reflector (and resync timer) until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) {
      throw new Error("informer already running");
    }
    this.#started = true;
    this.#armResync();
    try {
      await this.#reflector.run(signal);
    } finally {
      if (this.#resyncTimer) {
        this.#options.clock.clearTimeout(this.#resyncTimer);
        this.#resyncTimer = undefined;
      }
    }
  }

  // The reflector's writes, turned into notifications.

  /** Applies a complete list: adds, updates, and tombstone deletes for vanished objects. */
  #replace(items: T[]): void {
    const initial = !this.#synced;
    const fresh = new Set<string>();
    for (const obj of items) {
      const key = this.#indexer.keyOf(obj);
      fresh.add(key);
      const old = this.#indexer.getByKey(key);
      this.#indexer.add(obj);
      if (old === undefined) {
        this.#notify((h) => h.onAdd?.(obj, initial));
      } else {
        this.#notify((h) => h.onUpdate?.(old, obj));
      }
    }
    for (const key of this.#indexer.listKeys()) {
      if (!fresh.has(key)) {
        const last = this.#indexer.getByKey(key) as T;
        this.#indexer.deleteByKey(key);
        const tombstone = new DeletedFinalStateUnknown(key, last);
        this.#notify((h) => h.onDelete?.(tombstone));
      }
    }
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters.splice(0)) {
        resolve();
      }
    }
  }

  #addOrUpdate(obj: T): void {
    const old = this.#indexer.get(obj);
    this.#indexer.add(obj);
    if (old === undefined) {
      this.#notify((h) => h.onAdd?.(obj, false));
    } else {
      this.#notify((h) => h.onUpdate?.(old, obj));
    }
  }

  #delete(obj: T): void {
    const key = this.#indexer.keyOf(obj);
    this.#indexer.deleteByKey(key);
    this.#notify((h) => h.onDelete?.(obj));
  }

  #armResync(): void {
    const period = this.#options.resyncPeriodMs ?? 0;
    if (period <= 0) {
      return;
    }
    this.#resyncTimer = this.#options.clock.setTimeout(() => {
      if (this.#synced) {
        for (const obj of this.#indexer.list()) {
          this.#notify((h) => h.onUpdate?.(obj, obj));
        }
      }
      this.#armResync();
    }, period);
  }

  #notify(call: (handler: ResourceEventHandler<T>) => void): void {
    for (const handler of this.#handlers) {
      this.#call(() => call(handler));
    }
  }

  /** A throwing handler must not stop the others or the reflector. */
  #call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      (this.#options.onError ?? console.error)(err);
    }
  }
}

/**
 * Resolves `true` once every informer has synced, or `false` if `signal`
 * aborts first. Controllers start their workers only after this.
 */
export async function waitForCacheSync(
  signal: AbortSignal,
  ...informers: Array<{ whenSynced(): Promise<void> }>
): Promise<boolean> {
  if (signal.aborted) {
    return false;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      Promise.all(informers.map((informer) => informer.whenSynced())).then(() => true),
      aborted,
    ]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
