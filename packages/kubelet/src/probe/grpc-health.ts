import { create, createFileRegistry, type DescMessage, type DescService } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";

/**
 * The standard gRPC health service (`grpc.health.v1.Health`, method Check),
 * described at runtime from its published shape: the field numbers and
 * names of `grpc/health/v1/health.proto`. Only Check is carried.
 */
function healthFile() {
  const optional = FieldDescriptorProto_Label.OPTIONAL;
  return create(FileDescriptorProtoSchema, {
    name: "grpc/health/v1/health.proto",
    package: "grpc.health.v1",
    syntax: "proto3",
    messageType: [
      {
        name: "HealthCheckRequest",
        field: [
          {
            name: "service",
            jsonName: "service",
            number: 1,
            label: optional,
            type: FieldDescriptorProto_Type.STRING,
          },
        ],
      },
      {
        name: "HealthCheckResponse",
        field: [
          {
            name: "status",
            jsonName: "status",
            number: 1,
            label: optional,
            type: FieldDescriptorProto_Type.ENUM,
            typeName: ".grpc.health.v1.HealthCheckResponse.ServingStatus",
          },
        ],
        enumType: [
          {
            name: "ServingStatus",
            value: [
              { name: "UNKNOWN", number: 0 },
              { name: "SERVING", number: 1 },
              { name: "NOT_SERVING", number: 2 },
              { name: "SERVICE_UNKNOWN", number: 3 },
            ],
          },
        ],
      },
    ],
    service: [
      {
        name: "Health",
        method: [
          {
            name: "Check",
            inputType: ".grpc.health.v1.HealthCheckRequest",
            outputType: ".grpc.health.v1.HealthCheckResponse",
          },
        ],
      },
    ],
  });
}

const registry = createFileRegistry(healthFile(), () => undefined);

function mustGet<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} missing from the health descriptor`);
  return value;
}

/** `grpc.health.v1.Health`, for clients and (in tests) servers. */
export const GrpcHealthService: DescService = mustGet(
  registry.getService("grpc.health.v1.Health"),
  "Health",
);
/** `grpc.health.v1.HealthCheckResponse`. */
export const GrpcHealthCheckResponseSchema: DescMessage = mustGet(
  registry.getMessage("grpc.health.v1.HealthCheckResponse"),
  "HealthCheckResponse",
);

interface HealthClient {
  check(request: { service: string }, options: { timeoutMs: number }): Promise<{ status: number }>;
}

/** `ServingStatus.SERVING`: the only answer a probe counts as success. */
export const SERVING = 1;

/**
 * gRPC probe: calls Health/Check on `host:port` (plaintext HTTP/2, as
 * upstream's prober does) for `service`; success only when the answer is
 * SERVING within the timeout. The connection is closed afterwards.
 */
export async function grpcHealthProbe(
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
): Promise<"success" | "failure"> {
  const baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const sessionManager = new Http2SessionManager(baseUrl);
  try {
    // A descriptor built at runtime has no generated method types; this is
    // the shape Check has.
    const client = createClient(
      GrpcHealthService,
      createGrpcTransport({ baseUrl, sessionManager }),
    ) as unknown as HealthClient;
    const response = await client.check({ service }, { timeoutMs });
    return response.status === SERVING ? "success" : "failure";
  } catch {
    return "failure";
  } finally {
    sessionManager.abort();
  }
}
