/**
 * What the scheduler writes back about a pod it could not place: the
 * PodScheduled=False condition and the node preemption nominated, as
 * upstream's `updatePod` does, and upstream's cap on event messages.
 * Pure: the reporter sends what these return.
 */
import type { Pod } from "../api/types.js";

/** A pod condition as written to pods/status. */
export interface PodConditionPatch {
  type: "PodScheduled";
  status: "False";
  reason: string;
  message: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

/** The merge patch for pods/status, or undefined when the stored status already says all of it (upstream skips the write then). */
export function failedSchedulingStatusPatch(
  pod: Pod,
  reason: string,
  message: string,
  now: Date,
  nominatedNodeName?: string,
): { status: Record<string, unknown> } | undefined {
  const conditions = pod.status?.conditions ?? [];
  const existing = conditions.find((c) => c.type === "PodScheduled") as
    | (PodConditionPatch & { lastTransitionTime?: string })
    | undefined;
  const conditionChanged =
    existing?.status !== "False" || existing.reason !== reason || existing.message !== message;
  const nominationChanged =
    nominatedNodeName !== undefined && pod.status?.nominatedNodeName !== nominatedNodeName;
  if (!conditionChanged && !nominationChanged) return undefined;
  const condition: PodConditionPatch = {
    type: "PodScheduled",
    status: "False",
    reason,
    message,
    lastProbeTime: null,
    // The transition time moves only when the status flips, as upstream.
    lastTransitionTime:
      existing?.status === "False" && existing.lastTransitionTime
        ? existing.lastTransitionTime
        : now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  // A merge patch replaces the whole list: keep the other conditions as they are.
  const status: Record<string, unknown> = {
    conditions: [...conditions.filter((c) => c.type !== "PodScheduled"), condition],
  };
  if (nominationChanged) status.nominatedNodeName = nominatedNodeName;
  return { status };
}

/** Upstream's limit on an event message (longer ones are cut and end in "..."). */
export const MAX_EVENT_MESSAGE_LENGTH = 1024;

/** Cuts a message to the event limit, as upstream's truncateMessage. */
export function truncateEventMessage(message: string): string {
  if (message.length <= MAX_EVENT_MESSAGE_LENGTH) return message;
  return `${message.slice(0, MAX_EVENT_MESSAGE_LENGTH - 3)}...`;
}
