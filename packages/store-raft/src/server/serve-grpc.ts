import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createUnaryFastPath, type UnaryRoutes } from "./grpc-unary-fast-path.js";

/** A gRPC server on a TCP port. */
export interface GrpcListener {
  /** `http://HOST:PORT`. */
  readonly url: string;
  /** Stops accepting, ends open streams (watches, keep-alives) and resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves Connect routes as gRPC (and Connect, gRPC-web) over cleartext
 * HTTP/2 with prior knowledge, which is what etcd clients speak to an
 * `http://` endpoint.
 */
export async function serveGrpc(
  routes: (router: ConnectRouter) => void,
  options: {
    port: number;
    host: string;
    readMaxBytes: number;
    /** Unary methods served by the lean gRPC path; Connect serves the rest. */
    fastUnary?: UnaryRoutes;
  },
): Promise<GrpcListener> {
  const connect = connectNodeAdapter({ routes, readMaxBytes: options.readMaxBytes });
  const fast =
    options.fastUnary === undefined
      ? undefined
      : createUnaryFastPath(options.fastUnary, options.readMaxBytes);
  const server = http2.createServer(
    fast === undefined
      ? connect
      : (req, res) => {
          if (!fast(req, res)) connect(req, res);
        },
  );
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Drop connections without a GOAWAY: @connectrpc/connect-node 2.1
        // clients can raise an uncaught exception for a GOAWAY on an idle
        // connection (connect-es#1768), which would take down every peer
        // and client process of a member that shuts down gracefully. To
        // clients this looks like a lost connection, which they handle.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
