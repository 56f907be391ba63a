import { join } from "node:path";
import { type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  ContainerStatusRequestSchema,
  type ContainerStatusResponse,
  ContainerStatusResponseSchema,
  VersionRequestSchema,
  type VersionResponse,
  VersionResponseSchema,
} from "@kubekit/proto/cri";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CriSimServer, serveCriSim } from "../src/index.js";

// A second gRPC implementation (grpc-js, not Connect) as the client, dialing
// unix:// the way a kubelet's grpc-go does: the server must speak plain gRPC.
describe("a grpc-js client over the unix socket", () => {
  let dir: TempDir;
  let server: CriSimServer;
  let client: grpc.Client;

  beforeAll(async () => {
    dir = await makeTempDir("cri-sim-grpc-js");
    server = await serveCriSim({ socketPath: join(dir.path, "cri.sock") });
    client = new grpc.Client(`unix://${server.socketPath}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
    await dir?.remove();
  });

  function call<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    request: MessageShape<I>,
  ): Promise<MessageShape<O>> {
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        `/runtime.v1.RuntimeService/${method}`,
        (message: MessageShape<I>) => Buffer.from(toBinary(input, message)),
        (bytes: Buffer) => fromBinary(output, bytes),
        request,
        (error, response) => (error ? reject(error) : resolve(response as MessageShape<O>)),
      );
    });
  }

  it("gets Version", async () => {
    const version: VersionResponse = await call(
      "Version",
      VersionRequestSchema,
      VersionResponseSchema,
      { $typeName: "runtime.v1.VersionRequest", version: "v1" },
    );
    expect(version.runtimeName).toBe("cri-sim");
    expect(version.runtimeApiVersion).toBe("v1");
  });

  it("gets a gRPC NotFound status for an unknown container", async () => {
    const error = await call<
      typeof ContainerStatusRequestSchema,
      typeof ContainerStatusResponseSchema
    >("ContainerStatus", ContainerStatusRequestSchema, ContainerStatusResponseSchema, {
      $typeName: "runtime.v1.ContainerStatusRequest",
      containerId: "nope",
      verbose: false,
    }).then(
      (response: ContainerStatusResponse) => response,
      (e: grpc.ServiceError) => e,
    );
    expect((error as grpc.ServiceError).code).toBe(grpc.status.NOT_FOUND);
    expect((error as grpc.ServiceError).details).toMatch(/not found/);
  });
});
