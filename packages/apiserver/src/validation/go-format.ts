/**
 * Prints a value the way upstream's field errors print a Go value, so that
 * messages read the same: strings quoted, numbers and booleans bare, string
 * maps as `map[string]string{"a":"b"}`, null as `null`.
 */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
    }
    return `[${value.map(formatGoValue).join(" ")}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === "string")) {
      // Go prints maps with sorted keys.
      const body = entries
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(", ");
      return `map[string]string{${body}}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
