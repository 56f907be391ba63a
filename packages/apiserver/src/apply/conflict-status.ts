import type { Status, StatusCause } from "../errors/status.js";
import type { ManagedFieldsEntry } from "../types/object.js";
import { memberToString } from "./member-path.js";

/** One field another manager owns with a different value than the applier sets. */
export interface ApplyConflict {
  entry: ManagedFieldsEntry;
  member: string;
}

/**
 * A manager as upstream's conflict messages name it: `"name"` for an
 * applier, `"name" using apps/v1` for an updater (time left out, as the
 * manager identifiers upstream compares carry none), with the subresource
 * when there is one.
 */
export function describeManager(entry: ManagedFieldsEntry): string {
  let out = JSON.stringify(entry.manager);
  if (entry.subresource) out += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === "Update") out += ` using ${entry.apiVersion}`;
  return out;
}

/**
 * The 409 an apply with conflicts answers, in upstream's words: `Apply
 * failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`,
 * or for several, the conflicts grouped by manager, one `- path` a line;
 * one `FieldManagerConflict` cause per field.
 */
export function applyConflictStatus(conflicts: readonly ApplyConflict[]): Status {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.entry)}`,
    field: memberToString(c.member),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts as [ApplyConflict];
    message = `Apply failed with 1 conflict: conflict with ${describeManager(only.entry)}: ${memberToString(only.member)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = describeManager(c.entry);
      byManager.set(name, [...(byManager.get(name) ?? []), memberToString(c.member)]);
    }
    const lines: string[] = [];
    for (const name of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${name}:`);
      for (const path of byManager.get(name)!) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "Conflict",
    details: { causes },
    code: 409,
  };
}
