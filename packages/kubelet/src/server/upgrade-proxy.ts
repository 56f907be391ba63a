import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";

/** Headers that describe one hop, not the request: rewritten or dropped on the way. */
const HOP_HEADERS = new Set(["host", "authorization", "content-length", "transfer-encoding"]);

/**
 * The request head to send to `target` for a client's upgrade request: the
 * client's method, the target's path, and the client's headers (the
 * upgrade ones included: Connection, Upgrade, X-Stream-Protocol-Version,
 * Sec-WebSocket-*) with Host set to the target and credentials dropped.
 */
export function upgradeRequestHead(
  method: string,
  target: URL,
  rawHeaders: readonly string[],
): string {
  const lines = [`${method} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!HOP_HEADERS.has(name.toLowerCase())) lines.push(`${name}: ${rawHeaders[i + 1]}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Proxies an upgrade request raw to an http:// URL (the runtime's
 * streaming server), as upstream's kubelet does with its stream proxy:
 * the request head is re-sent with the target's path, then bytes flow
 * both ways unchanged, the target's answer (101, or its refusal) included.
 * Whichever side closes or fails ends both.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  target: URL,
  onError: (error: unknown) => void = () => {},
): void {
  const upstream = connect({ host: target.hostname, port: Number(target.port || 80) });
  let connected = false;
  upstream.once("connect", () => {
    connected = true;
    upstream.write(upgradeRequestHead(req.method ?? "GET", target, req.rawHeaders));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", (error) => {
    onError(error);
    if (!connected && client.writable)
      client.end(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
          `error dialing the container runtime's streaming server: ${error.message}`,
      );
    else client.destroy();
  });
  client.on("error", () => upstream.destroy());
  client.on("close", () => upstream.destroy());
  // After a clean end pipe() has ended the client: let that flush, then
  // close it outright, since what the client still sends (a WebSocket close
  // frame) would sit unread in the unpiped stream and hold the socket open.
  upstream.on("close", () => {
    if (!client.writableEnded || client.writableFinished) client.destroy();
    else client.once("finish", () => client.destroy());
  });
}

/** Answers an upgrade request on its raw socket with a plain-text HTTP error and closes it. */
export function refuseUpgrade(
  client: Duplex,
  status: number,
  reason: string,
  message: string,
): void {
  const body = Buffer.from(message);
  client.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}
