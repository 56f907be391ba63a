import { ALL_VERBS } from "../registry/catalogue.js";
import type { ResourceDefinition, SubresourceDefinition } from "../registry/resource.js";
import { createResourceIndex, type ResourceIndex } from "../registry/resource-index.js";
import type { Crd } from "./crd-types.js";
import { compareVersionPriority } from "./version-priority.js";

const SUBRESOURCE_VERBS = ["get", "patch", "update"] as const;

/**
 * The resources a CRD serves: one definition per served version, in
 * upstream's version priority order, each carrying the version's schema,
 * subresources and printer columns.
 */
export function resourcesOfCrd(crd: Crd): ResourceDefinition[] {
  const { group, names, scope, versions } = crd.spec;
  const singular = names.singular || names.kind.toLowerCase();
  return versions
    .filter((v) => v.served)
    .sort((a, b) => compareVersionPriority(a.name, b.name))
    .map((v) => {
      const subresources: SubresourceDefinition[] = [];
      if (v.subresources?.scale)
        subresources.push({
          name: "scale",
          kind: "Scale",
          group: "autoscaling",
          version: "v1",
          verbs: SUBRESOURCE_VERBS,
        });
      if (v.subresources?.status)
        subresources.push({ name: "status", kind: names.kind, verbs: SUBRESOURCE_VERBS });
      const def: ResourceDefinition = {
        group,
        version: v.name,
        resource: names.plural,
        kind: names.kind,
        singular,
        listKind: names.listKind || `${names.kind}List`,
        namespaced: scope === "Namespaced",
        verbs: ALL_VERBS,
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        subresources,
        custom: {
          crdName: crd.metadata?.name ?? "",
          schema: v.schema?.openAPIV3Schema ?? {
            type: "object",
            "x-kubernetes-preserve-unknown-fields": true,
          },
          statusEnabled: v.subresources?.status !== undefined,
          ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
          printerColumns: v.additionalPrinterColumns ?? [],
          terminating: crd.metadata?.deletionTimestamp !== undefined,
        },
      };
      return def;
    });
}

/**
 * The index of the built-in resources plus those of the CRDs given, in the
 * order given. A CRD whose resource is already served (a built-in or an
 * earlier CRD) is left out rather than breaking the index.
 */
export function indexWithCrds(
  builtins: readonly ResourceDefinition[],
  crds: readonly Crd[],
): ResourceIndex {
  const defs = [...builtins];
  const taken = new Set(defs.map((d) => `${d.group}/${d.resource}`));
  const kinds = new Set(defs.map((d) => `${d.group}/${d.kind}`));
  for (const crd of crds) {
    const own = resourcesOfCrd(crd);
    const first = own[0];
    if (!first) continue;
    if (taken.has(`${first.group}/${first.resource}`) || kinds.has(`${first.group}/${first.kind}`))
      continue;
    taken.add(`${first.group}/${first.resource}`);
    kinds.add(`${first.group}/${first.kind}`);
    defs.push(...own);
  }
  return createResourceIndex(defs);
}
