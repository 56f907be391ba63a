import type { KubeList, KubeObject, WatchEvent } from "../meta/types.js";

/** Query parameters of a list request. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the server returns a `continue` token when there is more. */
  limit?: number;
  /** The token from the previous page. */
  continue?: string;
  /** `""` for a consistent read, `"0"` for any cached state, or a specific version. */
  resourceVersion?: string;
  resourceVersionMatch?: "NotOlderThan" | "Exact";
  timeoutSeconds?: number;
}

/** Query parameters of a watch request. */
export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; events newer than it are delivered. */
  resourceVersion?: string;
  /** Ask the server for BOOKMARK events, which advance the version without a change. */
  allowWatchBookmarks?: boolean;
  /** Ask the server to end the watch after this long. */
  timeoutSeconds?: number;
  /** Start with synthetic ADDED events for the current state (watch-list), when the server supports it. */
  sendInitialEvents?: boolean;
  /** With `sendInitialEvents`: `NotOlderThan` the given resourceVersion. */
  resourceVersionMatch?: "NotOlderThan" | "Exact";
}

/**
 * How a reflector reads a collection: list it, then watch it. The REST
 * client provides one per resource; tests provide scripted ones.
 */
export interface ListerWatcher<T extends KubeObject> {
  /** One page (or all) of the collection. Rejects with a StatusError on failure. */
  list(options: ListOptions, signal?: AbortSignal): Promise<KubeList<T>>;
  /**
   * A stream of changes after `options.resourceVersion`. It ends when the
   * server closes the watch and stops when `signal` aborts; failures to start
   * reject the first `next()`.
   */
  watch(options: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}
