/**
 * Coscheduling (gang scheduling): the pods of a PodGroup are bound all
 * together or not at all, as kubernetes-sigs/scheduler-plugins does it:
 *
 * - QueueSort keeps a group's pods next to each other in the queue
 *   (priority, then the group's creation time, then the group's name);
 * - PreFilter rejects a pod whose group has fewer pods than minMember;
 * - Permit holds each member until minMember of the group are assumed or
 *   bound, then allows all waiting members at once (or times out);
 * - PostFilter and Unreserve reject the group's other waiting members when
 *   one fails, so the whole group goes back to the queue together.
 */
import {
  Code,
  type CycleState,
  type Handle,
  type PermitPlugin,
  type Pod,
  type PostFilterPlugin,
  type PreFilterPlugin,
  podKey,
  type QueuedPodInfo,
  type QueueSortPlugin,
  type ReservePlugin,
  Status,
  success,
} from "@kubekit/scheduler-plugins";
import { type CoschedulingArgs, parseCoschedulingArgs } from "./args.js";
import { type PodGroup, type PodGroupSource, podGroupKey, podGroupName } from "./pod-group.js";

/** The plugin's name in a KubeSchedulerConfiguration. */
export const NAME = "Coscheduling";

function namespaceOf(pod: Pod): string {
  return pod.metadata.namespace ?? "default";
}

/** The plugin, reading PodGroups and pods from `source`. */
export function createCoscheduling(rawArgs: unknown, handle: Handle, source: PodGroupSource) {
  const args: CoschedulingArgs = parseCoschedulingArgs(rawArgs);

  const groupOf = (pod: Pod): PodGroup | undefined => {
    const name = podGroupName(pod);
    return name === undefined ? undefined : source.podGroup(namespaceOf(pod), name);
  };

  /** Members of the pod's group already assumed or bound in this cycle's snapshot. */
  const assignedMembers = (pod: Pod): number => {
    const key = podGroupKey(pod);
    let n = 0;
    for (const info of handle.snapshot().list()) {
      for (const p of info.pods) if (podGroupKey(p.pod) === key) n++;
    }
    return n;
  };

  const waitingMembers = (pod: Pod) => {
    const key = podGroupKey(pod);
    return (handle.waitingPods?.list() ?? []).filter(
      (w) => podGroupKey(w.pod) === key && podKey(w.pod) !== podKey(pod),
    );
  };

  const rejectWaitingMembers = (pod: Pod, message: string): void => {
    for (const w of waitingMembers(pod)) w.reject(NAME, message);
  };

  // Sort key: the group's creation time (or the pod's first attempt) and full name.
  const sortKey = (info: QueuedPodInfo): [number, string] => {
    const group = groupOf(info.pod);
    if (group) {
      const created = Date.parse(group.metadata.creationTimestamp ?? "");
      return [
        Number.isNaN(created) ? info.initialAttemptTimestamp : created,
        `${namespaceOf(info.pod)}/${group.metadata.name}`,
      ];
    }
    return [info.initialAttemptTimestamp, podKey(info.pod)];
  };

  return {
    name: NAME,

    less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
      const pa = a.pod.spec.priority ?? 0;
      const pb = b.pod.spec.priority ?? 0;
      if (pa !== pb) return pa > pb;
      const [ta, na] = sortKey(a);
      const [tb, nb] = sortKey(b);
      if (ta === tb) return na < nb;
      return ta < tb;
    },

    preFilter(_state: CycleState, pod: Pod) {
      const name = podGroupName(pod);
      if (name === undefined) return { status: success() };
      const group = source.podGroup(namespaceOf(pod), name);
      if (!group) {
        return {
          status: new Status(Code.UnschedulableAndUnresolvable, [
            `PodGroup ${namespaceOf(pod)}/${name} not found`,
          ]),
        };
      }
      const total = source.podsOf(namespaceOf(pod), name).length;
      if (total < group.spec.minMember) {
        return {
          status: new Status(Code.UnschedulableAndUnresolvable, [
            `pre-filter pod ${pod.metadata.name} cannot find enough sibling pods, current pods number: ${total}, minMember of group: ${group.spec.minMember}`,
          ]),
        };
      }
      return { status: success() };
    },

    postFilter(_state: CycleState, pod: Pod) {
      const group = groupOf(pod);
      if (!group) {
        return { status: new Status(Code.Unschedulable, ["can not find pod group"]) };
      }
      // Enough members placed already: this pod's failure does not doom the group.
      if (assignedMembers(pod) >= group.spec.minMember) {
        return { status: new Status(Code.Unschedulable) };
      }
      const groupName = `${namespaceOf(pod)}/${group.metadata.name}`;
      rejectWaitingMembers(pod, "optimistic rejection in PostFilter");
      return {
        status: new Status(Code.Unschedulable, [
          `PodGroup ${groupName} gets rejected due to Pod ${pod.metadata.name} is unschedulable even after PostFilter`,
        ]),
      };
    },

    // Nothing to claim; Unreserve is what matters: one member failing sends the group back.
    reserve(): Status {
      return success();
    },

    unreserve(_state: CycleState, pod: Pod): void {
      if (!groupOf(pod)) return;
      rejectWaitingMembers(pod, "rejection in Unreserve");
    },

    permit(_state: CycleState, pod: Pod) {
      const name = podGroupName(pod);
      if (name === undefined) return { status: success(), timeoutMs: 0 };
      const group = source.podGroup(namespaceOf(pod), name);
      if (!group) {
        return {
          status: new Status(Code.Unschedulable, [
            `PodGroup ${namespaceOf(pod)}/${name} not found`,
          ]),
          timeoutMs: 0,
        };
      }
      // The snapshot predates this pod's own assumption: count it too.
      if (assignedMembers(pod) + 1 >= group.spec.minMember) {
        for (const w of waitingMembers(pod)) w.allow(NAME);
        return { status: success(), timeoutMs: 0 };
      }
      const seconds = group.spec.scheduleTimeoutSeconds ?? args.permitWaitingTimeSeconds;
      return { status: new Status(Code.Wait), timeoutMs: seconds * 1000 };
    },
  } satisfies QueueSortPlugin & PreFilterPlugin & PostFilterPlugin & ReservePlugin & PermitPlugin;
}
