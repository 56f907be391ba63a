/**
 * Controller expectations (upstream's ControllerExpectations): after a
 * controller creates or deletes pods it waits until its informer has seen
 * them before deciding again, so a stale cache cannot make it create twice.
 * Expectations expire after `ttlMs` (upstream: 5 minutes) in case a watch
 * event was lost.
 */
export class ControllerExpectations {
  readonly #entries = new Map<string, { add: number; del: number; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** Records that `add` creations and `del` deletions are on their way for `key`. */
  expect(key: string, add: number, del: number): void {
    this.#entries.set(key, { add, del, at: this.now() });
  }

  /** One creation expected for `key` was observed (or will never happen). */
  creationObserved(key: string): void {
    const e = this.#entries.get(key);
    if (e) e.add--;
  }

  /** One deletion expected for `key` was observed (or will never happen). */
  deletionObserved(key: string): void {
    const e = this.#entries.get(key);
    if (e) e.del--;
  }

  /** Whether `key` may be synced: nothing outstanding, or the expectations expired. */
  satisfied(key: string): boolean {
    const e = this.#entries.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.now() - e.at > this.ttlMs;
  }

  /** Forgets `key` (its owner was deleted). */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
