/**
 * Remembers the slices this controller wrote until its informer has seen
 * the writes (upstream's EndpointSliceTracker in spirit). While a
 * service's writes are unseen its cache is stale, and planning from it
 * could create a slice twice; the controller waits instead. A watch
 * delivers changes in order, so seeing the resourceVersion we wrote (or
 * the delete we made) is enough. Entries expire after `ttlMs` in case an
 * event was missed.
 */
export class SliceTracker {
  readonly #pending = new Map<string, Map<string, { resourceVersion: string; at: number }>>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 60_000,
  ) {}

  /** We wrote slice `name` of service `serviceKey`; `resourceVersion` "" for a delete. */
  wrote(serviceKey: string, name: string, resourceVersion: string): void {
    let slices = this.#pending.get(serviceKey);
    if (!slices) {
      slices = new Map();
      this.#pending.set(serviceKey, slices);
    }
    slices.set(name, { resourceVersion, at: this.now() });
  }

  /** The informer saw slice `name` at `resourceVersion` ("" when it saw it deleted). */
  observed(serviceKey: string, name: string, resourceVersion: string): void {
    const slices = this.#pending.get(serviceKey);
    const entry = slices?.get(name);
    if (slices && entry?.resourceVersion === resourceVersion) {
      slices.delete(name);
      if (slices.size === 0) this.#pending.delete(serviceKey);
    }
  }

  /** True while some write for the service has not shown up in the cache. */
  stale(serviceKey: string): boolean {
    const slices = this.#pending.get(serviceKey);
    if (!slices) return false;
    const now = this.now();
    for (const [name, entry] of slices) {
      if (now - entry.at > this.ttlMs) slices.delete(name);
    }
    if (slices.size === 0) this.#pending.delete(serviceKey);
    return slices.size > 0;
  }

  /** Forgets a deleted service. */
  forget(serviceKey: string): void {
    this.#pending.delete(serviceKey);
  }
}
