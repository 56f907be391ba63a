import type { ProgressTracker } from "./tracker.js";
import { type ConfChange, ConfChangeType, type ConfState } from "./types.js";

/**
 * Fills an empty tracker from a persisted membership. Everyone starts in
 * probe state just past `lastIndex`.
 */
export function restoreTracker(prs: ProgressTracker, cs: ConfState, lastIndex: number): void {
  for (const id of cs.voters) prs.addMember(id, false, 0, lastIndex + 1);
  for (const id of cs.learners) prs.addMember(id, true, 0, lastIndex + 1);
}

/**
 * Applies one single-step membership change. Changes that would leave no
 * voter are ignored: every node applies the same committed entries in the
 * same order, so all of them ignore it alike.
 */
export function applyConfChangeToTracker(
  prs: ProgressTracker,
  cc: ConfChange,
  lastIndex: number,
): void {
  switch (cc.type) {
    case ConfChangeType.AddNode:
      prs.addMember(cc.nodeId, false, 0, lastIndex + 1);
      return;
    case ConfChangeType.AddLearnerNode:
      if (prs.voters.has(cc.nodeId) && prs.voters.size === 1) return;
      prs.addMember(cc.nodeId, true, 0, lastIndex + 1);
      return;
    case ConfChangeType.RemoveNode:
      if (prs.voters.has(cc.nodeId) && prs.voters.size === 1) return;
      prs.removeMember(cc.nodeId);
      return;
  }
}
