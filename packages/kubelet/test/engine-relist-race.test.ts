import { createClient, createRouterTransport } from "@connectrpc/connect";
import { createCriSim } from "@kubekit/cri-sim";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { PodEngine, RecordingStatusSink, StaticPodSource } from "../src/index.js";
import { makePod, waitFor } from "./helpers.js";

/** Lets the event loop run everything already queued (microtasks and pending callbacks). */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

// A relist that read the runtime before a pod's work made its container,
// but finished after that work ended, must not be used to sync the pod: it
// would try to create the container again (the runtime refuses the
// duplicate name, and the pod's status flaps to CreateContainerError). The interleaving is forced with
// gates on a simulated runtime (cri-sim), so it happens every run.
describe("PodEngine and a relist that raced a pod's work", () => {
  let dirs: TempDir | undefined;
  let engine: PodEngine | undefined;

  afterEach(async () => {
    await engine?.stop();
    await dirs?.remove();
  });

  it("waits for a newer relist instead of creating the container again", async () => {
    dirs = await makeTempDir("engine-race");
    const sim = createCriSim();
    const transport = createRouterTransport(sim);
    const real = createClient(RuntimeService, transport);
    let releaseCreate: () => void = () => {};
    const createGate = new Promise<void>((resolve) => {
      releaseCreate = resolve;
    });
    let createReached = false;
    let raced = false;
    let started = false;
    let creates = 0;
    const sink = new RecordingStatusSink();
    const pod = makePod("race", [{ name: "main", image: "busybox", command: ["sleep", "3600"] }]);
    const runtime = new Proxy(real, {
      get(target, key, receiver) {
        if (key === "createContainer") {
          return async (...args: Parameters<typeof real.createContainer>) => {
            creates++;
            if (!createReached) {
              createReached = true;
              await createGate; // held until a relist has read the runtime
            }
            return real.createContainer(...args);
          };
        }
        if (key === "startContainer") {
          return async (...args: Parameters<typeof real.startContainer>) => {
            const response = await real.startContainer(...args);
            started = true;
            return response;
          };
        }
        if (key === "listContainers") {
          return async (...args: Parameters<typeof real.listContainers>) => {
            const listed = await real.listContainers(...args);
            if (createReached && !raced) {
              raced = true;
              // This listing has no container yet; let the pod's work make
              // and start it, and finish, before the listing is returned.
              releaseCreate();
              await waitFor("the pod's work to start its container", () => started);
              await drain();
            }
            return listed;
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    engine = new PodEngine({
      runtime,
      images: createClient(ImageService, transport),
      source: new StaticPodSource([pod]),
      sink,
      nodeName: "node-a",
      hostIPs: ["127.0.0.1"],
      podsDir: `${dirs.path}/pods`,
      podLogsRoot: `${dirs.path}/logs`,
      cgroupRoot: `/kubekit-race-${process.pid}`,
      syncIntervalMs: 10,
    });
    engine.start();
    await waitFor("the raced relist", () => raced);
    const after = engine.syncCount;
    await waitFor("three more syncs", () => engine && engine.syncCount >= after + 3);
    await engine.stop();
    engine = undefined;
    expect(sim.state.counts().containers).toBe(1);
    expect(creates).toBe(1);
    const reasons = sink
      .history(pod.metadata.uid)
      .map((status) => status.containerStatuses[0]?.state.waiting?.reason);
    expect(reasons).not.toContain("CreateContainerError");
    expect(sink.latest(pod.metadata.uid)?.containerStatuses[0]?.restartCount).toBe(0);
  });
});
