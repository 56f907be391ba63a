/** A group and resource, as upstream's schema.GroupResource. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group and kind, as upstream's schema.GroupKind. */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * The printed form of a group-qualified name: `pods` for the core group,
 * `deployments.apps` otherwise. Used in error messages.
 */
export function qualifiedName(name: string, group: string): string {
  return group === "" ? name : `${name}.${group}`;
}

/** `group/version`, or just `version` for the core group. */
export function groupVersionString(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** Splits an apiVersion (`apps/v1` or `v1`) into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return { group: "", version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
