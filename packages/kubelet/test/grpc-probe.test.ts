import { createServer, type Http2Server } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { freePort } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProbeExecutor,
  GrpcHealthCheckResponseSchema,
  GrpcHealthService,
  grpcHealthProbe,
} from "../src/index.js";

// A real gRPC health server (Connect's node adapter, plaintext HTTP/2 on
// loopback) answering per service name.
describe("gRPC health probe", () => {
  let server: Http2Server;
  let port: number;
  const statuses: Record<string, number> = { "": 1, db: 2, slow: 1 };

  beforeAll(async () => {
    port = await freePort();
    const handler = connectNodeAdapter({
      routes: (router) =>
        router.service(GrpcHealthService, {
          check: async (request: { service: string }) => {
            if (request.service === "slow") await new Promise((r) => setTimeout(r, 1_500));
            const status = statuses[request.service];
            if (status === undefined) throw new Error("unknown service");
            return create(GrpcHealthCheckResponseSchema, { status });
          },
        } as never),
    });
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ["", "success"],
    ["db", "failure"], // NOT_SERVING
    ["nope", "failure"], // an error status
    ["slow", "failure"], // past the timeout
  ] as const)("service %j → %s", async (service, outcome) => {
    expect(await grpcHealthProbe("127.0.0.1", port, service, 500)).toBe(outcome);
  });

  it("fails when nothing listens", async () => {
    expect(await grpcHealthProbe("127.0.0.1", await freePort(), "", 500)).toBe("failure");
  });

  it("is what the default executor runs for a grpc handler", async () => {
    const execute = createProbeExecutor({} as never);
    const target = { containerId: "c", podIP: "127.0.0.1", container: { name: "c", image: "i" } };
    expect(await execute({ grpc: { port } }, target, 1_000)).toBe("success");
    expect(await execute({ grpc: { port, service: "db" } }, target, 1_000)).toBe("failure");
  });
});
