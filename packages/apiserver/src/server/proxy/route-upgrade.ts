import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type Authenticators, authenticateRequest } from "../../auth/authenticate.js";
import { badRequest, unauthorized } from "../../errors/builders.js";
import { parseRequestInfo } from "../../request/request-info.js";
import { pageNotFound } from "../http-io.js";
import type { ServerContext } from "../request-context.js";
import { proxyPodStream } from "./pod-stream-proxy.js";
import { refuseUpgrade } from "./raw-upgrade.js";

/**
 * Handles an HTTP upgrade request (the HTTPS server's 'upgrade' event):
 * authenticated as any request, then pods/exec and pods/attach go to the
 * pod's kubelet; every other upgrade is refused with a Status, so a
 * client that offered one falls back to plain requests.
 */
export async function routeUpgrade(
  ctx: ServerContext,
  auth: Authenticators,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const url = new URL(req.url ?? "/", "https://localhost");
  if (!authenticateRequest(auth, req)) return refuseUpgrade(socket, unauthorized());
  const parsed = parseRequestInfo({
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
  });
  const info = parsed.ok ? parsed.info : undefined;
  const kind = info?.subresource;
  if (
    !info?.isResourceRequest ||
    info.apiGroup !== "" ||
    info.resource !== "pods" ||
    (kind !== "exec" && kind !== "attach") ||
    info.name === "" ||
    info.namespace === ""
  )
    return refuseUpgrade(socket, pageNotFound());
  if (req.method !== "GET" && req.method !== "POST")
    return refuseUpgrade(
      socket,
      badRequest(`method ${req.method} is not allowed for pods/${kind}`),
    );
  return proxyPodStream(ctx, kind, info.namespace, info.name, url.searchParams, req, socket, head);
}
