import { readdir, rmdir } from "node:fs/promises";
import { connect } from "node:net";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ContainerState, ImageService, PodSandboxState, RuntimeService } from "@kubekit/proto/cri";
import {
  buildBusyboxImage,
  type Containerd,
  importImage,
  makeTempDir,
  PAUSE_COMMAND,
  startContainerd,
  type TempDir,
} from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveCriSim } from "../src/index.js";
import { runScenario, type Transcript } from "./conformance/scenario.js";

// The same scenario against containerd 1.6's CRI plugin and against cri-sim:
// whatever a kubelet relies on must come out the same, or the simulation is lying.
describe("conformance: cri-sim agrees with containerd's CRI", () => {
  let work: TempDir;
  let containerd: Containerd;
  let busyboxRef: string;
  const cgroupParent = `/kubekit-cri-sim-conformance-${process.pid}`;

  beforeAll(async () => {
    work = await makeTempDir("cri-sim-conformance");
    const busybox = await buildBusyboxImage({
      dir: work.path,
      name: "kubekit/busybox",
      tag: "conf",
    });
    const pause = await buildBusyboxImage({
      dir: work.path,
      name: "kubekit/pause",
      tag: "conf",
      cmd: PAUSE_COMMAND,
    });
    busyboxRef = busybox.ref;
    containerd = await startContainerd({ sandboxImage: pause.ref });
    for (const image of [busybox, pause]) {
      await importImage({
        address: containerd.address,
        archive: image.archive,
        snapshotter: containerd.snapshotter,
      });
    }
  });

  afterAll(async () => {
    await containerd?.stop();
    await removeCgroup(cgroupParent);
    await work?.remove();
  });

  let real: Transcript;
  let simulated: Transcript;

  it("runs the scenario against containerd", async () => {
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(containerd.address) },
    });
    real = await runScenario({
      runtime: createClient(RuntimeService, transport),
      images: createClient(ImageService, transport),
      imageRef: busyboxRef,
      logDirectory: `${work.path}/logs-real`,
      cgroupParent,
    });
    // The scenario means something: the real runtime went through every state.
    expect(real.running).toMatchObject({ state: ContainerState.CONTAINER_RUNNING });
    expect(real.exitedByItself).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 3,
    });
    expect(real.sandboxStopped).toBe(PodSandboxState.SANDBOX_NOTREADY);
    expect(real.unknown).toMatchObject({
      podSandboxStatus: `code ${Code.NotFound}`,
      removeContainer: "ok",
    });
    expect(real.startTwice).toBe(`code ${Code.Unknown}`);
  });

  it("runs the same scenario against cri-sim (served over gRPC) and sees the same", async () => {
    const server = await serveCriSim({ socketPath: `${work.path}/cri-sim.sock` });
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(server.socketPath) },
    });
    // The sim has no images until pulled; containerd had its image imported.
    const images = createClient(ImageService, transport);
    await images.pullImage({ image: { image: busyboxRef } });
    simulated = await runScenario({
      runtime: createClient(RuntimeService, transport),
      images,
      imageRef: busyboxRef,
      logDirectory: `${work.path}/logs-sim`,
      cgroupParent,
    }).finally(() => server.close());
    expect(real).toBeDefined();
    expect(simulated).toEqual(real);
  });
});

/** Removes an (empty) cgroup from every cgroup v1 hierarchy and the v2 one. */
async function removeCgroup(path: string): Promise<void> {
  const hierarchies = await readdir("/sys/fs/cgroup").catch(() => []);
  for (const hierarchy of [...hierarchies, "."]) {
    await rmdir(`/sys/fs/cgroup/${hierarchy}${path}`).catch(() => {});
  }
}
