import type { KubeObject, ResourceClient } from "@kubekit/client";
import { realClock } from "@kubekit/client";
import { describe, expect, it } from "vitest";
import { type Pod, type PodStatus, PodStatusManager } from "../src/index.js";

/** Records what the manager sends, in place of the apiserver's pods resource. */
function fakePods() {
  const calls: { verb: string; namespace: string; name: string; body: unknown }[] = [];
  const client = {
    namespace(namespace: string) {
      return {
        async patch(name: string, _type: string, body: unknown, options: { subresource?: string }) {
          calls.push({ verb: `patch/${options.subresource}`, namespace, name, body });
          return {};
        },
        async delete(name: string, body: unknown) {
          calls.push({ verb: "delete", namespace, name, body });
          return {};
        },
      };
    },
  } as unknown as ResourceClient<KubeObject>;
  return { client, calls };
}

const pod: Pod = {
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: { containers: [{ name: "main", image: "busybox" }] },
};

const status = (phase: PodStatus["phase"]): PodStatus => ({
  phase,
  conditions: [{ type: "Ready", status: phase === "Running" ? "True" : "False" }],
  containerStatuses: [],
  qosClass: "BestEffort",
});

describe("PodStatusManager", () => {
  it("patches pods/status only with what the API lacks", async () => {
    const { client, calls } = fakePods();
    let api: Pod = { ...pod, status: status("Pending") };
    const manager = new PodStatusManager({ pods: client, apiPod: () => api, clock: realClock });
    manager.update(pod, status("Running"));
    await manager.flush();
    expect(calls).toEqual([
      {
        verb: "patch/status",
        namespace: "default",
        name: "web",
        body: {
          metadata: { uid: "u1" },
          status: { phase: "Running", conditions: status("Running").conditions },
        },
      },
    ]);
    api = { ...pod, status: status("Running") };
    manager.update(pod, status("Running"));
    await manager.resync();
    expect(calls).toHaveLength(1);
  });

  it("never sends a phase that leaves Succeeded, and skips a new pod that took the name", async () => {
    const { client, calls } = fakePods();
    let api: Pod = { ...pod, status: { ...status("Succeeded"), conditions: [] } };
    const manager = new PodStatusManager({ pods: client, apiPod: () => api, clock: realClock });
    manager.update(pod, status("Running"));
    await manager.flush();
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.body as { status?: Partial<PodStatus> } | undefined;
    expect(sent?.status).toBeDefined();
    expect(sent?.status?.phase).toBeUndefined();
    api = { ...pod, metadata: { ...pod.metadata, uid: "u2" }, status: status("Pending") };
    manager.update(pod, status("Running"));
    await manager.flush();
    expect(calls).toHaveLength(1);
  });

  it("deletes a gracefully terminated pod with grace 0 and its uid as a precondition", async () => {
    const { client, calls } = fakePods();
    const manager = new PodStatusManager({
      pods: client,
      apiPod: () => ({ ...pod, status: status("Running") }),
      clock: realClock,
    });
    await manager.terminated(pod);
    expect(calls).toEqual([
      {
        verb: "delete",
        namespace: "default",
        name: "web",
        body: { gracePeriodSeconds: 0, preconditions: { uid: "u1" } },
      },
    ]);
    expect(manager.counters.deletes).toBe(1);
  });

  it("forgets pods gone from the API or from the node", async () => {
    const { client } = fakePods();
    let inApi = true;
    const manager = new PodStatusManager({
      pods: client,
      apiPod: () => (inApi ? { ...pod, status: status("Running") } : undefined),
      clock: realClock,
    });
    manager.update(pod, status("Running"));
    manager.update(
      { ...pod, metadata: { ...pod.metadata, uid: "u3", name: "other" } },
      status("Running"),
    );
    await manager.flush();
    expect(manager.size).toBe(2);
    manager.retain(new Set(["u1"]));
    expect(manager.size).toBe(1);
    inApi = false;
    await manager.resync();
    expect(manager.size).toBe(0);
  });
});
