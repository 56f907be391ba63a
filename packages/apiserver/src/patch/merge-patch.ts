import { deepCopy, isRecord, setOwn } from "../types/object.js";

/**
 * Applies a JSON merge patch (RFC 7386): objects merge key by key, null
 * deletes a key, anything else (arrays included) replaces.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return deepCopy(patch);
  const out: Record<string, unknown> = isRecord(target) ? deepCopy(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}
