import { labelSelectorFromObject } from "../selectors/label-selector-object.js";
import { isRecord } from "../types/object.js";

/** Reads a nested field. */
export function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return cur;
}

/** A nested number, 0 when missing, as Go's zero value prints. */
export function num(obj: unknown, ...path: string[]): number {
  const v = get(obj, ...path);
  return typeof v === "number" ? v : 0;
}

/** A nested string, "" when missing. */
export function str(obj: unknown, ...path: string[]): string {
  const v = get(obj, ...path);
  return typeof v === "string" ? v : "";
}

/** A nested list, [] when missing. */
export function arr(obj: unknown, ...path: string[]): unknown[] {
  const v = get(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** `value`, or `<none>` when empty. */
export const orNone = (value: string): string => (value === "" ? "<none>" : value);

/** The container names and images of a pod template, comma-joined. */
export function containersAndImages(podSpec: unknown): [string, string] {
  const containers = arr(podSpec, "containers");
  return [
    containers.map((c) => str(c, "name")).join(","),
    containers.map((c) => str(c, "image")).join(","),
  ];
}

/** A metav1.LabelSelector in selector syntax, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  if (selector === undefined || selector === null) return "<none>";
  const parsed = labelSelectorFromObject(selector);
  if (!parsed.ok) return "<error>";
  return orNone(parsed.selector.toString());
}

/** A label map as `k=v,k2=v2` (sorted), `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  if (!isRecord(labels)) return "<none>";
  return orNone(
    Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(","),
  );
}
