import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticateRequest } from "../auth/authenticate.js";
import { handleCustomScale } from "../crd/scale-handler.js";
import { methodNotSupported, unauthorized } from "../errors/builders.js";
import { serveOpenApi } from "../openapi/openapi-handler.js";
import { parseListOptions } from "../request/list-options.js";
import { parseRequestInfo } from "../request/request-info.js";
import { handleDeleteCollection } from "./delete-collection.js";
import { serveDiscovery, versionInfo } from "./discovery-handler.js";
import { pageNotFound, readBody, sendObject, sendStatus } from "./http-io.js";
import { handleList } from "./list-handler.js";
import {
  handleBinding,
  handleCreate,
  handleDelete,
  handleGet,
  handlePatch,
  handleUpdate,
} from "./object-handlers.js";
import { isPodKubeletRequest, servePodKubeletRequest } from "./proxy/pod-subresources.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { handleFinalize, handleScale } from "./subresource-handlers.js";
import type { UserInfo } from "./token-file.js";
import { handleWatch } from "./watch-handler.js";

/** Paths anyone may read, as upstream's system:public-info-viewer role allows. */
const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz", "/version"]);

/** What the router needs beyond the handlers' context. */
export interface RouterOptions {
  tokens: ReadonlyMap<string, UserInfo>;
  /** Whether verified client certificates authenticate (a client CA was given). */
  clientCerts?: boolean;
  /** host:port clients reach us at, for `/api`'s serverAddressByClientCIDRs. */
  serverAddress: () => string;
  /** The Prometheus exposition, for /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Whether the store answers, for /readyz. */
  ready: () => Promise<boolean>;
}

/**
 * Handles one HTTP request: health and version, authentication, then
 * discovery or a resource request. Every answer that is not the object
 * asked for is a metav1.Status with its code.
 */
export async function routeRequest(
  ctx: ServerContext,
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "https://localhost");
  const path = url.pathname;
  const method = req.method ?? "GET";

  if (PUBLIC_PATHS.has(path) && method === "GET") {
    if (path === "/version") return sendObject(res, 200, versionInfo());
    const ok = path !== "/readyz" || (await opts.ready());
    res.writeHead(ok ? 200 : 503, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(ok ? "ok" : "not ready: the store does not answer");
    return;
  }

  const user = authenticateRequest(
    { tokens: opts.tokens, clientCerts: opts.clientCerts ?? false },
    req,
  );
  if (!user) {
    req.resume();
    return sendStatus(res, unauthorized());
  }

  // Any authenticated user may read /metrics (upstream grants it by RBAC to system:monitoring).
  if (path === "/metrics" && method === "GET" && opts.metrics) {
    const { contentType, body } = await opts.metrics();
    res.writeHead(200, { "Content-Type": contentType });
    res.end(body);
    return;
  }

  if (method === "GET" && serveOpenApi(ctx.index, path, url.searchParams, req.headers.accept, res))
    return;
  if (
    method === "GET" &&
    serveDiscovery(ctx.index, path, req.headers.accept, opts.serverAddress(), res)
  )
    return;

  const parsed = parseRequestInfo({ method, path, query: url.searchParams });
  if (!parsed.ok || !parsed.info.isResourceRequest) {
    req.resume();
    return sendStatus(res, pageNotFound());
  }
  const info = parsed.info;
  if (isPodKubeletRequest(info))
    return servePodKubeletRequest(ctx, info, url.searchParams, req, res);
  const def = ctx.index.byResource(info.apiGroup, info.apiVersion, info.resource);
  // Only status, scale, namespaces/finalize and pods/binding are served so far; other subresources are not found.
  const scale =
    info.subresource === "scale" &&
    def?.subresources.some((s) => s.name === "scale") === true &&
    info.name !== "" &&
    ["get", "update", "patch"].includes(info.verb);
  const finalize =
    info.subresource === "finalize" &&
    def?.group === "" &&
    def.resource === "namespaces" &&
    info.verb === "update" &&
    info.name !== "";
  const binding =
    info.subresource === "binding" &&
    def?.group === "" &&
    def.resource === "pods" &&
    info.verb === "create" &&
    info.name !== "";
  const subresourceServed =
    info.subresource === "" ||
    binding ||
    scale ||
    finalize ||
    (info.subresource === "status" && def?.subresources.some((s) => s.name === "status")) ||
    (info.subresource === "scale" && def?.custom?.scale !== undefined);
  const misplaced =
    def !== undefined &&
    !def.namespaced &&
    info.namespace !== "" &&
    !(def.resource === "namespaces");
  if (!def || !subresourceServed || misplaced) {
    req.resume();
    return sendStatus(res, pageNotFound());
  }
  const gr = { group: def.group, resource: def.resource };
  if (!def.verbs.includes(info.verb as never) && info.verb !== "watch") {
    req.resume();
    return sendStatus(res, methodNotSupported(gr, info.verb));
  }

  if (def.custom?.terminating && info.verb === "create") {
    req.resume();
    const refused = methodNotSupported(gr, info.verb);
    refused.message = "create not allowed while custom resource definition is terminating";
    return sendStatus(res, refused);
  }

  const body = await readBody(req);
  if (!body.ok) return sendStatus(res, body.status);
  const r: ResourceRequest = {
    info,
    def,
    query: url.searchParams,
    req,
    res,
    user,
    rawBody: body.bytes,
    body: body.bytes.toString("utf8"),
  };

  if (binding) return handleBinding(ctx, r);
  if (info.subresource === "scale" && def.custom) return handleCustomScale(ctx, r);
  if (scale) return handleScale(ctx, r);
  if (finalize) return handleFinalize(ctx, r);
  switch (info.verb) {
    case "get":
      return handleGet(ctx, r);
    case "list":
    case "watch": {
      const options = parseListOptions(url.searchParams, gr);
      if (!options.ok) return sendStatus(res, options.status);
      return info.verb === "watch"
        ? handleWatch(ctx, r, options.options)
        : handleList(ctx, r, options.options);
    }
    case "create":
      if (info.name !== "") return sendStatus(res, methodNotSupported(gr, "create"));
      return handleCreate(ctx, r);
    case "update":
      return handleUpdate(ctx, r);
    case "patch":
      return handlePatch(ctx, r);
    case "delete":
      return handleDelete(ctx, r);
    case "deletecollection":
      return handleDeleteCollection(ctx, r);
    default:
      return sendStatus(res, methodNotSupported(gr, info.verb));
  }
}
