import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { ContainerState, ImageService, RuntimeService } from "@kubekit/proto/cri";
import { describe, expect, it } from "vitest";
import {
  createCriSim,
  createManualClock,
  KNOBS,
  RUNTIME_NAME,
  SIMULATED_ANNOTATION,
} from "../src/index.js";
import { countingRandom, sandboxConfig } from "./helpers.js";

const SECOND = 1_000_000_000n;

async function codeOf(call: Promise<unknown>): Promise<Code | "no error"> {
  try {
    await call;
    return "no error";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

function clients(options: Parameters<typeof createCriSim>[0] = {}) {
  const sim = createCriSim(options);
  const transport = createRouterTransport(sim);
  return {
    sim,
    runtime: createClient(RuntimeService, transport),
    images: createClient(ImageService, transport),
  };
}

describe("cri-sim through Connect (in memory)", () => {
  it("names itself a simulation and reports ready", async () => {
    const { runtime } = clients();
    const version = await runtime.version({ version: "v1" });
    expect(version).toMatchObject({ runtimeName: RUNTIME_NAME, runtimeApiVersion: "v1" });
    expect(version.runtimeVersion).toContain("simulated");
    const { status } = await runtime.status({});
    expect(status?.conditions.map((c) => [c.type, c.status])).toEqual([
      ["RuntimeReady", true],
      ["NetworkReady", true],
    ]);
    expect(await codeOf(runtime.runtimeConfig({}))).toBe(Code.Unimplemented);
  });

  it("runs a pod whose container exits on the clock, seen through status and lists", async () => {
    const clock = createManualClock(5_000n * SECOND);
    const { runtime, images } = clients({
      clock,
      random: countingRandom(),
      podCidr: "10.1.2.0/24",
    });
    const { imageRef } = await images.pullImage({ image: { image: "busybox" } });
    expect(imageRef).toMatch(/^sha256:/);

    const config = sandboxConfig("job", { labels: { app: "job" } });
    const { podSandboxId } = await runtime.runPodSandbox({ config });
    const sandbox = await runtime.podSandboxStatus({ podSandboxId });
    expect(sandbox.status?.network?.ip).toBe("10.1.2.2");
    expect(sandbox.status?.annotations[SIMULATED_ANNOTATION]).toBe("true");

    const { containerId } = await runtime.createContainer({
      podSandboxId,
      sandboxConfig: config,
      config: {
        metadata: { name: "work" },
        image: { image: "busybox" },
        annotations: { [KNOBS.exitAfter]: "2s", [KNOBS.exitCode]: "1" },
        logPath: "work/0.log",
      },
    });
    await runtime.startContainer({ containerId });
    const running = await runtime.containerStatus({ containerId });
    expect(running.status).toMatchObject({
      state: ContainerState.CONTAINER_RUNNING,
      startedAt: 5_000n * SECOND,
      imageRef,
      logPath: "/var/log/pods/default_job/work/0.log",
    });
    expect(running.status?.image?.image).toBe("docker.io/library/busybox:latest");

    clock.advance(2n * SECOND);
    const exited = await runtime.containerStatus({ containerId });
    expect(exited.status).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 1,
      reason: "Error",
      finishedAt: 5_002n * SECOND,
    });
    const listed = await runtime.listContainers({
      filter: { state: { state: ContainerState.CONTAINER_EXITED } },
    });
    expect(listed.containers.map((c) => c.id)).toEqual([containerId]);

    const stats = await runtime.containerStats({ containerId });
    expect(stats.stats?.cpu?.usageCoreNanoSeconds?.value).toBe(0n);
    const podStats = await runtime.podSandboxStats({ podSandboxId });
    expect(podStats.stats?.linux?.containers.map((c) => c.attributes?.id)).toEqual([containerId]);
    expect((await runtime.listPodSandboxStats({})).stats).toHaveLength(1);
    expect((await runtime.listContainerStats({ filter: { podSandboxId } })).stats).toHaveLength(1);
  });

  it("fails pulls of missing images with NotFound, worded as containerd words it", async () => {
    const { images } = clients({ missingImages: ["kubekit/absent:1"] });
    const error = await images
      .pullImage({ image: { image: "docker.io/kubekit/absent:1" } })
      .catch((e) => ConnectError.from(e));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
    expect((error as ConnectError).rawMessage).toBe(
      'failed to pull and unpack image "docker.io/kubekit/absent:1": failed to resolve reference "docker.io/kubekit/absent:1": docker.io/kubekit/absent:1: not found',
    );
    expect(
      (await images.imageStatus({ image: { image: "kubekit/absent:1" } })).image,
    ).toBeUndefined();
  });

  it("keeps the image list consistent with pulls and removals", async () => {
    const { images } = clients({
      preloadedImages: ["registry.k8s.io/pause:3.9"],
      imageSizeBytes: 1234n,
    });
    await images.pullImage({ image: { image: "busybox" } });
    await images.pullImage({ image: { image: "busybox:latest" } });
    const listed = await images.listImages({});
    expect(listed.images.flatMap((i) => i.repoTags)).toEqual([
      "registry.k8s.io/pause:3.9",
      "docker.io/library/busybox:latest",
    ]);
    const fs = await images.imageFsInfo({});
    expect(fs.imageFilesystems[0]?.usedBytes?.value).toBe(2468n);
    expect(fs.imageFilesystems[0]?.inodesUsed?.value).toBe(2n);
    const filtered = await images.listImages({ filter: { image: { image: "busybox" } } });
    expect(filtered.images).toHaveLength(1);
    await images.removeImage({ image: { image: "busybox" } });
    await images.removeImage({ image: { image: "busybox" } }); // absent is fine
    expect((await images.listImages({})).images.flatMap((i) => i.repoTags)).toEqual([
      "registry.k8s.io/pause:3.9",
    ]);
  });

  it("answers ExecSync from knobs, and streaming with Unimplemented (NotFound first)", async () => {
    const { runtime, images } = clients({
      execResult: { exitCode: 0, stdout: "ok\n", stderr: "" },
    });
    await images.pullImage({ image: { image: "busybox" } });
    const config = sandboxConfig("probe", { annotations: { [`${KNOBS.execExitCode}.sick`]: "1" } });
    const { podSandboxId } = await runtime.runPodSandbox({ config });
    const ids: string[] = [];
    for (const name of ["well", "sick"]) {
      const { containerId } = await runtime.createContainer({
        podSandboxId,
        sandboxConfig: config,
        config: { metadata: { name }, image: { image: "busybox" } },
      });
      await runtime.startContainer({ containerId });
      ids.push(containerId);
    }
    const [well, sick] = ids as [string, string];
    const healthy = await runtime.execSync({ containerId: well, cmd: ["cat", "/tmp/ok"] });
    expect(new TextDecoder().decode(healthy.stdout)).toBe("ok\n");
    expect((await runtime.execSync({ containerId: sick, cmd: ["cat", "/tmp/ok"] })).exitCode).toBe(
      1,
    );

    const exec = await runtime
      .exec({ containerId: well, cmd: ["sh"] })
      .catch((e) => ConnectError.from(e));
    expect((exec as ConnectError).code).toBe(Code.Unimplemented);
    expect((exec as ConnectError).rawMessage).toMatch(/simulation/);
    expect(await codeOf(runtime.attach({ containerId: well }))).toBe(Code.Unimplemented);
    expect(await codeOf(runtime.portForward({ podSandboxId, port: [80] }))).toBe(
      Code.Unimplemented,
    );
    expect(await codeOf(runtime.exec({ containerId: "nope", cmd: ["sh"] }))).toBe(Code.NotFound);
  });

  it("stores the pod CIDR from UpdateRuntimeConfig and refuses a bad one", async () => {
    const { runtime, sim } = clients();
    await runtime.updateRuntimeConfig({
      runtimeConfig: { networkConfig: { podCidr: "10.99.0.0/24" } },
    });
    expect(sim.state.podCidr).toBe("10.99.0.0/24");
    const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig("p") });
    expect((await runtime.podSandboxStatus({ podSandboxId })).status?.network?.ip).toBe(
      "10.99.0.2",
    );
    const verbose = await runtime.status({ verbose: true });
    expect(JSON.parse(verbose.info.config ?? "{}")).toMatchObject({
      simulated: true,
      podCidr: "10.99.0.0/24",
    });
    expect(
      await codeOf(
        runtime.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: "x" } } }),
      ),
    ).toBe(Code.InvalidArgument);
  });

  it("answers InvalidArgument for a request without a config", async () => {
    const { runtime } = clients();
    expect(await codeOf(runtime.runPodSandbox({}))).toBe(Code.InvalidArgument);
  });
});
