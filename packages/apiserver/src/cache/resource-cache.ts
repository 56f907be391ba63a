import type { Transport } from "@connectrpc/connect";
import type { ObjectStore } from "../storage/object-store.js";
import { openPrefixWatch, type PrefixWatch } from "../storage/watch-stream.js";
import type { KubeObject } from "../types/object.js";
import { WatchCache } from "./watch-cache.js";

/** How a resource's cache reaches the store. */
export interface ResourceCacheOptions {
  /** The resource's key prefix (all namespaces), ending in `/`. */
  prefix: string;
  store: ObjectStore;
  transport: Transport;
  /** How many recent events the ring keeps. */
  capacity: number;
  /** Whether the store's answers to progress requests follow every earlier event (see `progress-support.ts`). */
  progressInOrder: () => Promise<boolean>;
  /** Called with errors the cache recovers from (by watching or listing again). */
  onError?: (error: unknown) => void;
}

// The initial list reads the store in pages of this many keys, at one revision.
const LIST_PAGE = 1000;
// A resource with more keys than LIST_PAGE * MAX_LIST_PAGES is not cached whole; bounded anyway.
const MAX_LIST_PAGES = 100_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * One resource's watch cache at the edge (upstream's cacher with its
 * reflector): lists the resource's keys at one revision, then follows
 * them with ONE etcd prefix watch from the next revision, feeding the
 * pure {@link WatchCache}. When the watch breaks it watches again from
 * the last revision it holds; when that revision has been compacted it
 * lists again (which ends every client watch, as upstream does).
 */
export class ResourceCache {
  readonly cache: WatchCache;
  private readonly controller = new AbortController();
  private watch: PrefixWatch | undefined;
  private inOrder = false;

  constructor(private readonly options: ResourceCacheOptions) {
    this.cache = new WatchCache(options.capacity);
    void this.run();
  }

  /** Resolves true once the first list is in, or false after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.cache.ready) return true;
    return await this.until(() => this.cache.ready, timeoutMs);
  }

  /**
   * Waits until watches may be served from `revision` (asking the store
   * for a progress notification when the cache is behind); false after
   * `timeoutMs`.
   */
  async waitForRevision(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.cache.revision >= revision) return true;
    this.watch?.requestProgress();
    return await this.until(() => this.cache.revision >= revision, timeoutMs);
  }

  /**
   * Waits until the cache certainly holds every change up to `revision`,
   * for a consistent list. When the store's progress answers cannot be
   * trusted for that (etcd before 3.4.31), only events move the cache
   * there, so it answers at once: false means "read etcd instead".
   */
  async waitForConfirmed(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.cache.confirmed >= revision) return true;
    if (!this.inOrder) return false;
    this.watch?.requestProgress();
    return await this.until(() => this.cache.confirmed >= revision, timeoutMs);
  }

  /** Stops the etcd watch; client watches on this cache are reset. */
  close(): void {
    this.controller.abort();
    this.cache.replace([], this.cache.revision);
  }

  private until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(ok);
      };
      const stop = this.cache.onRevision(() => {
        if (condition()) done(true);
      });
      const timer = setTimeout(() => done(condition()), timeoutMs);
      if (condition()) done(true);
    });
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let needList = true;
    let retryMs = RETRY_MIN_MS;
    this.inOrder = await this.options.progressInOrder().catch(() => false);
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        needList = await this.follow(signal);
        retryMs = RETRY_MIN_MS;
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
      }
    }
  }

  // Reads every key under the prefix, page by page at the first page's revision.
  private async list(): Promise<void> {
    const { prefix, store } = this.options;
    const items: { key: string; object: KubeObject }[] = [];
    let startKey = prefix;
    let revision = 0;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const read = await store.list({
        prefix,
        startKey,
        limit: LIST_PAGE,
        ...(revision ? { revision } : {}),
      });
      if (!read.ok) throw new Error(`watch cache: listing ${prefix} failed: ${read.reason}`);
      revision = Number(read.value.revision);
      read.value.items.forEach((object, i) => {
        items.push({ key: read.value.keys[i]!, object });
      });
      if (!read.value.nextKey) break;
      startKey = read.value.nextKey;
    }
    this.cache.replace(items, revision);
  }

  // Follows the prefix from the last revision held; true when it must list again.
  private async follow(signal: AbortSignal): Promise<boolean> {
    const watch = openPrefixWatch(this.options.transport, {
      prefix: this.options.prefix,
      // Every event up to `confirmed` has been applied, and none after it.
      startRevision: BigInt(this.cache.confirmed + 1),
      signal,
    });
    this.watch = watch;
    try {
      for await (const item of watch.items) {
        if (item.type === "expired") return true;
        if (item.type === "progress") {
          // Periodic notifications travel with the events; answers to requests may not.
          this.cache.progress(Number(item.revision), !item.requested || this.inOrder);
          continue;
        }
        this.cache.apply(item.key, item.change);
      }
    } finally {
      if (this.watch === watch) this.watch = undefined;
    }
    if (!signal.aborted)
      throw new Error(`watch cache: the etcd watch on ${this.options.prefix} ended`);
    return false;
  }
}
