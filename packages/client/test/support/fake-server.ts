import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";

/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Common name of the client certificate, on TLS connections that presented one. */
  peerCommonName?: string;
}

/** Handles one request; may write slowly (for watches). */
export type Handler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

/** A throwaway HTTP(S) server on 127.0.0.1 that records requests. */
export interface FakeServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on a kernel-chosen port of 127.0.0.1 (TLS when `tls` is given). */
export async function startFakeServer(handler: Handler, tls?: ServerOptions): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const listener = async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) {
      chunks.push(chunk as Buffer);
    }
    const req: SeenRequest = {
      method: raw.method ?? "",
      url: raw.url ?? "",
      headers: raw.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    const socket = raw.socket as Partial<TLSSocket>;
    const peerCommonName = socket.getPeerCertificate?.()?.subject?.CN;
    if (peerCommonName) {
      req.peerCommonName = String(peerCommonName);
    }
    seen.push(req);
    await handler(req, res);
  };
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
