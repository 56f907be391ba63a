import type { KubeObject } from "../../types/object.js";
import { arr, get, num, str } from "../format.js";
import { age, humanDuration } from "../human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "../table.js";

const TERMINAL = new Set(["Succeeded", "Failed"]);

interface Summary {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart?: number;
}

function lastTermination(status: unknown): number | undefined {
  const finished = str(status, "lastState", "terminated", "finishedAt");
  const t = Date.parse(finished);
  return Number.isNaN(t) ? undefined : t;
}

function terminatedReason(terminated: unknown, prefix: string): string {
  const reason = str(terminated, "reason");
  if (reason !== "") return prefix + reason;
  const signal = num(terminated, "signal");
  return signal !== 0
    ? `${prefix}Signal:${signal}`
    : `${prefix}ExitCode:${num(terminated, "exitCode")}`;
}

// Walks init containers, then app containers, the way kubectl's STATUS column is derived.
function summarize(pod: KubeObject): Summary {
  const status = pod.status;
  let reason = str(status, "reason") || str(status, "phase");
  for (const c of arr(status, "conditions")) {
    if (str(c, "type") === "PodScheduled" && str(c, "reason") === "SchedulingGated")
      reason = "SchedulingGated";
  }
  let restarts = 0;
  let lastRestart: number | undefined;
  const noteRestart = (s: unknown): void => {
    restarts += num(s, "restartCount");
    const t = lastTermination(s);
    if (t !== undefined && (lastRestart === undefined || t > lastRestart)) lastRestart = t;
  };
  let initializing = false;
  const inits = arr(status, "initContainerStatuses");
  const initCount = arr(pod.spec, "initContainers").length;
  for (const [i, s] of inits.entries()) {
    noteRestart(s);
    const terminated = get(s, "state", "terminated");
    const waitingReason = str(s, "state", "waiting", "reason");
    if (terminated !== undefined && num(terminated, "exitCode") === 0) continue;
    if (terminated !== undefined) reason = terminatedReason(terminated, "Init:");
    else if (waitingReason !== "" && waitingReason !== "PodInitializing")
      reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }
  let ready = 0;
  const initialized = arr(status, "conditions").some(
    (c) => str(c, "type") === "Initialized" && str(c, "status") === "True",
  );
  if (!initializing || initialized) {
    restarts = 0;
    lastRestart = undefined;
    let hasRunning = false;
    const containers = arr(status, "containerStatuses");
    for (let i = containers.length - 1; i >= 0; i--) {
      const s = containers[i];
      noteRestart(s);
      const waiting = str(s, "state", "waiting", "reason");
      const terminated = get(s, "state", "terminated");
      if (waiting !== "") reason = waiting;
      else if (terminated !== undefined) reason = terminatedReason(terminated, "");
      else if (get(s, "ready") === true && get(s, "state", "running") !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const podReady = arr(status, "conditions").some(
        (c) => str(c, "type") === "Ready" && str(c, "status") === "True",
      );
      reason = podReady ? "Running" : "NotReady";
    }
  }
  if (pod.metadata?.deletionTimestamp) {
    if (str(status, "reason") === "NodeLost") reason = "Unknown";
    else if (!TERMINAL.has(str(status, "phase"))) reason = "Terminating";
  }
  return lastRestart === undefined
    ? { reason, ready, restarts }
    : { reason, ready, restarts, lastRestart };
}

/** Pods: Name, Ready, Status, Restarts, Age, and wide IP, Node, Nominated Node, Readiness Gates. */
export const podPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "string", "Ready containers out of all containers."),
    column("Status", "string", "The aggregate status of the pod's containers."),
    column("Restarts", "string", "Container restarts, and how long ago the last one was."),
    AGE_COLUMN,
    column("IP", "string", "The pod's IP address.", 1),
    column("Node", "string", "The node the pod is bound to.", 1),
    column("Nominated Node", "string", "The node the scheduler nominated while preempting.", 1),
    column("Readiness Gates", "string", "Readiness gates that are true, out of all.", 1),
  ],
  cells(pod, now) {
    const s = summarize(pod);
    const restarts =
      s.restarts !== 0 && s.lastRestart !== undefined
        ? `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`
        : String(s.restarts);
    const gates = arr(pod.spec, "readinessGates");
    const conditions = arr(pod.status, "conditions");
    const gatesTrue = gates.filter((g) =>
      conditions.some(
        (c) => str(c, "type") === str(g, "conditionType") && str(c, "status") === "True",
      ),
    ).length;
    const ip = str(arr(pod.status, "podIPs")[0], "ip") || str(pod.status, "podIP");
    return [
      pod.metadata?.name ?? "",
      `${s.ready}/${arr(pod.spec, "containers").length}`,
      s.reason,
      restarts,
      age(pod.metadata?.creationTimestamp, now),
      ip || "<none>",
      str(pod.spec, "nodeName") || "<none>",
      str(pod.status, "nominatedNodeName") || "<none>",
      gates.length > 0 ? `${gatesTrue}/${gates.length}` : "<none>",
    ];
  },
  conditions(pod) {
    const phase = str(pod.status, "phase");
    if (phase === "Succeeded")
      return [
        {
          type: "Completed",
          status: "True",
          reason: "Succeeded",
          message: "The pod has completed successfully.",
        },
      ];
    if (phase === "Failed")
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    return undefined;
  },
};
