import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";

/**
 * Reads a write's `dryRun` query parameter: absent means a real write,
 * `All` means every stage runs but nothing is stored; anything else is
 * refused, as upstream's `dryRun` validation does.
 */
export function parseDryRun(
  query: URLSearchParams,
): { ok: true; dryRun: boolean } | { ok: false; status: Status } {
  const values = query.getAll("dryRun");
  if (values.length === 0) return { ok: true, dryRun: false };
  for (const value of values) {
    if (value !== "All")
      return { ok: false, status: badRequest(`Invalid dry run value: ${value}`) };
  }
  return { ok: true, dryRun: true };
}
