import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { type FieldSelector, parseFieldSelector } from "../selectors/field-selector.js";
import { checkFieldsSupported } from "../selectors/field-sets.js";
import { parseLabelSelector } from "../selectors/label-parser.js";
import type { LabelSelector } from "../selectors/label-selector.js";
import {
  type FieldError,
  forbiddenField,
  invalidStatus,
  notSupported,
} from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

/** The query parameters of a list or watch, parsed and checked (metav1.ListOptions). */
export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  watch: boolean;
  allowWatchBookmarks: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function read(query: Query, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

// Go's strconv.ParseBool, which upstream's query decoding uses.
function parseBool(name: string, raw: string | undefined): boolean | undefined | Status {
  if (raw === undefined || raw === "") return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  return badRequest(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax (${name})`);
}

function parseInt64(name: string, raw: string | undefined): number | undefined | Status {
  if (raw === undefined || raw === "") return undefined;
  if (!/^[+-]?\d+$/.test(raw))
    return badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax (${name})`);
  return Number(raw);
}

const isStatus = (v: unknown): v is Status => typeof v === "object" && v !== null && "code" in v;

/**
 * Parses and checks a list/watch query as upstream does. Unparsable
 * selectors and numbers answer 400; inconsistent options (e.g.
 * resourceVersionMatch without resourceVersion) answer 422 for
 * `ListOptions.meta.k8s.io`. With a resource given, field selectors are
 * limited to its selectable fields.
 */
export function parseListOptions(
  query: Query,
  resource?: { group: string; resource: string },
): { ok: true; options: ListOptions } | { ok: false; status: Status } {
  const labels = parseLabelSelector(read(query, "labelSelector") ?? "");
  if (!labels.ok) return { ok: false, status: badRequest(labels.message) };
  const fields = parseFieldSelector(read(query, "fieldSelector") ?? "");
  if (!fields.ok) return { ok: false, status: badRequest(fields.message) };
  if (resource) {
    const unsupported = checkFieldsSupported(
      resource.group,
      resource.resource,
      fields.selector.requirements.map((r) => r.field),
    );
    if (unsupported) return { ok: false, status: badRequest(unsupported) };
  }
  const watch = parseBool("watch", read(query, "watch"));
  const bookmarks = parseBool("allowWatchBookmarks", read(query, "allowWatchBookmarks"));
  const initialEvents = parseBool("sendInitialEvents", read(query, "sendInitialEvents"));
  const limit = parseInt64("limit", read(query, "limit"));
  const timeout = parseInt64("timeoutSeconds", read(query, "timeoutSeconds"));
  for (const v of [watch, bookmarks, initialEvents, limit, timeout])
    if (isStatus(v)) return { ok: false, status: v };

  const options: ListOptions = {
    labelSelector: labels.selector,
    fieldSelector: fields.selector,
    watch: watch === true,
    allowWatchBookmarks: bookmarks === true,
  };
  const rv = read(query, "resourceVersion");
  if (rv) options.resourceVersion = rv;
  const cont = read(query, "continue");
  if (cont) options.continue = cont;
  if (typeof limit === "number" && limit > 0) options.limit = limit;
  if (typeof timeout === "number") options.timeoutSeconds = timeout;
  if (typeof initialEvents === "boolean") options.sendInitialEvents = initialEvents;

  const match = read(query, "resourceVersionMatch") ?? "";
  if (match === "Exact" || match === "NotOlderThan") options.resourceVersionMatch = match;
  const errs = options.watch ? watchOptionErrors(options, match) : listOptionErrors(options, match);
  if (errs.length > 0)
    return {
      ok: false,
      status: invalidStatus({ group: "meta.k8s.io", kind: "ListOptions" }, "", errs),
    };
  return { ok: true, options };
}

const MATCH_PATH = FieldPath.root("resourceVersionMatch");

// The consistency rules of a plain list.
function listOptionErrors(options: ListOptions, match: string): FieldError[] {
  const errs: FieldError[] = [];
  if (match !== "") {
    if (!options.resourceVersion) {
      errs.push(
        forbiddenField(
          MATCH_PATH,
          "resourceVersionMatch is forbidden unless resourceVersion is provided",
        ),
      );
    }
    if (options.continue) {
      errs.push(
        forbiddenField(MATCH_PATH, "resourceVersionMatch is forbidden when continue is provided"),
      );
    }
    if (match !== "Exact" && match !== "NotOlderThan") {
      errs.push(notSupported(MATCH_PATH, match, ["Exact", "NotOlderThan", ""]));
    }
    if (match === "Exact" && options.resourceVersion === "0") {
      errs.push(
        forbiddenField(
          MATCH_PATH,
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (options.sendInitialEvents !== undefined) {
    errs.push(
      forbiddenField(
        FieldPath.root("sendInitialEvents"),
        "sendInitialEvents is forbidden for list",
      ),
    );
  }
  return errs;
}

// The consistency rules of a watch: resourceVersionMatch only goes with sendInitialEvents (a streaming list).
function watchOptionErrors(options: ListOptions, match: string): FieldError[] {
  const errs: FieldError[] = [];
  if (options.sendInitialEvents !== undefined && match !== "NotOlderThan") {
    errs.push(
      forbiddenField(
        MATCH_PATH,
        "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
      ),
    );
  }
  if (match !== "") {
    if (options.sendInitialEvents === undefined) {
      errs.push(
        forbiddenField(
          MATCH_PATH,
          "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ),
      );
    }
    if (match !== "NotOlderThan") errs.push(notSupported(MATCH_PATH, match, ["NotOlderThan"]));
    if (options.continue) {
      errs.push(
        forbiddenField(MATCH_PATH, "resourceVersionMatch is forbidden when continue is provided"),
      );
    }
  }
  return errs;
}
