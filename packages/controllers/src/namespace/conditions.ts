/** A NamespaceCondition. */
export interface NamespaceCondition {
  type: string;
  status: "True" | "False";
  reason: string;
  message?: string;
  lastTransitionTime?: string;
}

/** What a deletion pass found, for the namespace's conditions. */
export interface DeletionOutcome {
  discoveryFailed?: string;
  /** Resources whose deletion failed, with the error. */
  contentFailures: string[];
  /** Remaining objects per resource (`pods.` for core, `widgets.example.com`). */
  remaining: Map<string, number>;
  /** Finalizers on remaining objects, with how many objects carry each. */
  finalizersRemaining: Map<string, number>;
}

function describeCounts(counts: Map<string, number>, unit: string): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([what, n]) => `${what} has ${n} ${unit}`)
    .join(", ");
}

/**
 * The five deletion conditions upstream's namespace controller keeps on a
 * terminating namespace, each True with a failure reason or False with
 * the all-clear reason.
 */
export function deletionConditions(outcome: DeletionOutcome, now: string): NamespaceCondition[] {
  const c = (
    type: string,
    failed: string | undefined,
    failReason: string,
    okReason: string,
    okMessage: string,
  ): NamespaceCondition =>
    failed
      ? { type, status: "True", reason: failReason, message: failed, lastTransitionTime: now }
      : { type, status: "False", reason: okReason, message: okMessage, lastTransitionTime: now };
  return [
    c(
      "NamespaceDeletionDiscoveryFailure",
      outcome.discoveryFailed,
      "DiscoveryFailed",
      "ResourcesDiscovered",
      "All resources successfully discovered",
    ),
    c(
      "NamespaceDeletionGroupVersionParsingFailure",
      undefined,
      "GroupVersionParsingFailed",
      "ParsedGroupVersions",
      "All legacy kube types successfully parsed",
    ),
    c(
      "NamespaceDeletionContentFailure",
      outcome.contentFailures.length > 0
        ? `Failed to delete all resource types, ${outcome.contentFailures.length} remaining: ${outcome.contentFailures.join(", ")}`
        : undefined,
      "ContentDeletionFailed",
      "ContentDeleted",
      "All content successfully deleted, may be waiting on finalization",
    ),
    c(
      "NamespaceContentRemaining",
      outcome.remaining.size > 0
        ? `Some resources are remaining: ${describeCounts(outcome.remaining, "resource instances")}`
        : undefined,
      "SomeResourcesRemain",
      "ContentRemoved",
      "All content successfully removed",
    ),
    c(
      "NamespaceFinalizersRemaining",
      outcome.finalizersRemaining.size > 0
        ? `Some content in the namespace has finalizers remaining: ${describeCounts(outcome.finalizersRemaining, "resource instances")}`
        : undefined,
      "SomeFinalizersRemain",
      "ContentHasNoFinalizers",
      "All content-preserving finalizers finished",
    ),
  ];
}
