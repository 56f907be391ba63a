import type { Node, NodeCondition, Taint } from "../common/types.js";

/** The taint of a node whose Ready condition is False. */
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";
/** The taint of a node whose Ready condition is Unknown (the controller lost touch with it). */
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

// Condition → NoSchedule taint, as upstream's nodeConditionToTaintKeyStatusMap.
const CONDITION_TAINTS: readonly { type: string; status: string; key: string }[] = [
  { type: "Ready", status: "False", key: NOT_READY_TAINT },
  { type: "Ready", status: "Unknown", key: UNREACHABLE_TAINT },
  { type: "MemoryPressure", status: "True", key: "node.kubernetes.io/memory-pressure" },
  { type: "DiskPressure", status: "True", key: "node.kubernetes.io/disk-pressure" },
  { type: "PIDPressure", status: "True", key: "node.kubernetes.io/pid-pressure" },
  { type: "NetworkUnavailable", status: "True", key: "node.kubernetes.io/network-unavailable" },
];
const UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
/** Every taint key this controller manages; others are left alone. */
const MANAGED_KEYS = new Set([...CONDITION_TAINTS.map((c) => c.key), UNSCHEDULABLE_TAINT]);

/** The conditions the kubelet reports that turn Unknown when it goes silent. */
const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/**
 * The node's conditions after `graceMs` of silence, as upstream's
 * tryUpdateNodeHealth writes them: Ready and the pressure conditions
 * become Unknown ("Kubelet stopped posting node status."), keeping their
 * last heartbeat; a node that never reported Ready gets Ready Unknown
 * ("Kubelet never posted node status."). Undefined when nothing changes.
 */
export function conditionsAfterSilence(node: Node, now: string): NodeCondition[] | undefined {
  const conditions = [...((node.status?.conditions ?? []) as NodeCondition[])];
  let changed = false;
  const ready = conditions.find((c) => c.type === "Ready");
  if (!ready) {
    conditions.push({
      type: "Ready",
      status: "Unknown",
      reason: "NodeStatusNeverUpdated",
      message: "Kubelet never posted node status.",
      lastHeartbeatTime: node.metadata?.creationTimestamp ?? now,
      lastTransitionTime: now,
    });
    changed = true;
  }
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i] as NodeCondition;
    if (!KUBELET_CONDITIONS.includes(c.type) || c.status === "Unknown") continue;
    conditions[i] = {
      ...c,
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastTransitionTime: now,
    };
    changed = true;
  }
  return changed ? conditions : undefined;
}

/**
 * The node's taints as upstream keeps them: NoSchedule taints mirroring
 * its conditions (not-ready, unreachable, pressure, network) and
 * unschedulable, plus the NoExecute not-ready / unreachable taint that
 * evicts pods. Existing taints keep their timeAdded; taints of other
 * owners are kept as they are.
 */
export function desiredTaints(node: Node, now: string): Taint[] {
  const existing = node.spec?.taints ?? [];
  const conditions = (node.status?.conditions ?? []) as NodeCondition[];
  const want: Taint[] = [];
  for (const rule of CONDITION_TAINTS) {
    if (conditions.some((c) => c.type === rule.type && c.status === rule.status)) {
      want.push({ key: rule.key, effect: "NoSchedule" });
    }
  }
  if (node.spec?.unschedulable) want.push({ key: UNSCHEDULABLE_TAINT, effect: "NoSchedule" });
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready?.status === "False") want.push({ key: NOT_READY_TAINT, effect: "NoExecute" });
  if (ready?.status === "Unknown") want.push({ key: UNREACHABLE_TAINT, effect: "NoExecute" });

  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const kept = existing.filter((t) => !MANAGED_KEYS.has(t.key) || want.some((w) => same(w, t)));
  for (const w of want) {
    if (kept.some((t) => same(t, w))) continue;
    kept.push(w.effect === "NoExecute" ? { ...w, timeAdded: now } : w);
  }
  return kept;
}
