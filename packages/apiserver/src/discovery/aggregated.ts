import type { ResourceDefinition } from "../registry/resource.js";
import type { ResourceIndex } from "../registry/resource-index.js";

/** The media type parameters that ask for aggregated discovery v2. */
export const AGGREGATED_DISCOVERY_V2 = {
  group: "apidiscovery.k8s.io",
  version: "v2",
  kind: "APIGroupDiscoveryList",
} as const;

/** The Content-Type an aggregated discovery v2 response carries. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** apidiscovery/v2 GroupVersionKind of a response. */
export interface DiscoveryKind {
  group: string;
  version: string;
  kind: string;
}

/** apidiscovery/v2 APISubresourceDiscovery. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: DiscoveryKind;
  verbs: string[];
}

/** apidiscovery/v2 APIResourceDiscovery. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind: DiscoveryKind;
  scope: "Namespaced" | "Cluster";
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** apidiscovery/v2 APIVersionDiscovery. */
export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: "Current" | "Stale";
}

/** apidiscovery/v2 APIGroupDiscovery. */
export interface APIGroupDiscovery {
  /** The core group's name is empty and, as in upstream's JSON, left out. */
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

/** apidiscovery/v2 APIGroupDiscoveryList: what kubectl 1.32 asks `/api` and `/apis` for first. */
export interface APIGroupDiscoveryList {
  kind: "APIGroupDiscoveryList";
  apiVersion: "apidiscovery.k8s.io/v2";
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(def: ResourceDefinition): APIResourceDiscovery {
  const out: APIResourceDiscovery = {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? "Namespaced" : "Cluster",
    singularResource: def.singular,
    verbs: [...def.verbs],
  };
  if (def.shortNames.length > 0) out.shortNames = [...def.shortNames];
  if (def.categories.length > 0) out.categories = [...def.categories];
  if (def.subresources.length > 0) {
    out.subresources = [...def.subresources]
      .sort((a, b) => byName(a.name, b.name))
      .map((sub) => ({
        subresource: sub.name,
        responseKind: {
          group: sub.group ?? def.group,
          version: sub.version ?? def.version,
          kind: sub.kind,
        },
        verbs: [...sub.verbs],
      }));
  }
  return out;
}

function groupDiscovery(
  index: ResourceIndex,
  group: string,
  versions: readonly string[],
): APIGroupDiscovery {
  return {
    metadata: group === "" ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      // Upstream lists resources (and their subresources) by name.
      resources: index.all
        .filter((d) => d.group === group && d.version === version)
        .map(resourceDiscovery)
        .sort((a, b) => byName(a.resource, b.resource)),
      freshness: "Current",
    })),
  };
}

/**
 * The aggregated discovery document. `legacy` true gives the answer for
 * `/api` (the core group alone, named ""); false gives `/apis` (every named
 * group), as upstream splits them.
 */
export function aggregatedDiscovery(index: ResourceIndex, legacy: boolean): APIGroupDiscoveryList {
  const items = index
    .groups()
    .filter((g) => (g.group === "") === legacy)
    .map((g) => groupDiscovery(index, g.group, g.versions));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    metadata: {},
    items,
  };
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
