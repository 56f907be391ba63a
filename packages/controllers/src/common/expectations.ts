import type { Clock } from "@kubekit/client";

/** How long expectations hold before a controller stops trusting them (upstream's ExpectationsTimeout). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /**
   * Pod keys whose deletion we still wait to observe, when the deletions
   * were expected by key (upstream's UIDTrackingControllerExpectations):
   * then only those pods count, each once. Undefined when only a count
   * was expected, and any observed deletion counts.
   */
  deleting: Set<string> | undefined;
  setAt: number;
}

/**
 * Creations and deletions a controller has asked for but not yet seen in its
 * informer, per controller key: upstream's ControllerExpectations. A
 * controller syncs a key only when its expectations are satisfied (every
 * create/delete observed, or the record is older than the timeout), so a
 * burst of resyncs before the informer catches up never creates or deletes
 * twice.
 */
export class ControllerExpectations {
  readonly #records = new Map<string, Expectation>();

  constructor(
    private readonly clock: Pick<Clock, "now">,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** Whether a sync may act: nothing in flight, no record, or the record expired. */
  satisfied(key: string): boolean {
    const e = this.#records.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.setAt > this.timeoutMs;
  }

  /** Records that `adds` creations and `dels` deletions (counted, not by pod) are about to be issued. */
  expect(key: string, adds: number, dels: number): void {
    this.#records.set(key, { add: adds, del: dels, deleting: undefined, setAt: this.clock.now() });
  }

  /** Records that `adds` creations are about to be issued. */
  expectCreations(key: string, adds: number): void {
    this.expect(key, adds, 0);
  }

  /** Records that the pods with these keys are about to be deleted. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.#records.set(key, {
      add: 0,
      del: podKeys.length,
      deleting: new Set(podKeys),
      setAt: this.clock.now(),
    });
  }

  /** A creation was observed (or failed and will never be). */
  creationObserved(key: string): void {
    const e = this.#records.get(key);
    if (e) e.add--;
  }

  /**
   * A deletion was observed (or failed). With deletions expected by key
   * it counts only for `podKey` among them, once; otherwise any counts.
   */
  deletionObserved(key: string, podKey?: string): void {
    const e = this.#records.get(key);
    if (!e) return;
    if (e.deleting === undefined || (podKey !== undefined && e.deleting.delete(podKey))) e.del--;
  }

  /** Forgets a controller (it was deleted). */
  delete(key: string): void {
    this.#records.delete(key);
  }

  /** The outstanding counts, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.#records.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }
}
