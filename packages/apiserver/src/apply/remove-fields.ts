import { listItemKey } from "../meta/field-set.js";
import { listSchemaAt } from "../patch/list-schema.js";
import { isRecord } from "../types/object.js";
import { segmentsOf } from "./member-path.js";

type Container = Record<string, unknown> | unknown[];

// Where one segment leads from a value: the container holding it and its key or index.
function step(
  node: unknown,
  segment: string,
  kind: string,
  path: string[],
): { container: Container; at: string | number; path: string[] } | undefined {
  const body = segment.slice(2);
  if (segment.startsWith("f:")) {
    if (!isRecord(node) || !(body in node)) return undefined;
    return { container: node, at: body, path: [...path, body] };
  }
  if (!Array.isArray(node)) return undefined;
  if (segment.startsWith("k:")) {
    const schema = listSchemaAt(kind, path);
    if (schema.type !== "map") return undefined;
    const at = node.findIndex(
      (item) => isRecord(item) && JSON.stringify(listItemKey(item, schema.keys)) === body,
    );
    return at >= 0 ? { container: node, at, path } : undefined;
  }
  if (segment.startsWith("v:")) {
    const at = node.findIndex((item) => JSON.stringify(item) === body);
    return at >= 0 ? { container: node, at, path } : undefined;
  }
  return undefined;
}

function removeAt(container: Container, at: string | number): void {
  if (Array.isArray(container)) container.splice(at as number, 1);
  else delete container[at as string];
}

/**
 * Removes the fields of `members` from `obj` (in place), as server-side
 * apply drops what an applier stopped setting: a field member removes the
 * field; a `.` member removes the list item it names, or the map it names
 * once it is empty. Members are taken deepest first, and `keep(member)`
 * spares any that another manager still needs.
 */
export function removeMembers(
  obj: Record<string, unknown>,
  members: Iterable<string>,
  kind: string,
  keep: (member: string) => boolean,
): void {
  const sorted = [...members].sort((a, b) => segmentsOf(b).length - segmentsOf(a).length);
  for (const member of sorted) {
    if (keep(member)) continue;
    const segments = segmentsOf(member);
    const self = segments.at(-1) === ".";
    const target = self ? segments.slice(0, -1) : segments;
    let node: unknown = obj;
    let path: string[] = [];
    let last: { container: Container; at: string | number } | undefined;
    for (const segment of target) {
      const next = step(node, segment, kind, path);
      if (!next) {
        last = undefined;
        break;
      }
      last = next;
      node = Array.isArray(next.container)
        ? next.container[next.at as number]
        : next.container[next.at as string];
      path = next.path;
    }
    if (!last) continue;
    // A map ("." of a field) goes only once nothing is left in it; a list item goes whole.
    const isListItem = Array.isArray(last.container);
    if (self && !isListItem && isRecord(node) && Object.keys(node).length > 0) continue;
    removeAt(last.container, last.at);
  }
}
