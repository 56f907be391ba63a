import type { ControllerDescriptor } from "../controller.js";

/** `--controllers` names something the manager does not have. */
export class UnknownControllerError extends Error {
  override readonly name = "UnknownControllerError";
}

/**
 * The controllers `--controllers` chooses, with upstream's semantics:
 * `*` turns on every controller enabled by default, `name` turns one on,
 * `-name` turns one off (an explicit name wins over `*`). Unknown names
 * are an error. The default value of the flag is `["*"]`.
 */
export function selectControllers(
  flags: readonly string[],
  known: readonly ControllerDescriptor[],
): ControllerDescriptor[] {
  const names = new Set(known.map((c) => c.name));
  const on = new Set<string>();
  const off = new Set<string>();
  let star = false;
  for (const raw of flags) {
    const flag = raw.trim();
    if (flag === "") continue;
    if (flag === "*") {
      star = true;
      continue;
    }
    const disable = flag.startsWith("-");
    const name = disable ? flag.slice(1) : flag;
    if (!names.has(name)) {
      throw new UnknownControllerError(
        `"${name}" is not in the list of known controllers (${[...names].sort().join(", ")})`,
      );
    }
    (disable ? off : on).add(name);
  }
  return known.filter((c) => {
    if (off.has(c.name)) return false;
    if (on.has(c.name)) return true;
    return star && c.enabledByDefault;
  });
}
