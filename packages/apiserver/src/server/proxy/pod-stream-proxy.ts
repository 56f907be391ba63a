import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { connect } from "node:tls";
import { internalError } from "../../errors/builders.js";
import { parsePodLogOptions } from "../../subresources/pod-log.js";
import type { ServerContext } from "../request-context.js";
import { podKubelet, readPod } from "./pod-kubelet.js";
import { joinSockets, refuseUpgrade, upgradeHead } from "./raw-upgrade.js";

const TRUE = new Set(["1", "true", "True", "TRUE", "t", "T"]);

/**
 * The kubelet's query for an exec or attach (upstream's streamParams):
 * `input`, `output`, `error`, `tty` as "1", and `command` repeated.
 */
export function kubeletStreamQuery(kind: "exec" | "attach", query: URLSearchParams): string {
  const params = new URLSearchParams();
  const flags: [string, string][] = [
    ["stdin", "input"],
    ["stdout", "output"],
    ["stderr", "error"],
    ["tty", "tty"],
  ];
  for (const [from, to] of flags) if (TRUE.has(query.get(from) ?? "")) params.set(to, "1");
  if (kind === "exec") for (const c of query.getAll("command")) params.append("command", c);
  return params.toString();
}

/**
 * pods/NAME/exec and pods/NAME/attach: picks the container as upstream
 * does (the only one, or the one named), then replays the client's
 * upgrade request on a TLS connection to the node's kubelet (authenticated
 * with the kubelet client certificate) and joins the two, so whatever
 * protocol the client and the runtime's streaming server agree on (SPDY,
 * or WebSocket channel protocols) passes through unchanged.
 */
export async function proxyPodStream(
  ctx: ServerContext,
  kind: "exec" | "attach",
  namespace: string,
  name: string,
  query: URLSearchParams,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const read = await readPod(ctx, namespace, name);
  if (!read.ok) return refuseUpgrade(socket, read.status);
  // The container is chosen and checked exactly as for logs.
  const picked = parsePodLogOptions(
    read.pod,
    new URLSearchParams({ container: query.get("container") ?? "" }),
  );
  if (!picked.ok) return refuseUpgrade(socket, picked.status);
  const kubelet = await podKubelet(ctx, read.pod);
  if (!kubelet.ok) return refuseUpgrade(socket, kubelet.status);
  const { host, port } = kubelet.target;
  const path = `/${[kind, namespace, name, picked.options.container].map(encodeURIComponent).join("/")}?${kubeletStreamQuery(kind, query)}`;
  const tls = ctx.kubelet ?? {};
  const upstream = connect({
    host,
    port,
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    rejectUnauthorized: tls.ca !== undefined,
    ...(isIP(host) ? {} : { servername: host }),
    ALPNProtocols: ["http/1.1"],
  });
  let connected = false;
  // A kubelet that does not complete the handshake fails the request instead of holding it.
  upstream.setTimeout(30_000, () =>
    upstream.destroy(new Error(`no answer from the kubelet at ${host}:${port} in 30s`)),
  );
  upstream.once("secureConnect", () => {
    connected = true;
    upstream.setTimeout(0); // an exec session may be idle for as long as it likes
    const hostHeader = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    upstream.write(upgradeHead(req.method ?? "GET", path, hostHeader, req.rawHeaders));
    if (head.length > 0) upstream.write(head);
    joinSockets(socket, upstream);
  });
  upstream.on("error", (error) => {
    if (!connected && socket.writable) refuseUpgrade(socket, internalError(error));
    else socket.destroy();
  });
}
