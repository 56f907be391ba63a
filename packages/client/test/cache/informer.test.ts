import { describe, expect, it } from "vitest";
import { DeletedFinalStateUnknown } from "../../src/cache/keys.js";
import { SharedInformer, waitForCacheSync } from "../../src/cache/shared-informer.js";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { StatusError } from "../../src/errors/status-error.js";
import type { KubeObject } from "../../src/meta/types.js";
import { list, pod, ScriptedListerWatcher } from "../support/scripted-lister-watcher.js";

const gone = (): StatusError =>
  new StatusError({ kind: "Status", status: "Failure", reason: "Gone", code: 410 });
const expired = (): StatusError =>
  new StatusError({ kind: "Status", status: "Failure", reason: "Expired", code: 410 });

/** Records handler calls as short strings. */
function recorder(informer: SharedInformer<KubeObject>): string[] {
  const log: string[] = [];
  const name = (o: KubeObject): string => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  informer.addEventHandler({
    onAdd: (o, initial) => log.push(`add ${name(o)}${initial ? " initial" : ""}`),
    onUpdate: (a, b) => log.push(`update ${name(a)} -> ${name(b)}`),
    onDelete: (o) =>
      log.push(
        o instanceof DeletedFinalStateUnknown ? `tombstone ${name(o.obj)}` : `delete ${name(o)}`,
      ),
  });
  return log;
}

function setup(lw: ScriptedListerWatcher<KubeObject>, resyncPeriodMs = 0) {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const informer = new SharedInformer<KubeObject>({
    listerWatcher: lw,
    clock,
    random: () => 0,
    resyncPeriodMs,
    onError: (err) => errors.push(err),
  });
  const log = recorder(informer);
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  return { clock, informer, log, stop, running, errors };
}

describe("Reflector through a SharedInformer", () => {
  it("lists, watches, resumes from bookmarks, and re-lists after 410 with backoff", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [
        list("12", [pod("a", "10"), pod("b", "11")]),
        expired(),
        list("30", [pod("a", "25"), pod("d", "29")]),
      ],
      [
        {
          events: [
            { type: "ADDED", object: pod("c", "13") },
            { type: "MODIFIED", object: pod("a", "14") },
            { type: "DELETED", object: pod("b", "15") },
            { type: "BOOKMARK", object: { metadata: { resourceVersion: "20" } } },
          ],
          end: "close",
        },
        { events: [{ type: "ERROR", object: gone().status }], end: "close" },
      ],
    );
    const { clock, informer, log, stop, running, errors } = setup(lw);
    await clock.advance(0);

    expect(lw.listCalls[0]).toEqual({ resourceVersion: "0", limit: 500 });
    expect(lw.watchCalls[0]).toMatchObject({ resourceVersion: "12", allowWatchBookmarks: true });
    // The first watch closed cleanly: the second resumes from the bookmark, no re-list.
    expect(lw.watchCalls[1]).toMatchObject({ resourceVersion: "20" });
    expect(informer.hasSynced()).toBe(true);
    expect(log).toEqual([
      "add a@10 initial",
      "add b@11 initial",
      "add c@13",
      "update a@10 -> a@14",
      "delete b@15",
    ]);
    expect(errors).toHaveLength(1);
    expect(lw.listCalls).toHaveLength(1);

    // The 410 on the watch backs off (800 ms with zero jitter), then re-lists at the last version.
    await clock.advance(799);
    expect(lw.listCalls).toHaveLength(1);
    await clock.advance(1);
    expect(lw.listCalls[1]).toEqual({ resourceVersion: "20", limit: 500 });
    // That list says the version expired: back off 1600 ms, then a consistent list ("").
    await clock.advance(1600);
    expect(lw.listCalls[2]).toEqual({ resourceVersion: "", limit: 500 });
    expect(informer.lastSyncResourceVersion()).toBe("30");
    expect(lw.watchCalls[2]).toMatchObject({ resourceVersion: "30" });
    expect(log.slice(5)).toEqual(["update a@14 -> a@25", "add d@29", "tombstone c@13"]);
    expect(
      informer
        .lister()
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(["a", "d"]);

    stop.abort();
    await running;
  });

  it("follows continue tokens and does not pin a version on later pages", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("5", [pod("a", "1")], "tok"), list("5", [pod("b", "2")])],
      [],
    );
    const { clock, informer, stop, running } = setup(lw);
    await clock.advance(0);
    expect(lw.listCalls).toEqual([
      { resourceVersion: "0", limit: 500 },
      { limit: 500, continue: "tok" },
    ]);
    expect(informer.indexer.listKeys().sort()).toEqual(["default/a", "default/b"]);
    stop.abort();
    await running;
  });

  it("treats a watch that closes at once without events as a failure and backs off", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("1", []), list("1", [])],
      [{ events: [], end: "close" }],
    );
    const { clock, stop, running, errors } = setup(lw);
    await clock.advance(0);
    expect(errors).toHaveLength(1);
    expect(lw.watchCalls).toHaveLength(1);
    await clock.advance(800);
    expect(lw.listCalls).toHaveLength(2);
    expect(lw.watchCalls).toHaveLength(2);
    stop.abort();
    await running;
  });

  it("retries a failing list with growing backoff until it succeeds", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [
        new Error("connection refused"),
        new Error("connection refused"),
        list("3", [pod("a", "3")]),
      ],
      [],
    );
    const { clock, informer, stop, running, errors } = setup(lw);
    await clock.advance(0);
    expect(informer.hasSynced()).toBe(false);
    await clock.advance(800);
    expect(lw.listCalls).toHaveLength(2);
    await clock.advance(1599);
    expect(lw.listCalls).toHaveLength(2);
    await clock.advance(1);
    expect(informer.hasSynced()).toBe(true);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "connection refused",
      "connection refused",
    ]);
    stop.abort();
    await running;
  });

  it("re-delivers cached objects as updates every resync period", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>([list("1", [pod("a", "1")])], []);
    const { clock, log, stop, running } = setup(lw, 30_000);
    await clock.advance(0);
    expect(log).toEqual(["add a@1 initial"]);
    await clock.advance(30_000);
    expect(log).toEqual(["add a@1 initial", "update a@1 -> a@1"]);
    await clock.advance(30_000);
    expect(log).toHaveLength(3);
    stop.abort();
    await running;
    expect(clock.pendingTimers).toBe(0);
  });

  it("replays the cache to a handler added late, and keeps going when a handler throws", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("1", [pod("a", "1")])],
      [{ events: [{ type: "ADDED", object: pod("b", "2") }], end: "hang" }],
    );
    const { clock, informer, log, stop, running, errors } = setup(lw);
    await clock.advance(0);
    informer.addEventHandler({
      onAdd: () => {
        throw new Error("handler bug");
      },
    });
    const late: string[] = [];
    const registration = informer.addEventHandler({
      onAdd: (o) => late.push(o.metadata?.name ?? ""),
    });
    expect(late.sort()).toEqual(["a", "b"]);
    expect(log).toEqual(["add a@1 initial", "add b@2"]);
    expect(errors.filter((e) => (e as Error).message === "handler bug")).toHaveLength(2);
    registration.remove();
    stop.abort();
    await running;
  });
});

describe("waitForCacheSync", () => {
  it("resolves true once every informer synced, false when stopped first", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>([list("1", [])], []);
    const { clock, informer, stop, running } = setup(lw);
    const synced = waitForCacheSync(new AbortController().signal, informer);
    await clock.advance(0);
    expect(await synced).toBe(true);
    stop.abort();
    await running;

    const never = new SharedInformer<KubeObject>({
      listerWatcher: new ScriptedListerWatcher<KubeObject>([], []),
      clock,
    });
    const giveUp = new AbortController();
    const waiting = waitForCacheSync(giveUp.signal, never);
    giveUp.abort();
    expect(await waiting).toBe(false);
  });
});

describe("Reflector watch retries", () => {
  it("retries only the watch, keeping the cache, when the server refuses connections", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), {
      code: "ECONNREFUSED",
    });
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("7", [pod("a", "7")])],
      [
        { events: [], end: refused },
        { events: [{ type: "ADDED", object: pod("b", "8") }], end: "hang" },
      ],
    );
    const { clock, log, stop, running, errors } = setup(lw);
    await clock.advance(0);
    expect(errors).toEqual([refused]);
    await clock.advance(800);
    expect(lw.listCalls).toHaveLength(1);
    expect(lw.watchCalls.map((w) => w.resourceVersion)).toEqual(["7", "7"]);
    expect(log).toEqual(["add a@7 initial", "add b@8"]);
    stop.abort();
    await running;
  });
});

describe("Reflector watch-list", () => {
  function watchListSetup(lw: ScriptedListerWatcher<KubeObject>) {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const informer = new SharedInformer<KubeObject>({
      listerWatcher: lw,
      clock,
      random: () => 0,
      useWatchList: true,
      onError: (err) => errors.push(err),
    });
    const log = recorder(informer);
    const stop = new AbortController();
    return { clock, informer, log, errors, stop, running: informer.run(stop.signal) };
  }

  const endOfInitialEvents = (rv: string): KubeObject => ({
    metadata: { resourceVersion: rv, annotations: { "k8s.io/initial-events-end": "true" } },
  });

  it("syncs from the initial events of one watch, without a list, and keeps watching", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [],
      [
        {
          events: [
            { type: "ADDED", object: pod("a", "4") },
            { type: "ADDED", object: pod("b", "6") },
            { type: "BOOKMARK", object: endOfInitialEvents("10") },
            { type: "MODIFIED", object: pod("a", "11") },
          ],
          end: "close",
        },
      ],
    );
    const { clock, informer, log, stop, running, errors } = watchListSetup(lw);
    await clock.advance(0);
    expect(lw.listCalls).toEqual([]);
    expect(lw.watchCalls[0]).toMatchObject({
      sendInitialEvents: true,
      allowWatchBookmarks: true,
      resourceVersion: "",
      resourceVersionMatch: "NotOlderThan",
    });
    expect(informer.hasSynced()).toBe(true);
    expect(log).toEqual(["add a@4 initial", "add b@6 initial", "update a@4 -> a@11"]);
    // The stream closed; the next watch is an ordinary one from the last version.
    expect(lw.watchCalls[1]).toMatchObject({ resourceVersion: "11" });
    expect(lw.watchCalls[1]?.sendInitialEvents).toBeUndefined();
    expect(errors).toEqual([]);
    stop.abort();
    await running;
  });

  it("falls back to list and watch when the initial events never end", async () => {
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("20", [pod("z", "20")])],
      [{ events: [{ type: "ADDED", object: pod("a", "4") }], end: "close" }],
    );
    const { clock, informer, log, stop, running, errors } = watchListSetup(lw);
    await clock.advance(0);
    expect(informer.hasSynced()).toBe(false);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "watch-list ended before its initial events did",
    ]);
    await clock.advance(800);
    expect(lw.listCalls).toHaveLength(1);
    expect(lw.watchCalls[1]).toMatchObject({ resourceVersion: "20" });
    expect(log).toEqual(["add z@20 initial"]);
    stop.abort();
    await running;
  });
});
