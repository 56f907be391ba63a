import {
  getControllerOf,
  isNotFound,
  type KubeObject,
  type OwnerReference,
  type ResourceClient,
  type Selector,
  selectorMatches,
} from "@kubekit/client";

/** What a controller does with one candidate dependent (upstream's ControllerRefManager). */
export type ClaimDecision = "owned" | "adopt" | "release" | "ignore";

/**
 * Decides, as upstream's ClaimObject: a dependent controlled by `owner` is
 * kept while the selector matches and released when it no longer does
 * (unless the owner is being deleted); an orphan that matches is adopted
 * unless the owner or the orphan is being deleted; anything controlled by
 * someone else is ignored.
 */
export function claimDecision(
  owner: KubeObject,
  selector: Selector,
  obj: KubeObject,
): ClaimDecision {
  const ref = getControllerOf(obj);
  const matches = selectorMatches(selector, obj.metadata?.labels);
  const ownerDeleting = Boolean(owner.metadata?.deletionTimestamp);
  if (ref) {
    if (ref.uid !== owner.metadata?.uid) return "ignore";
    if (matches) return "owned";
    return ownerDeleting ? "ignore" : "release";
  }
  if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) return "ignore";
  return "adopt";
}

/** Settings of {@link claimObjects}. */
export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  /** The owner reference to add on adoption (controller, blockOwnerDeletion). */
  controllerRef: OwnerReference;
  selector: Selector;
  /** Where patches go (namespaced). */
  client: ResourceClient<T>;
  /**
   * Confirms, once, before the first adoption that the owner still exists
   * with the same uid and is not being deleted (upstream re-reads it
   * from the apiserver); throws when it may not adopt.
   */
  canAdopt(): Promise<void>;
}

function ownerReferencesWithout(obj: KubeObject, uid: string): OwnerReference[] {
  return (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
}

/**
 * Adopts matching orphans and releases owned objects that stopped
 * matching, by merge-patching `metadata.ownerReferences` with the
 * resourceVersion as a precondition (a concurrent writer makes the patch
 * conflict and the next sync decides again). Resolves with the objects
 * the owner now controls.
 */
export async function claimObjects<T extends KubeObject>(
  objs: readonly T[],
  options: ClaimOptions<T>,
): Promise<T[]> {
  const owned: T[] = [];
  let adoptionChecked = false;
  const uid = options.controllerRef.uid;
  const errors: unknown[] = [];
  for (const obj of objs) {
    const decision = claimDecision(options.owner, options.selector, obj);
    const name = obj.metadata?.name ?? "";
    try {
      if (decision === "owned") {
        owned.push(obj);
      } else if (decision === "adopt") {
        if (!adoptionChecked) {
          await options.canAdopt();
          adoptionChecked = true;
        }
        const refs = [...ownerReferencesWithout(obj, uid), options.controllerRef];
        const patched = await options.client.patch(name, "merge", {
          metadata: { ownerReferences: refs, resourceVersion: obj.metadata?.resourceVersion },
        });
        owned.push(patched);
      } else if (decision === "release") {
        await options.client.patch(name, "merge", {
          metadata: {
            ownerReferences: ownerReferencesWithout(obj, uid),
            resourceVersion: obj.metadata?.resourceVersion,
          },
        });
      }
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return owned;
}
