import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Status } from "../../errors/status.js";

/** Answers an upgrade request on its raw socket with a Status and closes it (the client falls back or reports it). */
export function refuseUpgrade(socket: Duplex, status: Status): void {
  const body = Buffer.from(JSON.stringify(status));
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? "Error"}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Headers of one hop, not of the request: rewritten or dropped on the way to the kubelet. */
const HOP_HEADERS = new Set(["host", "authorization", "content-length", "transfer-encoding"]);

/**
 * The request head for the kubelet: the client's method, the kubelet's
 * path, the client's headers (the upgrade ones included) with Host set to
 * the kubelet and the client's credentials dropped, as upstream's
 * authentication filter removes them before proxying.
 */
export function upgradeHead(
  method: string,
  path: string,
  host: string,
  rawHeaders: readonly string[],
): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!HOP_HEADERS.has(name.toLowerCase())) lines.push(`${name}: ${rawHeaders[i + 1]}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Joins two sockets once the upgrade request is on its way: bytes flow
 * both ways unchanged, the far side's answer (101, or a refusal) included.
 * Whichever side closes or fails ends both; a clean end is flushed first.
 */
export function joinSockets(client: Duplex, upstream: Duplex): void {
  upstream.pipe(client);
  client.pipe(upstream);
  client.on("error", () => upstream.destroy());
  client.on("close", () => upstream.destroy());
  // After a clean end pipe() has ended the client: let that flush, then close
  // it outright, since bytes the client still sends would sit unread and hold it open.
  upstream.on("close", () => {
    if (!client.writableEnded || client.writableFinished) client.destroy();
    else client.once("finish", () => client.destroy());
  });
}
