import { type Clock, sleep } from "../clock/clock.js";
import { isGoneOrExpired, isTooManyRequests } from "../errors/predicates.js";
import { StatusError } from "../errors/status-error.js";
import type { KubeObject, WatchEvent } from "../meta/types.js";
import { type BackoffOptions, ExponentialBackoff } from "../util/backoff.js";
import { type KeyFunc, metaNamespaceKeyFunc } from "./keys.js";
import type { ListerWatcher } from "./lister-watcher.js";

/** Where a {@link Reflector} writes what it learns. */
export interface ReflectorStore<T> {
  /** The complete state as of `resourceVersion` (after every list). */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

/** Settings of a {@link Reflector}. */
export interface ReflectorOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  store: ReflectorStore<T>;
  clock: Clock;
  /** Uniform in [0, 1); used for backoff jitter and watch timeouts. */
  random?: () => number;
  /** Name used in error reports (e.g. `"v1/pods"`). */
  name?: string;
  /** Page size for lists (default 500; 0 lists everything in one response). */
  pageSize?: number;
  /** Backoff between failed list/watch cycles (default 800 ms .. 30 s, reset after 2 min). */
  backoff?: BackoffOptions;
  /** Shortest server-side watch timeout; each watch asks for 1..2 times this (default 300 s). */
  minWatchTimeoutSeconds?: number;
  /** Told about every failure before the reflector backs off and retries. */
  onError?: (err: unknown) => void;
  /**
   * Get the initial state from a watch with `sendInitialEvents` (watch-list)
   * instead of a list, saving the apiserver a large list response. Needs a
   * server that supports it; if the first attempt fails before the initial
   * events end, the reflector falls back to lists for good.
   */
  useWatchList?: boolean;
  /** Key of an object, for the watch-list's temporary store (default `namespace/name`). */
  keyFunc?: KeyFunc<T>;
}

/** The annotation on the BOOKMARK that ends a watch-list's initial events. */
export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

/** A watch that ends this soon without any event counts as a failure (as upstream). */
const SHORT_WATCH_MS = 1000;

/** Raised when a watch ends suspiciously fast; handled by backing off. */
class ShortWatchError extends Error {
  override readonly name = "ShortWatchError";
}

/**
 * Keeps a store in step with the server: lists the collection, then watches
 * from the list's resourceVersion, applying each event. It re-watches from
 * the last seen version (advanced by BOOKMARK events) when a watch ends, and
 * re-lists when the version is too old (410), backing off on the injected
 * clock after failures. Runs until its signal aborts.
 */
export class Reflector<T extends KubeObject> {
  readonly #options: ReflectorOptions<T>;
  readonly #random: () => number;
  readonly #backoff: ExponentialBackoff;
  #lastSyncResourceVersion = "";
  /** Set when a list at the last version got 410: the next list must be a fresh, consistent one. */
  #versionUnavailable = false;
  /** Whether the next sync uses watch-list; cleared for good when watch-list fails. */
  #watchList: boolean;

  constructor(options: ReflectorOptions<T>) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#watchList = options.useWatchList ?? false;
    this.#backoff = new ExponentialBackoff(
      options.backoff ?? { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000 },
      options.clock,
      this.#random,
    );
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  get lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  /** Lists and watches until `signal` aborts. Never rejects for server errors; only reports them. */
  async run(signal: AbortSignal): Promise<void> {
    // Each pass is one list followed by as many watches as keep working.
    while (!signal.aborted) {
      try {
        if (this.#watchList) {
          await this.#syncByWatchList(signal);
        } else {
          await this.#list(signal);
        }
        await this.#watchUntilFailure(signal);
      } catch (err) {
        if (signal.aborted) {
          return;
        }
        if (isGoneOrExpired(err) && err instanceof ListFailure) {
          this.#versionUnavailable = true;
        }
        if (err instanceof ListFailure && err.watchList) {
          this.#watchList = false;
        }
        this.#options.onError?.(err instanceof ListFailure ? err.cause : err);
      }
      try {
        await sleep(this.#options.clock, this.#backoff.next(), signal);
      } catch {
        return;
      }
    }
  }

  /** Lists every page and replaces the store's contents. */
  async #list(signal: AbortSignal): Promise<void> {
    const limit = this.#options.pageSize ?? 500;
    const resourceVersion = this.#relistResourceVersion();
    const items: T[] = [];
    let listVersion = "";
    let token: string | undefined;
    try {
      // Bounded by the server's pages; a page without a continue token ends it.
      for (let page = 0; page < 1_000_000; page++) {
        const result = await this.#options.listerWatcher.list(
          {
            ...(resourceVersion !== undefined && token === undefined ? { resourceVersion } : {}),
            ...(limit > 0 ? { limit } : {}),
            ...(token !== undefined ? { continue: token } : {}),
          },
          signal,
        );
        items.push(...result.items);
        listVersion = result.metadata?.resourceVersion ?? "";
        token = result.metadata?.continue || undefined;
        if (token === undefined) {
          break;
        }
      }
    } catch (err) {
      throw new ListFailure(err);
    }
    this.#options.store.replace(items, listVersion);
    this.#lastSyncResourceVersion = listVersion;
    this.#versionUnavailable = false;
  }

  /**
   * Streams the initial state as synthetic ADDED events into a temporary
   * store until the bookmark that ends them, replaces the store's contents
   * with it, then keeps applying the same stream as an ordinary watch.
   */
  async #syncByWatchList(signal: AbortSignal): Promise<void> {
    const keyOf = this.#options.keyFunc ?? (metaNamespaceKeyFunc as KeyFunc<T>);
    const initial = new Map<string, T>();
    let synced = false;
    const events = this.#options.listerWatcher.watch(
      {
        sendInitialEvents: true,
        allowWatchBookmarks: true,
        resourceVersion: this.#versionUnavailable ? "" : this.#lastSyncResourceVersion,
        resourceVersionMatch: "NotOlderThan",
        timeoutSeconds: this.#watchTimeoutSeconds(),
      },
      signal,
    );
    try {
      for await (const event of events) {
        if (synced) {
          this.#apply(event);
          continue;
        }
        if (event.type === "ERROR") {
          throw new StatusError(event.object);
        }
        if (event.type === "BOOKMARK") {
          if (event.object.metadata?.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true") {
            const version = event.object.metadata.resourceVersion ?? "";
            this.#options.store.replace([...initial.values()], version);
            this.#lastSyncResourceVersion = version;
            this.#versionUnavailable = false;
            synced = true;
          }
          continue;
        }
        if (event.type === "DELETED") {
          initial.delete(keyOf(event.object));
        } else {
          initial.set(keyOf(event.object), event.object);
        }
      }
    } catch (err) {
      if (synced || signal.aborted) {
        throw err;
      }
      throw new ListFailure(err, true);
    }
    if (!synced && !signal.aborted) {
      throw new ListFailure(new Error("watch-list ended before its initial events did"), true);
    }
  }

  /**
   * The version to list at: any cached state ("0") the first time, the last
   * synced version after that, and a consistent read ("") after that version
   * turned out to be gone.
   */
  #relistResourceVersion(): string {
    if (this.#versionUnavailable) {
      return "";
    }
    return this.#lastSyncResourceVersion === "" ? "0" : this.#lastSyncResourceVersion;
  }

  /** Watches again and again from the last version; returns only by throwing. */
  async #watchUntilFailure(signal: AbortSignal): Promise<void> {
    // Each iteration is one watch connection; it ends by the server's timeout.
    for (;;) {
      const started = this.#options.clock.now();
      const events = this.#options.listerWatcher.watch(
        {
          resourceVersion: this.#lastSyncResourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.#watchTimeoutSeconds(),
        },
        signal,
      );
      let count = 0;
      try {
        for await (const event of events) {
          count++;
          this.#apply(event);
        }
      } catch (err) {
        if (signal.aborted || count > 0 || !isTransientWatchStartError(err)) {
          throw err;
        }
        // The server is restarting or shedding load: keep the cache, retry the watch only.
        this.#options.onError?.(err);
        await sleep(this.#options.clock, this.#backoff.next(), signal);
        continue;
      }
      if (signal.aborted) {
        throw signal.reason;
      }
      if (count === 0 && this.#options.clock.now() - started < SHORT_WATCH_MS) {
        throw new ShortWatchError(
          `${this.#options.name ?? "reflector"}: watch closed at once without events`,
        );
      }
    }
  }

  /** Server-side watch timeout: 1..2 times the minimum, spread so watches do not end together. */
  #watchTimeoutSeconds(): number {
    const minTimeout = this.#options.minWatchTimeoutSeconds ?? 300;
    return Math.floor(minTimeout * (1 + this.#random()));
  }

  #apply(event: WatchEvent<T>): void {
    const store = this.#options.store;
    switch (event.type) {
      case "ADDED":
        store.add(event.object);
        break;
      case "MODIFIED":
        store.update(event.object);
        break;
      case "DELETED":
        store.delete(event.object);
        break;
      case "BOOKMARK":
        break;
      case "ERROR":
        throw new StatusError(event.object);
    }
    const version = event.object.metadata?.resourceVersion;
    if (version) {
      this.#lastSyncResourceVersion = version;
    }
  }
}

/** Marks an error as coming from the list (a 410 there means the version is gone for good). */
class ListFailure extends Error {
  override readonly name = "ListFailure";
  constructor(
    cause: unknown,
    /** True when the failed sync was a watch-list. */
    readonly watchList = false,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Errors starting a watch that do not call the cache into question: the
 * apiserver refusing connections (restarting) or asking us to slow down.
 */
function isTransientWatchStartError(err: unknown): boolean {
  if (isTooManyRequests(err)) {
    return true;
  }
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if ((current as NodeJS.ErrnoException).code === "ECONNREFUSED") {
      return true;
    }
    current = current.cause;
  }
  return false;
}
