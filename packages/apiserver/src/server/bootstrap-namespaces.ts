import type { ResourceIndex } from "../registry/resource-index.js";
import { storageKey } from "../registry/storage-key.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { WriteContext } from "../strategy/admission-result.js";
import { admitCreate } from "../strategy/admit-write.js";

/** The namespaces every cluster has, created on first start as upstream's bootstrap controller does. */
export const SYSTEM_NAMESPACES = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
] as const;

/** Creates any of the system namespaces that do not exist yet; existing ones are left alone. */
export async function ensureSystemNamespaces(
  index: ResourceIndex,
  store: ObjectStore,
  ctx: WriteContext,
): Promise<void> {
  const def = index.byResource("", "v1", "namespaces");
  if (!def) throw new Error("the resource catalogue has no namespaces");
  for (const name of SYSTEM_NAMESPACES) {
    const key = storageKey(def, undefined, name);
    if ((await store.get(key)).ok) continue;
    const admitted = admitCreate(
      def,
      { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      { namespace: "" },
      ctx,
    );
    if (!admitted.ok)
      throw new Error(`cannot create namespace ${name}: ${admitted.status.message}`);
    const created = await store.create(key, admitted.object);
    // Another apiserver may have created it in between: that is fine.
    if (!created.ok && created.reason !== "already-exists")
      throw new Error(`cannot create namespace ${name}: ${created.reason}`);
  }
}
