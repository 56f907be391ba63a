import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  compressionGzip,
  createConnectTransport,
  createGrpcTransport,
} from "@connectrpc/connect-node";
import { KV, RangeResponseSchema } from "@kubekit/proto/etcd";
import { afterEach, describe, expect, it } from "vitest";
import { type UnaryRoutes, unaryRoute } from "../../src/server/grpc-unary-fast-path.js";
import { type GrpcListener, serveGrpc } from "../../src/server/serve-grpc.js";

/**
 * The lean gRPC path must answer exactly as Connect's server would, and
 * leave every request it does not fully understand to Connect. The two
 * sides here answer with different revisions, so each test can tell which
 * one served it.
 */

const FAST_REVISION = 2n;
const CONNECT_REVISION = 1n;
const READ_MAX_BYTES = 64 * 1024;

const encoder = new TextEncoder();

function rangeAnswer(revision: bigint) {
  return create(RangeResponseSchema, { header: { revision }, count: 0n });
}

/** The fast side's Range: echoes, or fails as the key asks. */
async function fastRange(request: { key: Uint8Array }) {
  const key = new TextDecoder().decode(request.key);
  if (key === "etcd-error") {
    throw new ConnectError(
      "etcdserver: mvcc: required revision is a future revision",
      Code.OutOfRange,
    );
  }
  if (key === "crash") throw new Error("boom: not a ConnectError");
  return rangeAnswer(FAST_REVISION);
}

describe("the gRPC unary fast path", () => {
  let listener: GrpcListener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  async function serve(): Promise<string> {
    const fastUnary: UnaryRoutes = new Map([
      [
        `/${KV.typeName}/${KV.method.range.name}`,
        unaryRoute(KV.method.range.input, KV.method.range.output, fastRange),
      ],
    ]);
    listener = await serveGrpc(
      (router) => {
        router.service(KV, { range: async () => rangeAnswer(CONNECT_REVISION) });
      },
      { host: "127.0.0.1", port: 0, readMaxBytes: READ_MAX_BYTES, fastUnary },
    );
    return listener.url;
  }

  it("serves plain gRPC unary calls itself", async () => {
    const kv = createClient(KV, createGrpcTransport({ baseUrl: await serve() }));
    const response = await kv.range({ key: encoder.encode("a") });
    expect(response.header?.revision).toBe(FAST_REVISION);
  });

  it("leaves compressed gRPC, the Connect protocol and other methods to Connect", async () => {
    const url = await serve();
    const gzip = createClient(
      KV,
      createGrpcTransport({ baseUrl: url, sendCompression: compressionGzip, compressMinBytes: 0 }),
    );
    expect((await gzip.range({ key: encoder.encode("a") })).header?.revision).toBe(
      CONNECT_REVISION,
    );
    const connect = createClient(KV, createConnectTransport({ baseUrl: url, httpVersion: "2" }));
    expect((await connect.range({ key: encoder.encode("a") })).header?.revision).toBe(
      CONNECT_REVISION,
    );
    // Put has no fast route and no Connect handler: Connect answers Unimplemented.
    const grpc = createClient(KV, createGrpcTransport({ baseUrl: url }));
    await expect(grpc.put({ key: encoder.encode("a") })).rejects.toMatchObject({
      code: Code.Unimplemented,
    });
  });

  it("sends a handler's ConnectError as its gRPC code and message", async () => {
    const kv = createClient(KV, createGrpcTransport({ baseUrl: await serve() }));
    const error = await kv.range({ key: encoder.encode("etcd-error") }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.code).toBe(Code.OutOfRange);
    expect(error.rawMessage).toBe("etcdserver: mvcc: required revision is a future revision");
  });

  it("turns any other failure into Unknown, as Connect's server does", async () => {
    const kv = createClient(KV, createGrpcTransport({ baseUrl: await serve() }));
    const error = await kv.range({ key: encoder.encode("crash") }).catch((e) => e);
    expect(error.code).toBe(Code.Unknown);
    expect(error.rawMessage).toContain("boom");
  });

  it("refuses a message larger than readMaxBytes", async () => {
    const kv = createClient(KV, createGrpcTransport({ baseUrl: await serve() }));
    const error = await kv
      .range({ key: new Uint8Array(READ_MAX_BYTES + 1).fill(0x61) })
      .catch((e) => e);
    expect(error.code).toBe(Code.ResourceExhausted);
  });
});
