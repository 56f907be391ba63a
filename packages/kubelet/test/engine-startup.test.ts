import { createClient, createRouterTransport } from "@connectrpc/connect";
import { createCriSim } from "@kubekit/cri-sim";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type Pod, PodEngine, RecordingStatusSink, StaticPodSource } from "../src/index.js";
import { makePod, waitFor } from "./helpers.js";

/**
 * A simulated runtime whose relists (`listPodSandbox`) can be held at a
 * gate, counting the calls the engine makes: whatever the engine does
 * while a relist is held, it did without waiting for that relist.
 */
function gatedRuntime() {
  const sim = createCriSim();
  const transport = createRouterTransport(sim);
  const real = createClient(RuntimeService, transport);
  const calls = { listPodSandbox: 0, runPodSandbox: 0, startContainer: 0 };
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  const runtime = new Proxy(real, {
    get(target, key, receiver) {
      if (key === "listPodSandbox") {
        return async (...args: Parameters<typeof real.listPodSandbox>) => {
          calls.listPodSandbox++;
          await gate;
          return real.listPodSandbox(...args);
        };
      }
      if (key === "runPodSandbox" || key === "startContainer") {
        const method = Reflect.get(target, key, receiver) as (...a: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          calls[key]++;
          return method(...args);
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return {
    sim,
    runtime,
    images: createClient(ImageService, transport),
    calls,
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
  };
}

describe("PodEngine pod startup", () => {
  let dirs: TempDir | undefined;
  const engines: PodEngine[] = [];
  let release: () => void = () => {};

  afterEach(async () => {
    release();
    for (const engine of engines.splice(0)) await engine.stop();
    await dirs?.remove();
  });

  async function engineOn(
    cri: ReturnType<typeof gatedRuntime>,
    source: StaticPodSource,
    sink: RecordingStatusSink,
    // By default only requested syncs: the periodic tick never comes within a test.
    syncIntervalMs = 600_000,
  ) {
    dirs ??= await makeTempDir("engine-startup");
    release = () => cri.release();
    const engine = new PodEngine({
      runtime: cri.runtime,
      images: cri.images,
      source,
      sink,
      nodeName: "node-a",
      hostIPs: ["127.0.0.1"],
      podsDir: `${dirs.path}/pods`,
      podLogsRoot: `${dirs.path}/logs`,
      cgroupRoot: `/kubekit-startup-${process.pid}`,
      syncIntervalMs,
    });
    engines.push(engine);
    return engine;
  }

  const sleeper = (name: string): Pod =>
    makePod(name, [{ name: "main", image: "busybox", command: ["sleep", "3600"] }]);

  it("reports Running from the sync that started the container, with one relist", async () => {
    const cri = gatedRuntime();
    const pod = sleeper("one-relist");
    const sink = new RecordingStatusSink();
    const engine = await engineOn(cri, new StaticPodSource([pod]), sink);
    await engine.syncOnce();
    expect(cri.calls.listPodSandbox).toBe(1);
    expect(cri.calls.startContainer).toBe(1);
    const status = sink.latest(pod.metadata.uid);
    expect(status?.phase).toBe("Running");
    expect(status?.containerStatuses[0]?.state.running).toBeDefined();
    // No probes: the same report says the container is ready and started, as upstream's does.
    expect(status?.containerStatuses[0]?.ready).toBe(true);
    expect(status?.containerStatuses[0]?.started).toBe(true);
    expect(status?.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(status?.podIP).toBeTruthy();
  });

  it("starts a pod it has never seen without relisting (relists held meanwhile)", async () => {
    const cri = gatedRuntime();
    const source = new StaticPodSource();
    const sink = new RecordingStatusSink();
    const engine = await engineOn(cri, source, sink);
    engine.start();
    await waitFor("the first relist", () => engine.syncCount >= 1);
    cri.hold();
    const pod = sleeper("new");
    source.set(pod);
    engine.requestSync(pod);
    // Its sync began at once (the engine tracks it), not after a relist.
    expect(engine.podCount).toBe(1);
    await waitFor("the new pod Running", () => sink.latest(pod.metadata.uid)?.phase === "Running");
    // No relist was needed for it, nor started because of it.
    expect(cri.calls.listPodSandbox).toBe(1);
    expect(engine.syncCount).toBe(1);
    // The next relist finds the pod running and starts nothing more.
    cri.release();
    engine.requestSync();
    await waitFor("the next relist", () => engine.syncCount >= 2);
    expect(cri.sim.state.counts().containers).toBe(1);
    expect(cri.calls.runPodSandbox).toBe(1);
    expect(sink.latest(pod.metadata.uid)?.phase).toBe("Running");
  });

  it("never starts a pod from an empty view when the last relist found it in the runtime", async () => {
    const cri = gatedRuntime();
    const pod = sleeper("found");
    // A first kubelet ran the pod, then went away.
    const first = await engineOn(cri, new StaticPodSource([pod]), new RecordingStatusSink());
    await first.syncOnce();
    expect(cri.calls.runPodSandbox).toBe(1);
    // A second one relists before its source lists the pod: the relist
    // finds it (and, not desired, stops it as an orphan). Then the pod comes.
    const source = new StaticPodSource();
    const sink = new RecordingStatusSink();
    const second = await engineOn(cri, source, sink);
    second.start();
    await waitFor("the second engine's first relist", () => second.syncCount >= 1);
    cri.hold();
    source.set(pod);
    second.requestSync(pod);
    // No sync began from an empty view (it would track the pod at once):
    // the pod waits for the held relist.
    expect(second.podCount).toBe(0);
    cri.release();
    // The pod may wait a tick more (its orphan's removal may have ended
    // while the held relist ran): each poll stands in for the tick.
    await waitFor("the pod Running again", () => {
      second.requestSync();
      return sink.latest(pod.metadata.uid)?.phase === "Running";
    });
    expect(cri.sim.state.counts().containers).toBe(1);
  });
});
