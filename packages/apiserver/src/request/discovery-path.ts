/** Which discovery document a path asks for, if any. */
export type DiscoveryPath =
  | { kind: "legacy-versions" } // GET /api
  | { kind: "groups" } // GET /apis
  | { kind: "group"; group: string } // GET /apis/<group>
  | { kind: "resources"; group: string; version: string }; // GET /api/v1, /apis/<g>/<v>

/** Classifies a discovery path; undefined for everything else. */
export function parseDiscoveryPath(path: string): DiscoveryPath | undefined {
  const parts = path.replace(/^\/+|\/+$/g, "").split("/");
  if (parts[0] === "api") {
    if (parts.length === 1) return { kind: "legacy-versions" };
    if (parts.length === 2 && parts[1]) return { kind: "resources", group: "", version: parts[1] };
    return undefined;
  }
  if (parts[0] === "apis") {
    if (parts.length === 1) return { kind: "groups" };
    if (parts.length === 2 && parts[1]) return { kind: "group", group: parts[1] };
    if (parts.length === 3 && parts[1] && parts[2])
      return { kind: "resources", group: parts[1], version: parts[2] };
  }
  return undefined;
}
