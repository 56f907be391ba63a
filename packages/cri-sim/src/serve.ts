import { rm } from "node:fs/promises";
import { createServer, type Http2Session } from "node:http2";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { type CriSim, type CriSimOptions, createCriSim } from "./cri-sim.js";

/** Options of {@link serveCriSim}. */
export interface ServeCriSimOptions extends CriSimOptions {
  /** The unix socket to listen on (a stale socket file there is replaced). */
  socketPath: string;
  /** A runtime to serve; by default a new one is made from the other options. */
  sim?: CriSim;
  /** How long close() lets open calls finish before cutting connections (default 2 s). */
  closeGraceMs?: number;
}

/** A simulated runtime served over gRPC on a unix socket. */
export interface CriSimServer {
  readonly socketPath: string;
  /** The runtime being served. */
  readonly sim: CriSim;
  /** Stops listening, ends every connection, removes the socket file. */
  close(): Promise<void>;
}

/**
 * Serves a simulated CRI runtime over gRPC (HTTP/2) on a unix socket, where
 * a kubelet's `--container-runtime-endpoint unix://…` or `crictl` connects
 * as to containerd.
 */
export async function serveCriSim(options: ServeCriSimOptions): Promise<CriSimServer> {
  const { socketPath, closeGraceMs = 2_000 } = options;
  const sim = options.sim ?? createCriSim(options);
  const server = createServer(
    connectNodeAdapter({ routes: sim, grpc: true, grpcWeb: false, connect: false }),
  );
  const sessions = new Set<Http2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Ask clients to go away (GOAWAY); open calls may finish within the grace period.
    for (const session of sessions) session.close();
    const grace = setTimeout(() => {
      for (const session of sessions) session.destroy();
    }, closeGraceMs);
    try {
      await closed;
    } finally {
      clearTimeout(grace);
      await rm(socketPath, { force: true });
    }
  };
  return {
    socketPath,
    sim,
    close() {
      closing ??= close();
      return closing;
    },
  };
}
