import type { ServerResponse } from "node:http";
import { notAcceptable } from "../errors/builders.js";
import type { ResourceIndex } from "../registry/resource-index.js";
import { pageNotFound, sendStatus } from "../server/http-io.js";
import { openApiDocumentsFor } from "./documents.js";

const JSON_TYPE = "application/json";

// kubectl asks /openapi/v2 for protobuf only when /openapi/v3 is missing;
// only JSON is produced, so a protobuf-only Accept is answered 406.
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]!.trim().toLowerCase();
    return type === JSON_TYPE || type === "application/*" || type === "*/*";
  });
}

function send(res: ServerResponse, body: string, immutable: boolean): void {
  res.writeHead(200, {
    "Content-Type": JSON_TYPE,
    // A document asked for by its hash never changes; the rest may at any CRD change.
    "Cache-Control": immutable ? "public, immutable" : "no-cache, private",
  });
  res.end(body);
}

/**
 * Answers `GET /openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version>`.
 * Returns false for other paths.
 */
export function serveOpenApi(
  index: ResourceIndex,
  path: string,
  query: URLSearchParams,
  accept: string | undefined,
  res: ServerResponse,
): boolean {
  if (path !== "/openapi/v2" && path !== "/openapi/v3" && !path.startsWith("/openapi/v3/"))
    return false;
  if (!acceptsJson(accept)) {
    sendStatus(res, notAcceptable([JSON_TYPE]));
    return true;
  }
  const docs = openApiDocumentsFor(index);
  if (path === "/openapi/v2") send(res, docs.v2, false);
  else if (path === "/openapi/v3") send(res, JSON.stringify(docs.v3Index), false);
  else {
    const doc = docs.v3.get(path.slice("/openapi/v3/".length));
    if (!doc) sendStatus(res, pageNotFound());
    else send(res, doc.body, query.get("hash") === doc.hash);
  }
  return true;
}
