import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";

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
  options: { port: number; host: string; readMaxBytes: number },
): Promise<GrpcListener> {
  const server = http2.createServer(
    connectNodeAdapter({ routes, readMaxBytes: options.readMaxBytes }),
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
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
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  };
}
