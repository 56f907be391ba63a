import type { OwnerReference } from "@kubekit/client";
import {
  FOREGROUND_FINALIZER,
  type GraphNode,
  isDeletingDependents,
  ORPHAN_FINALIZER,
} from "./graph.js";

/** What became of an owner: there, gone, or being deleted in the foreground. */
export type OwnerState = "solid" | "dangling" | "waitingForDependentsDeletion";

/** What the collector does with a dependent, given its owners' states (upstream's attemptToDeleteItem). */
export type DependentAction =
  | { action: "none" }
  /** Drop references to owners that are gone or deleting, since a solid owner remains. */
  | { action: "removeOwnerReferences"; uids: string[] }
  /** Delete the dependent: all its owners are gone or deleting. */
  | { action: "delete"; propagationPolicy: "Background" | "Foreground" | "Orphan" };

/**
 * Decides a dependent's fate as upstream's collector does: while one
 * owner is solid the dependent stays (minus its dangling references);
 * once none is, it is deleted, in the foreground when an owner waits for
 * its dependents and it has dependents of its own, otherwise with the
 * policy its own finalizers ask for, else in the background.
 */
export function decideDependent(
  node: GraphNode,
  states: ReadonlyMap<string, OwnerState>,
  hasDependents: boolean,
): DependentAction {
  const refs = node.ownerReferences;
  if (refs.length === 0) return { action: "none" };
  const of = (s: OwnerState): OwnerReference[] => refs.filter((r) => states.get(r.uid) === s);
  const solid = of("solid");
  const dangling = of("dangling");
  const waiting = of("waitingForDependentsDeletion");
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return { action: "none" };
    return { action: "removeOwnerReferences", uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  if (waiting.length > 0 && hasDependents)
    return { action: "delete", propagationPolicy: "Foreground" };
  if (node.finalizers.includes(ORPHAN_FINALIZER))
    return { action: "delete", propagationPolicy: "Orphan" };
  if (node.finalizers.includes(FOREGROUND_FINALIZER)) {
    return { action: "delete", propagationPolicy: "Foreground" };
  }
  return { action: "delete", propagationPolicy: "Background" };
}

/**
 * For an owner being deleted in the foreground: the dependents that block
 * it (their reference has blockOwnerDeletion). The foregroundDeletion
 * finalizer comes off when there are none left.
 */
export function blockingDependents(
  owner: GraphNode,
  dependents: readonly GraphNode[],
): GraphNode[] {
  if (!isDeletingDependents(owner)) return [];
  return dependents.filter((d) =>
    d.ownerReferences.some((r) => r.uid === owner.uid && r.blockOwnerDeletion === true),
  );
}
