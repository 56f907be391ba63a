import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { InMemoryLease } from "../../src/leaderelection/in-memory-lease.js";
import { LeaderElector } from "../../src/leaderelection/leader-elector.js";
import type { Lease, LeaseClient } from "../../src/leaderelection/lease.js";
import { formatMicroTime } from "../../src/leaderelection/lease.js";

/** A view of a shared lease that can be cut off: while `down`, every call hangs (a partition). */
class PartitionableLease implements LeaseClient {
  down = false;
  constructor(readonly inner: LeaseClient) {}
  get(): Promise<Lease | undefined> {
    return this.down ? new Promise(() => {}) : this.inner.get();
  }
  create(lease: Lease): Promise<Lease> {
    return this.down ? new Promise(() => {}) : this.inner.create(lease);
  }
  update(lease: Lease): Promise<Lease> {
    return this.down ? new Promise(() => {}) : this.inner.update(lease);
  }
  describe(): string {
    return this.inner.describe();
  }
}

function candidate(
  identity: string,
  lock: LeaseClient,
  clock: FakeClock,
  extra: { releaseOnCancel?: boolean } = {},
) {
  const log: string[] = [];
  let leadingSignal: AbortSignal | undefined;
  const elector = new LeaderElector({
    lock,
    identity,
    clock,
    random: () => 0,
    ...extra,
    callbacks: {
      onStartedLeading: (signal) => {
        leadingSignal = signal;
        log.push("started");
      },
      onStoppedLeading: () => log.push("stopped"),
      onNewLeader: (id) => log.push(`leader ${id}`),
    },
  });
  const stop = new AbortController();
  const running = elector.run(stop.signal);
  return { elector, log, stop, running, leading: () => leadingSignal };
}

describe("LeaderElector", () => {
  it("creates the lease, leads, and renews it every retry period", async () => {
    const clock = new FakeClock();
    const lease = new InMemoryLease("kube-system", "kube-controller-manager");
    const a = candidate("a", lease, clock);
    await clock.advance(0);
    expect(a.log).toEqual(["leader a", "started"]);
    expect(a.elector.isLeader()).toBe(true);
    const first = await lease.get();
    expect(first?.spec).toEqual({
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: formatMicroTime(clock.now()),
      renewTime: formatMicroTime(clock.now()),
      leaseTransitions: 0,
    });
    const acquiredAt = first?.spec?.acquireTime;
    await clock.advance(2000);
    const renewed = await lease.get();
    expect(renewed?.spec?.renewTime).toBe(formatMicroTime(clock.now()));
    expect(renewed?.spec?.acquireTime).toBe(acquiredAt);
    expect(Number(renewed?.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first?.metadata?.resourceVersion),
    );
    a.stop.abort();
    await a.running;
    expect(a.log).toEqual(["leader a", "started", "stopped"]);
    expect(a.leading()?.aborted).toBe(true);
  });

  it("keeps a second candidate waiting, and hands over at once on release", async () => {
    const clock = new FakeClock();
    const lease = new InMemoryLease();
    const a = candidate("a", lease, clock, { releaseOnCancel: true });
    await clock.advance(0);
    const b = candidate("b", lease, clock);
    await clock.advance(10_000);
    expect(b.log).toEqual(["leader a"]);
    expect(b.elector.isLeader()).toBe(false);

    a.stop.abort();
    await a.running;
    expect((await lease.get())?.spec).toMatchObject({
      holderIdentity: "",
      leaseDurationSeconds: 1,
    });
    // b tries every 2 s; the released lease is free at once.
    await clock.advance(2000);
    expect(b.log).toEqual(["leader a", "leader b", "started"]);
    expect((await lease.get())?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    b.stop.abort();
    await b.running;
  });

  it("gives up after the renew deadline when cut off; others take over after the lease duration", async () => {
    const clock = new FakeClock();
    const shared = new InMemoryLease();
    const aView = new PartitionableLease(shared);
    const a = candidate("a", aView, clock);
    await clock.advance(0);
    const b = candidate("b", shared, clock);
    await clock.advance(0);
    const lastRenewal = clock.now();
    aView.down = true;

    // a's renewal at +2 s hangs; it retries until its 10 s deadline passes at +12 s.
    await clock.advance(11_999);
    expect(a.log).toEqual(["leader a", "started"]);
    await clock.advance(1);
    expect(a.log).toEqual(["leader a", "started", "stopped"]);
    await a.running;

    // b saw the last change at `lastRenewal` and waits a full 15 s from then.
    await clock.advance(lastRenewal + 14_000 - clock.now());
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(2_000);
    expect(b.log).toEqual(["leader a", "leader b", "started"]);
    expect((await shared.get())?.spec?.leaseTransitions).toBe(1);
    b.stop.abort();
    await b.running;
  });

  it("lets only one of two simultaneous candidates win the race to create", async () => {
    const clock = new FakeClock();
    const lease = new InMemoryLease();
    const a = candidate("a", lease, clock);
    const b = candidate("b", lease, clock);
    await clock.advance(4000);
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    expect(leaders).toHaveLength(1);
    expect([a, b].flatMap((c) => c.log.filter((l) => l === "started"))).toHaveLength(1);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  it("refuses settings that cannot work", () => {
    const base = {
      lock: new InMemoryLease(),
      identity: "a",
      clock: new FakeClock(),
      callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => {} },
    };
    expect(() => new LeaderElector({ ...base, leaseDurationMs: 10_000 })).toThrow(/leaseDuration/);
    expect(() => new LeaderElector({ ...base, retryPeriodMs: 9_000 })).toThrow(/renewDeadline/);
    expect(() => new LeaderElector({ ...base, identity: "" })).toThrow(/identity/);
  });
});

describe("LeaderElector and the holder's declared duration", () => {
  it("waits out the duration the holder wrote into the lease, not its own", async () => {
    const clock = new FakeClock();
    const lease = new InMemoryLease();
    await lease.create({
      metadata: {},
      spec: { holderIdentity: "old", leaseDurationSeconds: 60, leaseTransitions: 4 },
    });
    const b = candidate("b", lease, clock);
    await clock.advance(58_000);
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(4_000);
    expect(b.elector.isLeader()).toBe(true);
    expect((await lease.get())?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 5 });
    b.stop.abort();
    await b.running;
  });
});
