/** True when every `key: value` of `selector` is among `labels` (an empty selector matches all). */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>> | undefined,
): boolean {
  if (selector === undefined) return true;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
