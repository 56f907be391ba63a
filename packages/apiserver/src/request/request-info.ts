import { parseFieldSelector } from "../selectors/field-selector.js";

/** What the apiserver learns from a request's method, path and query, before routing. */
export interface RequestInfo {
  /** False for paths outside `/api/...` and `/apis/<g>/<v>/...` (`/healthz`, `/apis`, `/version`). */
  isResourceRequest: boolean;
  /** The URL path as given. */
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection, proxy; or the lowercase method for non-resource requests. */
  verb: string;
  /** `api` or `apis`, for resource requests. */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  /** Empty for cluster-scoped requests and for lists across all namespaces. */
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments from the resource on: `resource/name/subresource/...`. */
  parts: string[];
}

/** A request as the HTTP layer sees it. */
export interface RequestLine {
  method: string;
  path: string;
  /** Parsed query; repeated parameters as arrays. */
  query?: URLSearchParams | Record<string, string | string[] | undefined>;
}

/** The outcome of parsing: a RequestInfo, or a reason the URL makes no sense. */
export type RequestInfoResult = { ok: true; info: RequestInfo } | { ok: false; message: string };

const API_PREFIXES = new Set(["api", "apis"]);
const GROUPLESS_PREFIXES = new Set(["api"]);
// Path segments that turn the rest of the URL into a verb.
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
// For these verbs the third segment is part of the proxied path, not a subresource.
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(["proxy"]);
// Subresources of a namespace itself: /api/v1/namespaces/<ns>/status.
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

function firstQuery(query: RequestLine["query"], name: string): string | undefined {
  if (query === undefined) return undefined;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

// Go's strconv.ParseBool: what `watch=` accepts.
function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

function isWatch(query: RequestLine["query"]): boolean {
  const raw = firstQuery(query, "watch");
  if (raw === undefined) return false;
  const parsed = parseGoBool(raw);
  if (parsed !== undefined) return parsed;
  // Upstream falls back to a looser reading when the parameter does not parse.
  return !["false", "0"].includes(raw.toLowerCase());
}

/**
 * Parses a request the way upstream's RequestInfoFactory does. Resource URLs:
 *
 * - `/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}`
 * - `/apis/{group}/{version}/{resource}/{name}`
 * - `/apis/{group}/{version}/watch/namespaces/{ns}/{resource}` (legacy watch form)
 *
 * A GET without a name is a list, or a watch with `watch=true`; a DELETE
 * without a name is a deletecollection. A list whose field selector pins
 * `metadata.name` carries that name, as upstream does for authorization.
 */
export function parseRequestInfo(req: RequestLine): RequestInfoResult {
  const info: RequestInfo = {
    isResourceRequest: false,
    path: req.path,
    verb: req.method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
  };
  let parts = req.path.replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length === 1 && parts[0] === "") parts = [];
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return { ok: true, info };
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (!GROUPLESS_PREFIXES.has(info.apiPrefix)) {
    if (parts.length < 3) return { ok: true, info };
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (SPECIAL_VERBS.has(parts[0]!)) {
    if (parts.length < 2) {
      return { ok: false, message: `unable to determine kind and namespace from url, ${req.path}` };
    }
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[req.method.toUpperCase()] ?? "";
  }

  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // `/namespaces/{ns}/{resource}...` is a request on that resource; but
      // `/namespaces/{ns}` and `/namespaces/{ns}/status` are on the namespace.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb))
    info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (info.name === "" && info.verb === "get") {
    info.verb = isWatch(req.query) ? "watch" : "list";
    const fieldSelector = firstQuery(req.query, "fieldSelector");
    if (fieldSelector) {
      const parsed = parseFieldSelector(fieldSelector);
      if (parsed.ok) {
        const name = parsed.selector.requiresExactMatch("metadata.name");
        if (name !== undefined && isValidPathSegment(name)) info.name = name;
      }
    }
  }
  if (info.name === "" && info.verb === "delete") info.verb = "deletecollection";
  return { ok: true, info };
}

function isValidPathSegment(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("%");
}
