import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, methodNotSupported } from "../../errors/builders.js";
import type { RequestInfo } from "../../request/request-info.js";
import { sendStatus } from "../http-io.js";
import type { ServerContext } from "../request-context.js";
import { servePodLog } from "./pod-log-proxy.js";

/** The pod subresources the kubelet serves through the apiserver. */
const KUBELET_SUBRESOURCES = new Set(["log", "exec", "attach"]);

/** Whether a request is for pods/log, pods/exec or pods/attach. */
export function isPodKubeletRequest(info: RequestInfo): boolean {
  return (
    info.isResourceRequest &&
    info.apiGroup === "" &&
    info.resource === "pods" &&
    info.name !== "" &&
    KUBELET_SUBRESOURCES.has(info.subresource)
  );
}

/**
 * A plain (not upgrade) request for a kubelet subresource: GET log is
 * proxied; exec and attach need an upgrade (the 'upgrade' event handles
 * those), so a plain request for them is a 400, as upstream answers.
 */
export async function servePodKubeletRequest(
  ctx: ServerContext,
  info: RequestInfo,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (info.subresource === "log") {
    if (info.verb !== "get") {
      req.resume();
      return sendStatus(res, methodNotSupported({ group: "", resource: "pods/log" }, info.verb));
    }
    return servePodLog(ctx, info.namespace, info.name, query, req, res);
  }
  req.resume();
  return sendStatus(res, badRequest("Upgrade request required"));
}
