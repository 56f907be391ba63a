import { badRequest } from "../errors/builders.js";
import { failure, type Status } from "../errors/status.js";

/** What a list's `continue` token carries: where the next page starts, and at which revision. */
export interface ContinueToken {
  /** The store revision the first page was read at. */
  resourceVersion: number;
  /** The key (relative to the list's prefix) the next page starts at. */
  startKey: string;
}

/**
 * Encodes a continue token as upstream's storage does: base64url (no
 * padding) of `{"v":"meta.k8s.io/v1","rv":<rev>,"start":"<key>"}`, so
 * tokens look the same to clients.
 */
export function encodeContinueToken(token: ContinueToken): string {
  const json = JSON.stringify({
    v: "meta.k8s.io/v1",
    rv: token.resourceVersion,
    start: token.startKey,
  });
  return Buffer.from(json).toString("base64url");
}

/** Decodes a continue token, or the 400 Status for one that is not ours. */
export function decodeContinueToken(
  raw: string,
): { ok: true; token: ContinueToken } | { ok: false; status: Status } {
  const invalid = (why: string) => ({
    ok: false as const,
    status: badRequest(`continue key is not valid: ${why}`),
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return invalid("the token is not base64-encoded JSON");
  }
  if (typeof parsed !== "object" || parsed === null) return invalid("the token is not an object");
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== "meta.k8s.io/v1")
    return invalid(`server does not recognize this encoded key version ${JSON.stringify(v)}`);
  if (typeof rv !== "number" || !Number.isInteger(rv) || rv <= 0)
    return invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  if (typeof start !== "string" || start === "") return invalid("encoded start key was empty");
  // The start key is relative to the list prefix: it must not climb out of it.
  if (start.split("/").some((part) => part === ".." || part === "."))
    return invalid("start key may not contain path traversal");
  return { ok: true, token: { resourceVersion: rv, startKey: start } };
}

/** 410 Expired: the revision a continue token points at has been compacted away. */
export function continueExpired(): Status {
  return failure(
    410,
    "Expired",
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
  );
}
