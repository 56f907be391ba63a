import { afterEach, describe, expect, it } from "vitest";
import {
  type CoreEvent,
  createDynamicClient,
  type DynamicClient,
  EventRecorder,
  eventSinkFor,
  isNotFound,
  type KubeObject,
  LeaderElector,
  type Lease,
  leaseClientFor,
  listerWatcherFor,
  metaNamespaceKeyFunc,
  RateLimitingQueue,
  Resources,
  realClock,
  retryOnConflict,
  SharedInformer,
  splitMetaNamespaceKey,
  waitForCacheSync,
} from "../src/index.js";
import { type FakeApiserver, startFakeApiserver } from "./support/fake-apiserver.js";

let server: FakeApiserver | undefined;
let client: DynamicClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

async function setup(): Promise<DynamicClient> {
  server = await startFakeApiserver();
  client = createDynamicClient({ server: server.url, tls: {}, auth: { bearerToken: "t" } });
  return client;
}

/** Waits in real time (bounded) until `condition` holds. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await condition()).toBe(true);
}

describe("the client kit against an in-memory apiserver over HTTP", () => {
  it("elects a leader through a real Lease and hands it over on release", async () => {
    const c = await setup();
    const lock = leaseClientFor(c.resource<Lease>(Resources.leases), "kube-system", "demo");
    const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200 };
    const started: string[] = [];
    const elect = (identity: string) => {
      const stop = new AbortController();
      const elector = new LeaderElector({
        lock,
        identity,
        clock: realClock,
        releaseOnCancel: true,
        ...timing,
        callbacks: { onStartedLeading: () => started.push(identity), onStoppedLeading: () => {} },
      });
      return { elector, stop, running: elector.run(stop.signal) };
    };
    const a = elect("a");
    await eventually(() => started.includes("a"));
    const b = elect("b");
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(started).toEqual(["a"]);
    a.stop.abort();
    await a.running;
    await eventually(() => started.includes("b"));
    const stored = server?.objects("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases");
    expect(stored?.[0]).toMatchObject({
      kind: "Lease",
      metadata: { name: "demo", namespace: "kube-system" },
      spec: { holderIdentity: "b", leaseTransitions: 1 },
    });
    b.stop.abort();
    await b.running;
  });

  it("records events: a repeat becomes a count on the first Event", async () => {
    const c = await setup();
    const recorder = new EventRecorder({
      sink: eventSinkFor(c.resource<CoreEvent>(Resources.events)),
      component: "demo-controller",
      clock: realClock,
    });
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "ns" } };
    recorder.event(cm, "Warning", "Broken", "it broke");
    recorder.event(cm, "Warning", "Broken", "it broke");
    await recorder.flush();
    const events = server?.objects("/api/v1/namespaces/ns/events") ?? [];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: "Broken", count: 2, involvedObject: { name: "x" } });
  });

  it("runs a controller that mirrors ConfigMaps from one namespace into another", async () => {
    const c = await setup();
    const configMaps = c.resource(Resources.configMaps);
    const informer = new SharedInformer<KubeObject>({
      listerWatcher: listerWatcherFor(configMaps.namespace("src")),
      clock: realClock,
    });
    const queue = new RateLimitingQueue<string>({ clock: realClock });
    informer.addEventHandler({
      onAdd: (obj) => queue.add(metaNamespaceKeyFunc(obj)),
      onUpdate: (_old, obj) => queue.add(metaNamespaceKeyFunc(obj)),
    });
    const reconcile = async (key: string): Promise<void> => {
      const { name } = splitMetaNamespaceKey(key);
      const source = informer.lister().namespace("src").get(name);
      if (!source) return;
      const dst = configMaps.namespace("dst");
      await retryOnConflict(
        async () => {
          const current = await dst.get(name).catch((err: unknown) => {
            if (isNotFound(err)) return undefined;
            throw err;
          });
          const desired = {
            ...current,
            data: source.data,
            metadata: { ...current?.metadata, name },
          };
          await (current ? dst.update(desired) : dst.create(desired));
        },
        { clock: realClock },
      );
    };
    const stop = new AbortController();
    stop.signal.addEventListener("abort", () => queue.shutDown());
    const informerStopped = informer.run(stop.signal);
    const worker = (async () => {
      expect(await waitForCacheSync(stop.signal, informer)).toBe(true);
      for (;;) {
        const { item: key, shutdown } = await queue.get();
        if (shutdown) return;
        try {
          await reconcile(key);
          queue.forget(key);
        } catch {
          queue.addRateLimited(key);
        } finally {
          queue.done(key);
        }
      }
    })();

    const src = configMaps.namespace("src");
    await src.create({ metadata: { name: "settings" }, data: { mode: "fast" } });
    const copied = async (mode: string) => {
      const copy = await configMaps
        .namespace("dst")
        .get("settings")
        .catch(() => undefined);
      return (copy?.data as Record<string, string> | undefined)?.mode === mode;
    };
    await eventually(() => copied("fast"));
    await src.patch("settings", "merge", { data: { mode: "safe" } });
    await eventually(() => copied("safe"));
    stop.abort();
    await Promise.all([informerStopped, worker]);
  });
});
