import { type Clock, sleep } from "../clock/clock.js";
import { formatMicroTime, type Lease, type LeaseClient, type LeaseSpec } from "./lease.js";

/** What a {@link LeaderElector} tells its owner. */
export interface LeaderCallbacks {
  /** This candidate became leader; `signal` aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void;
  /** This candidate stopped leading (lost the lease, or was stopped). Called only after leading. */
  onStoppedLeading(): void;
  /** The observed leader changed (including to this candidate). */
  onNewLeader?(identity: string): void;
}

/** Settings of a {@link LeaderElector}; durations in ms. */
export interface LeaderElectorOptions {
  lock: LeaseClient;
  /** This candidate's unique name (hostname + random suffix is usual). */
  identity: string;
  clock: Clock;
  /** Uniform in [0, 1); jitters the retry period while waiting to acquire. */
  random?: () => number;
  /** How long others wait after the last observed change before taking over (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before it gives up (default 10 s). */
  renewDeadlineMs?: number;
  /** Time between attempts (default 2 s). */
  retryPeriodMs?: number;
  /** Hand the lease back when stopped, so a successor need not wait it out. */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  /** Told about failed attempts (they are retried). */
  onError?: (err: unknown) => void;
}

/** How much the acquire loop's retry period is stretched at most (as upstream: 1.2). */
const JITTER_FACTOR = 1.2;

/**
 * Leader election on a Lease, as client-go's leaderelection package: try to
 * acquire every retry period; once leader, renew every retry period and give
 * up leadership if no renewal succeeds within the renew deadline. Others
 * treat the lease as free once it has not changed for the lease duration,
 * timed on their own clock from when they saw the change, so clock skew
 * between machines does not matter.
 */
export class LeaderElector {
  readonly #o: Required<Omit<LeaderElectorOptions, "onError">> &
    Pick<LeaderElectorOptions, "onError">;
  /** The last lease spec seen, and when (on our clock) it was first seen. */
  #observed: LeaseSpec | undefined;
  #observedVersion: string | undefined;
  #observedAt = 0;
  #reportedLeader: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#o = {
      random: Math.random,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      releaseOnCancel: false,
      ...options,
    };
    const { leaseDurationMs, renewDeadlineMs, retryPeriodMs, identity } = this.#o;
    if (!identity) {
      throw new Error("leader election: identity must not be empty");
    }
    if (leaseDurationMs <= renewDeadlineMs) {
      throw new Error("leader election: leaseDuration must be greater than renewDeadline");
    }
    if (renewDeadlineMs <= JITTER_FACTOR * retryPeriodMs) {
      throw new Error(
        `leader election: renewDeadline must be greater than ${JITTER_FACTOR} * retryPeriod`,
      );
    }
    if (retryPeriodMs <= 0) {
      throw new Error("leader election: retryPeriod must be positive");
    }
  }

  /** The holder of the lease as last observed ("" when free or unknown). */
  getLeader(): string {
    return this.#observed?.holderIdentity ?? "";
  }

  /** True when the last observed holder is this candidate. */
  isLeader(): boolean {
    return this.getLeader() === this.#o.identity;
  }

  /**
   * Competes for the lease until `signal` aborts: acquires, leads while
   * renewals succeed, and returns when leadership is lost or on stop.
   * Run it again to compete again after losing.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.#acquire(signal))) {
      return;
    }
    const leading = new AbortController();
    const stop = (): void => leading.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      try {
        this.#o.callbacks.onStartedLeading(leading.signal);
      } catch (err) {
        this.#o.onError?.(err);
      }
      await this.#renew(leading.signal);
    } finally {
      signal.removeEventListener("abort", stop);
      leading.abort();
    }
    if (signal.aborted && this.#o.releaseOnCancel) {
      await this.#release();
    }
    this.#o.callbacks.onStoppedLeading();
  }

  /** Tries at once, then every jittered retry period, until it holds the lease or is stopped. */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.#tryAcquireOrRenew(this.#o.renewDeadlineMs)) {
        return true;
      }
      const wait = this.#o.retryPeriodMs * (1 + this.#o.random() * JITTER_FACTOR);
      try {
        await sleep(this.#o.clock, wait, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Renews every retry period; returns when a renewal deadline passes without success, or on stop. */
  async #renew(signal: AbortSignal): Promise<void> {
    const { clock, retryPeriodMs, renewDeadlineMs } = this.#o;
    while (!signal.aborted) {
      const deadline = clock.now() + renewDeadlineMs;
      let renewed = false;
      // Attempts at most every retry period until the deadline.
      while (!signal.aborted && clock.now() < deadline) {
        if (await this.#tryAcquireOrRenew(deadline - clock.now())) {
          renewed = true;
          break;
        }
        const wait = Math.min(retryPeriodMs, deadline - clock.now());
        if (wait <= 0 || !(await this.#sleep(wait, signal))) {
          break;
        }
      }
      if (!renewed || signal.aborted) {
        return;
      }
      if (!(await this.#sleep(retryPeriodMs, signal))) {
        return;
      }
    }
  }

  /** One attempt to create, take over or renew the lease; false when someone else holds it or on error. */
  async #tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const { clock, identity, lock } = this.#o;
    const timeout = this.#timeoutSignal(timeoutMs);
    try {
      const now = clock.now();
      const desired: LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: Math.round(this.#o.leaseDurationMs / 1000),
        acquireTime: formatMicroTime(now),
        renewTime: formatMicroTime(now),
        leaseTransitions: 0,
      };
      const current = await untilAborted(lock.get(timeout.signal), timeout.signal);
      if (current === undefined) {
        const created = await untilAborted(
          lock.create({ metadata: {}, spec: desired }, timeout.signal),
          timeout.signal,
        );
        this.#observe(created, clock.now());
        return true;
      }
      const spec = current.spec ?? {};
      if (current.metadata?.resourceVersion !== this.#observedVersion) {
        this.#observe(current, now);
      }
      const holder = spec.holderIdentity ?? "";
      const heldByOther = holder !== "" && holder !== identity;
      // The holder's own declared duration decides, timed from when we saw its last write.
      const holderDurationMs = (spec.leaseDurationSeconds ?? 0) * 1000 || this.#o.leaseDurationMs;
      if (heldByOther && this.#observedAt + holderDurationMs > now) {
        return false;
      }
      if (holder === identity) {
        desired.acquireTime = spec.acquireTime ?? desired.acquireTime;
        desired.leaseTransitions = spec.leaseTransitions ?? 0;
      } else {
        desired.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
      }
      const updated = await untilAborted(
        lock.update({ ...current, spec: desired }, timeout.signal),
        timeout.signal,
      );
      this.#observe(updated, clock.now());
      return true;
    } catch (err) {
      this.#o.onError?.(err);
      return false;
    } finally {
      timeout.cancel();
    }
  }

  /** Hands the lease back (holder "", 1 s duration) if we still hold it. */
  async #release(): Promise<void> {
    const { clock, identity, lock } = this.#o;
    const timeout = this.#timeoutSignal(this.#o.renewDeadlineMs);
    try {
      const current = await untilAborted(lock.get(timeout.signal), timeout.signal);
      if (current?.spec?.holderIdentity !== identity) {
        return;
      }
      const now = formatMicroTime(clock.now());
      const released = await untilAborted(
        lock.update(
          {
            ...current,
            spec: {
              holderIdentity: "",
              leaseDurationSeconds: 1,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: current.spec.leaseTransitions ?? 0,
            },
          },
          timeout.signal,
        ),
        timeout.signal,
      );
      this.#observe(released, clock.now());
    } catch (err) {
      this.#o.onError?.(err);
    } finally {
      timeout.cancel();
    }
  }

  #observe(lease: Lease, at: number): void {
    this.#observed = { ...lease.spec };
    this.#observedVersion = lease.metadata?.resourceVersion;
    this.#observedAt = at;
    const leader = this.#observed.holderIdentity ?? "";
    if (leader !== "" && leader !== this.#reportedLeader) {
      this.#reportedLeader = leader;
      try {
        this.#o.callbacks.onNewLeader?.(leader);
      } catch (err) {
        this.#o.onError?.(err);
      }
    }
  }

  /** Sleeps on the injected clock; false if stopped meanwhile. */
  async #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(this.#o.clock, ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** An AbortSignal that fires after `ms` on the injected clock. */
  #timeoutSignal(ms: number): { signal: AbortSignal; cancel(): void } {
    const controller = new AbortController();
    const handle = this.#o.clock.setTimeout(
      () => controller.abort(new Error("leader election: attempt timed out")),
      ms,
    );
    return { signal: controller.signal, cancel: () => this.#o.clock.clearTimeout(handle) };
  }
}

/** Settles like `promise`, or rejects once `signal` aborts, whichever comes first (a hung call must not stall the elector). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
