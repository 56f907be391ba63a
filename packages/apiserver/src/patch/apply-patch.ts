import jsonpatch from "fast-json-patch";
import { badRequest, unprocessable, unsupportedMediaType } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { isRecord, type KubeObject } from "../types/object.js";
import { applyMergePatch } from "./merge-patch.js";
import { PatchError } from "./patch-error.js";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";

/** The patch Content-Types the apiserver accepts (server-side apply is not built yet). */
export const PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
] as const;

/** One of the supported patch Content-Types. */
export type PatchType = (typeof PATCH_CONTENT_TYPES)[number];

/** The patched object, or the Status to answer with. */
export type PatchResult = { ok: true; object: KubeObject } | { ok: false; status: Status };

function parseBody(body: string): { ok: true; value: unknown } | { ok: false; status: Status } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, status: badRequest(`error decoding patch: ${(err as Error).message}`) };
  }
}

function applyJsonPatch(original: KubeObject, ops: unknown): PatchResult {
  if (!Array.isArray(ops)) {
    return {
      ok: false,
      status: badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    };
  }
  const invalid = jsonpatch.validate(ops as jsonpatch.Operation[]);
  if (invalid)
    return {
      ok: false,
      status: badRequest(invalid.message.split("\n")[0] ?? "invalid JSON patch"),
    };
  try {
    const { newDocument } = jsonpatch.applyPatch(
      structuredClone(original),
      ops as jsonpatch.Operation[],
      true,
      true,
    );
    return { ok: true, object: newDocument };
  } catch {
    // A well-formed patch that does not fit this object (failed test, missing path).
    return { ok: false, status: unprocessable() };
  }
}

/**
 * Applies a PATCH body to the stored object according to its Content-Type.
 * Never throws: a malformed patch becomes a 400 BadRequest, a patch that
 * does not fit the object a 422, an unknown Content-Type a 415.
 */
export function applyPatch(contentType: string, original: KubeObject, body: string): PatchResult {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (!(PATCH_CONTENT_TYPES as readonly string[]).includes(type)) {
    return { ok: false, status: unsupportedMediaType(contentType, PATCH_CONTENT_TYPES) };
  }
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  let result: unknown;
  try {
    if (type === "application/json-patch+json") {
      const applied = applyJsonPatch(original, parsed.value);
      if (!applied.ok) return applied;
      result = applied.object;
    } else if (!isRecord(parsed.value)) {
      return { ok: false, status: badRequest("the patch must be a JSON object") };
    } else if (type === "application/merge-patch+json") {
      result = applyMergePatch(original, parsed.value);
    } else {
      result = applyStrategicMergePatch(original, parsed.value, original.kind ?? "");
    }
  } catch (err) {
    if (err instanceof PatchError) {
      return {
        ok: false,
        status: err.code === 400 ? badRequest(err.message) : unprocessable(),
      };
    }
    return { ok: false, status: badRequest(err instanceof Error ? err.message : String(err)) };
  }
  if (!isRecord(result))
    return { ok: false, status: badRequest("the patched object must be a JSON object") };
  return { ok: true, object: result as KubeObject };
}
