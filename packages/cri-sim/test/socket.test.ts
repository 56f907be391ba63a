import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ContainerState, ImageService, RuntimeService } from "@kubekit/proto/cri";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CriSimServer, serveCriSim } from "../src/index.js";
import { sandboxConfig } from "./helpers.js";

describe("serveCriSim: gRPC over a unix socket", () => {
  let dir: TempDir;
  let server: CriSimServer;

  const clientsFor = (socketPath: string) => {
    // The authority is a placeholder: createConnection decides where bytes go.
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(socketPath) },
    });
    return {
      runtime: createClient(RuntimeService, transport),
      images: createClient(ImageService, transport),
    };
  };

  beforeAll(async () => {
    dir = await makeTempDir("cri-sim-socket");
    server = await serveCriSim({ socketPath: join(dir.path, "cri-sim.sock") });
  });

  afterAll(async () => {
    await server?.close();
    await dir?.remove();
  });

  it("serves a pod's life cycle to a gRPC client", async () => {
    const { runtime, images } = clientsFor(server.socketPath);
    expect((await runtime.version({})).runtimeName).toBe("cri-sim");
    await images.pullImage({ image: { image: "busybox" } });
    const config = sandboxConfig("sock");
    const { podSandboxId } = await runtime.runPodSandbox({ config });
    const { containerId } = await runtime.createContainer({
      podSandboxId,
      sandboxConfig: config,
      config: { metadata: { name: "app" }, image: { image: "busybox" } },
    });
    await runtime.startContainer({ containerId });
    expect((await runtime.containerStatus({ containerId })).status?.state).toBe(
      ContainerState.CONTAINER_RUNNING,
    );
    const error = await runtime.containerStatus({ containerId: "nope" }).catch((e) => e);
    expect(ConnectError.from(error).code).toBe(Code.NotFound);
    await runtime.removePodSandbox({ podSandboxId });
    expect(server.sim.state.counts()).toMatchObject({ sandboxes: 0, containers: 0 });
  });

  it("closes cleanly: socket removed, open connections ended, later calls fail", async () => {
    const socketPath = join(dir.path, "closing.sock");
    const closing = await serveCriSim({ socketPath, closeGraceMs: 200 });
    const { runtime } = clientsFor(socketPath);
    await runtime.version({}); // an open HTTP/2 connection
    expect(existsSync(socketPath)).toBe(true);
    const started = Date.now();
    await closing.close();
    await closing.close(); // idempotent
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(existsSync(socketPath)).toBe(false);
    const after = await runtime.version({}).catch((e) => ConnectError.from(e));
    // The old connection is gone, so the client redials and finds no socket.
    expect(after).toBeInstanceOf(ConnectError);
    expect((after as ConnectError).rawMessage).toContain("ENOENT");
  });

  it("listens where a socket file is left over, instead of failing with EADDRINUSE", async () => {
    const socketPath = join(dir.path, "stale.sock");
    const first = await serveCriSim({ socketPath });
    expect(existsSync(socketPath)).toBe(true);
    const second = await serveCriSim({ socketPath, sim: first.sim });
    const { runtime } = clientsFor(socketPath);
    expect((await runtime.version({})).runtimeName).toBe("cri-sim");
    await second.close();
    await first.close();
  });
});
