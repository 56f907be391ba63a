import type { Clock } from "../clock/clock.js";
import type { GroupVersionResource, KubeObject } from "../meta/types.js";
import { listerWatcherFor } from "../rest/dynamic-client.js";
import type { ResourceClient } from "../rest/resource-client.js";
import type { Indexers } from "./indexer.js";
import { SharedInformer, waitForCacheSync } from "./shared-informer.js";

/** Settings shared by every informer of a {@link SharedInformerFactory}. */
export interface SharedInformerFactoryOptions {
  clock: Clock;
  random?: () => number;
  /** Default resync period (ms) for informers that do not set their own; 0 = never. */
  resyncPeriodMs?: number;
  /** Watch only this namespace (all namespaces when absent). */
  namespace?: string;
  onError?: (err: unknown) => void;
  /** Applied to every cached object (see the `transform` option of {@link SharedInformer}). */
  transform?: <T extends KubeObject>(obj: T) => T;
}

/** Per-informer settings. */
export interface InformerForOptions<T extends KubeObject> {
  indexers?: Indexers<T>;
  resyncPeriodMs?: number;
}

/** What the factory needs from a client: a ResourceClient per resource. */
export interface ResourceClientSource {
  resource<T extends KubeObject>(gvr: GroupVersionResource): ResourceClient<T>;
}

/**
 * Hands out one {@link SharedInformer} per resource, so every controller in
 * a process shares one cache and one watch per resource (client-go's
 * SharedInformerFactory). Ask for informers, then {@link start}.
 */
export class SharedInformerFactory {
  readonly #informers = new Map<string, SharedInformer<KubeObject>>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(
    readonly client: ResourceClientSource,
    readonly options: SharedInformerFactoryOptions,
  ) {}

  /** The informer for `gvr`, created on first request. Indexers can be added until it starts. */
  informerFor<T extends KubeObject>(
    gvr: GroupVersionResource,
    options: InformerForOptions<T> = {},
  ): SharedInformer<T> {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    const existing = this.#informers.get(key) as SharedInformer<T> | undefined;
    if (existing) {
      if (options.indexers) existing.addIndexers(options.indexers);
      return existing;
    }
    let resource = this.client.resource<T>(gvr);
    if (gvr.namespaced && this.options.namespace) {
      resource = resource.namespace(this.options.namespace);
    }
    const o = this.options;
    const informer = new SharedInformer<T>({
      listerWatcher: listerWatcherFor(resource),
      clock: o.clock,
      name: key,
      resyncPeriodMs: options.resyncPeriodMs ?? o.resyncPeriodMs ?? 0,
      ...(o.random ? { random: o.random } : {}),
      ...(o.onError ? { onError: o.onError } : {}),
      ...(o.transform ? { transform: o.transform } : {}),
      ...(options.indexers ? { indexers: options.indexers } : {}),
    });
    this.#informers.set(key, informer as unknown as SharedInformer<KubeObject>);
    return informer;
  }

  /** Starts every informer not started yet; call again after asking for more. */
  start(signal: AbortSignal): void {
    for (const [key, informer] of this.#informers) {
      if (!this.#running.has(key)) {
        this.#running.set(key, informer.run(signal));
      }
    }
  }

  /** Resolves true once every informer handed out so far has synced; false if stopped first. */
  waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    return waitForCacheSync(signal, ...this.#informers.values());
  }

  /** Resolves once every started informer has stopped (abort the start signal first). */
  async shutdown(): Promise<void> {
    await Promise.all(this.#running.values());
  }
}
