import { Code } from "@connectrpc/connect";
import type { RandomBytes } from "./clock.js";
import { notFound, SimRuntimeError } from "./errors.js";

/** Draws fresh attempts; a clash of 256-bit IDs means the random source is broken. */
const MAX_ID_ATTEMPTS = 8;

/**
 * A new ID shaped like containerd's: 64 lowercase hex characters (32 random
 * bytes), distinct from every ID in `taken`.
 */
export function newId(random: RandomBytes, taken: ReadonlyMap<string, unknown>): string {
  for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
    const id = Buffer.from(random(32)).toString("hex");
    if (id.length === 64 && !taken.has(id)) return id;
  }
  throw new SimRuntimeError(Code.Internal, "the random source keeps repeating IDs");
}

/**
 * Finds the full ID an `idOrPrefix` names, as containerd's stores do: an
 * exact ID, or a prefix that only one ID starts with. An empty prefix and an
 * ambiguous one are errors (`Unknown`, as containerd answers); no match is
 * `NotFound`.
 */
export function resolveId(
  entries: ReadonlyMap<string, unknown>,
  idOrPrefix: string,
  kind: "sandbox" | "container",
): string {
  if (idOrPrefix === "") {
    throw new SimRuntimeError(Code.Unknown, `${kind} ID prefix can't be empty`);
  }
  if (entries.has(idOrPrefix)) return idOrPrefix;
  let found: string | undefined;
  for (const id of entries.keys()) {
    if (!id.startsWith(idOrPrefix)) continue;
    if (found !== undefined) {
      throw new SimRuntimeError(Code.Unknown, `${kind} ID prefix "${idOrPrefix}" is ambiguous`);
    }
    found = id;
  }
  if (found === undefined) throw notFound(`${kind} "${idOrPrefix}"`);
  return found;
}

/**
 * The ID a list filter means: the full ID when `idOrPrefix` resolves to one,
 * else the text itself (which then matches nothing unless it is an exact ID).
 */
export function normalizeFilterId(
  entries: ReadonlyMap<string, unknown>,
  idOrPrefix: string,
): string {
  try {
    return resolveId(entries, idOrPrefix, "sandbox");
  } catch {
    return idOrPrefix;
  }
}
