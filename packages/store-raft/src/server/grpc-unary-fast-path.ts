import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

/** One unary method served by the fast path: its message types and its handler. */
export interface UnaryRoute<
  I extends DescMessage = DescMessage,
  O extends DescMessage = DescMessage,
> {
  readonly input: I;
  readonly output: O;
  readonly handle: (request: MessageShape<I>) => Promise<MessageShape<O>>;
}

/** Builds a route with its handler's types checked against the message types. */
export function unaryRoute<I extends DescMessage, O extends DescMessage>(
  input: I,
  output: O,
  handle: (request: MessageShape<I>) => Promise<MessageShape<O>>,
): UnaryRoute {
  return { input, output, handle } as unknown as UnaryRoute;
}

/** Unary routes by HTTP path, `/package.Service/Method`. */
export type UnaryRoutes = ReadonlyMap<string, UnaryRoute>;

/** The gRPC envelope: a flags byte and a 4-byte big-endian length. */
const ENVELOPE_HEADER_BYTES = 5;
const FLAG_COMPRESSED = 0x01;

/**
 * Serves plain gRPC unary calls (uncompressed `application/grpc` over
 * HTTP/2) for a few hot methods straight on Node's HTTP/2 request and
 * response, and returns false for everything else, which the Connect
 * adapter then serves. Connect's server, general enough for three
 * protocols and streaming, spends most of a member's CPU on a small Range
 * or Put (async iterables, abort signals with their DOMExceptions, header
 * conversions); this path does one decode, one call and one encode. Errors
 * go out as Connect's server would send them: a ConnectError's code and
 * message in `grpc-status`/`grpc-message` trailers.
 */
export function createUnaryFastPath(
  routes: UnaryRoutes,
  readMaxBytes: number,
): (req: Http2ServerRequest, res: Http2ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "POST") return false;
    const route = routes.get(req.url);
    if (route === undefined) return false;
    const contentType = req.headers["content-type"];
    if (contentType !== "application/grpc" && contentType !== "application/grpc+proto")
      return false;
    // Compressed requests, and anything else unusual, take Connect's full path.
    const encoding = req.headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") return false;
    readBody(req, readMaxBytes + ENVELOPE_HEADER_BYTES).then(
      (body) => serve(route, body, readMaxBytes, res, contentType),
      (error: unknown) => respond(res, contentType, undefined, ConnectError.from(error)),
    );
    return true;
  };
}

function readBody(req: Http2ServerRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(
          new ConnectError(
            `message size is larger than configured readMaxBytes ${limit - ENVELOPE_HEADER_BYTES}`,
            Code.ResourceExhausted,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.once("error", (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

async function serve(
  route: UnaryRoute,
  body: Buffer,
  readMaxBytes: number,
  res: Http2ServerResponse,
  contentType: string,
): Promise<void> {
  let payload: Uint8Array;
  try {
    payload = unwrapEnvelope(body, readMaxBytes);
  } catch (error) {
    respond(res, contentType, undefined, ConnectError.from(error));
    return;
  }
  let request: MessageShape<DescMessage>;
  try {
    request = fromBinary(route.input, payload);
  } catch (error) {
    respond(
      res,
      contentType,
      undefined,
      new ConnectError(
        `parse binary: ${String((error as Error)?.message ?? error)}`,
        Code.Internal,
      ),
    );
    return;
  }
  try {
    const response = await route.handle(request);
    respond(res, contentType, toBinary(route.output, response), undefined);
  } catch (error) {
    respond(res, contentType, undefined, ConnectError.from(error));
  }
}

/** The one message of a unary request, or an error as Connect's server words it. */
function unwrapEnvelope(body: Buffer, readMaxBytes: number): Uint8Array {
  if (body.length < ENVELOPE_HEADER_BYTES) {
    throw new ConnectError("protocol error: missing envelope", Code.Internal);
  }
  const flags = body[0] as number;
  const length = body.readUInt32BE(1);
  if (length > readMaxBytes) {
    throw new ConnectError(
      `message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`,
      Code.ResourceExhausted,
    );
  }
  if ((flags & FLAG_COMPRESSED) !== 0) {
    throw new ConnectError(
      "protocol error: received compressed message without grpc-encoding",
      Code.Internal,
    );
  }
  if (body.length !== ENVELOPE_HEADER_BYTES + length) {
    throw new ConnectError("protocol error: expected exactly one message", Code.Unimplemented);
  }
  return body.subarray(ENVELOPE_HEADER_BYTES);
}

/** Writes a gRPC response: headers, the message if any, and the status trailers. */
function respond(
  res: Http2ServerResponse,
  contentType: string,
  message: Uint8Array | undefined,
  error: ConnectError | undefined,
): void {
  // The client may have gone (cancelled, timed out): nothing to write to.
  if (res.stream.destroyed || res.headersSent) return;
  const trailers: Record<string, string> = { "grpc-status": String(error?.code ?? 0) };
  if (error !== undefined) {
    trailers["grpc-message"] = encodeURIComponent(error.rawMessage);
    error.metadata.forEach((value, key) => {
      trailers[key] = value;
    });
  }
  res.writeHead(200, { "content-type": contentType });
  res.addTrailers(trailers);
  if (message === undefined) {
    res.end();
    return;
  }
  const envelope = Buffer.allocUnsafe(ENVELOPE_HEADER_BYTES + message.length);
  envelope[0] = 0;
  envelope.writeUInt32BE(message.length, 1);
  envelope.set(message, ENVELOPE_HEADER_BYTES);
  res.end(envelope);
}
