import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { isRecord, type KubeObject } from "../types/object.js";
import {
  type FieldError,
  forbiddenField,
  invalidStatus,
  invalidValue,
} from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

/** The query of `GET pods/<name>/log` (v1.PodLogOptions), parsed and checked. */
export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function read(query: Query, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

const names = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((c) => (isRecord(c) && typeof c.name === "string" ? [c.name] : []))
    : [];

/**
 * Parses a log request's query and picks the container, as upstream does:
 * a pod with one container needs no name; with several the client must
 * choose (`a container name must be specified for pod web, choose one of:
 * [a b]`); a name the pod does not have is refused.
 */
export function parsePodLogOptions(
  pod: KubeObject,
  query: Query,
): { ok: true; options: PodLogOptions } | { ok: false; status: Status } {
  const bool = (name: string): boolean =>
    ["true", "1", "t", "T", "TRUE", "True"].includes(read(query, name) ?? "");
  const errs: FieldError[] = [];
  const int = (name: string): number | undefined => {
    const raw = read(query, name);
    if (raw === undefined || raw === "") return undefined;
    if (!/^[+-]?\d+$/.test(raw)) {
      errs.push(invalidValue(FieldPath.root(name), raw, "must be an integer"));
      return undefined;
    }
    return Number(raw);
  };
  const options: PodLogOptions = {
    container: read(query, "container") ?? "",
    follow: bool("follow"),
    previous: bool("previous"),
    timestamps: bool("timestamps"),
  };
  const sinceSeconds = int("sinceSeconds");
  const tailLines = int("tailLines");
  const limitBytes = int("limitBytes");
  const sinceTime = read(query, "sinceTime");
  if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1)
      errs.push(
        invalidValue(FieldPath.root("sinceSeconds"), sinceSeconds, "must be greater than 0"),
      );
    options.sinceSeconds = sinceSeconds;
  }
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime)))
      errs.push(invalidValue(FieldPath.root("sinceTime"), sinceTime, "must be an RFC 3339 time"));
    options.sinceTime = sinceTime;
    if (sinceSeconds !== undefined)
      errs.push(
        forbiddenField(
          FieldPath.root(""),
          "at most one of `sinceTime` or `sinceSeconds` may be specified",
        ),
      );
  }
  if (tailLines !== undefined) {
    if (tailLines < 0)
      errs.push(
        invalidValue(FieldPath.root("tailLines"), tailLines, "must be greater than or equal to 0"),
      );
    options.tailLines = tailLines;
  }
  if (limitBytes !== undefined) {
    if (limitBytes < 1)
      errs.push(invalidValue(FieldPath.root("limitBytes"), limitBytes, "must be greater than 0"));
    options.limitBytes = limitBytes;
  }
  if (errs.length > 0)
    return { ok: false, status: invalidStatus({ group: "", kind: "PodLogOptions" }, "", errs) };

  const podName = pod.metadata?.name ?? "";
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = names(spec.containers);
  const inits = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (options.container === "") {
    if (containers.length === 1) {
      options.container = containers[0]!;
    } else {
      let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(" ")}]`;
      if (inits.length > 0) message += ` or one of the init containers: [${inits.join(" ")}]`;
      if (ephemeral.length > 0)
        message += ` or one of the ephemeral containers: [${ephemeral.join(" ")}]`;
      return { ok: false, status: badRequest(message) };
    }
  } else if (![...containers, ...inits, ...ephemeral].includes(options.container)) {
    return {
      ok: false,
      status: badRequest(`container ${options.container} is not valid for pod ${podName}`),
    };
  }
  return { ok: true, options };
}
