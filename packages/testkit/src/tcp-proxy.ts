import { connect, createServer, type Socket } from "node:net";

/** A TCP forwarder on 127.0.0.1 that a test can cut and mend. */
export interface TcpProxy {
  /** The port the proxy listens on. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for URL flags. */
  readonly url: string;
  /** Whether the proxy is cut now. */
  readonly partitioned: boolean;
  /** Connections forwarded so far (so a test can see traffic went through it). */
  readonly connections: number;
  /** Drops every open connection and refuses new ones until {@link heal}. */
  partition(): void;
  /** Accepts and forwards connections again. */
  heal(): void;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** Options of {@link startTcpProxy}. */
export interface TcpProxyOptions {
  /** Where connections are forwarded, on 127.0.0.1. */
  readonly targetPort: number;
  /** Where to listen; default: a port the kernel picks. */
  readonly port?: number;
}

/**
 * Starts a TCP proxy to `127.0.0.1:<targetPort>`: each accepted connection
 * is piped to a fresh connection to the target. A partition resets every
 * pair and resets each new connection as soon as it is accepted, which
 * peers see as a network that drops everything.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let partitioned = false;
  let connections = 0;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    // A reset is expected when either side goes away; the pair just ends.
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((inbound) => {
    track(inbound);
    if (partitioned) {
      inbound.resetAndDestroy();
      return;
    }
    connections++;
    const outbound = connect({ host: "127.0.0.1", port: options.targetPort });
    track(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("tcp proxy: no address");
  const dropAll = () => {
    for (const socket of open) socket.resetAndDestroy();
    open.clear();
  };
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    get partitioned() {
      return partitioned;
    },
    get connections() {
      return connections;
    },
    partition() {
      partitioned = true;
      dropAll();
    },
    heal() {
      partitioned = false;
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
