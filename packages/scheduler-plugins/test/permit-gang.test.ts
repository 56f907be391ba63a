import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { podKey } from "../src/api/types.js";
import { parseSchedulerConfiguration } from "../src/config/parse.js";
import type { CycleState } from "../src/framework/cycle-state.js";
import type { Handle } from "../src/framework/handle.js";
import type { PermitPlugin } from "../src/framework/interfaces.js";
import { Code, Status, success } from "../src/framework/status.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { KubeScheduler } from "../src/scheduler/kube-scheduler.js";
import { FakeClock, node, pod, RecordingBinder } from "./fixtures.js";

/**
 * A co-scheduling Permit plugin written against the public Handle: pods of a
 * gang (label gang=NAME, annotation gang-size=N) wait until N of them are
 * reserved, then the last one allows them all.
 */
function gangPlugin(_args: unknown, handle: Handle) {
  const gangOf = (p: Pod) => p.metadata.labels?.gang;
  return {
    name: "Gang",
    permit(_state: CycleState, p: Pod) {
      const gang = gangOf(p);
      if (!gang) return { status: success(), timeoutMs: 0 };
      const size = Number(p.metadata.annotations?.["gang-size"] ?? 1);
      const waiting = handle.waitingPods?.list().filter((w) => gangOf(w.pod) === gang) ?? [];
      if (waiting.length + 1 < size) return { status: new Status(Code.Wait), timeoutMs: 30_000 };
      for (const w of waiting) handle.waitingPods?.get(podKey(w.pod))?.allow("Gang");
      return { status: success(), timeoutMs: 0 };
    },
  } satisfies PermitPlugin;
}

const member = (name: string): Pod => {
  const p = pod(name, {}, { gang: "g" });
  return { ...p, metadata: { ...p.metadata, annotations: { "gang-size": "3" } } };
};

function setup() {
  const registry = inTreeRegistry();
  registry.register("Gang", gangPlugin);
  const config = parseSchedulerConfiguration(
    "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - plugins:\n      permit:\n        enabled: [{ name: Gang }]\n",
    { registry },
  );
  const binder = new RecordingBinder();
  const clock = new FakeClock();
  const scheduler = new KubeScheduler({ config, registry, binder, clock, random: () => 0 });
  scheduler.onNodeAdd(node("n"));
  return { scheduler, binder, clock };
}

describe("Permit plugins through the Handle", () => {
  it("binds a gang only once all its members are reserved", async () => {
    const { scheduler, binder } = setup();
    const bindings: Promise<boolean>[] = [];
    for (const name of ["m1", "m2", "m3"]) {
      scheduler.onPodAdd(member(name));
      const { binding } = await scheduler.scheduleNext();
      bindings.push(binding);
      if (name !== "m3") {
        await Promise.resolve();
        expect(binder.bindings).toEqual([]);
      }
    }
    expect(await Promise.all(bindings)).toEqual([true, true, true]);
    expect(binder.bindings.map(([p]) => p).sort()).toEqual(["m1", "m2", "m3"]);
  });

  it("rejects waiting members when the gang does not complete in time", async () => {
    const { scheduler, binder, clock } = setup();
    scheduler.onPodAdd(member("m1"));
    const { binding } = await scheduler.scheduleNext();
    clock.advance(30_000);
    expect(await binding).toBe(false);
    expect(binder.bindings).toEqual([]);
    expect(scheduler.queue.where(member("m1"))).toBe("unschedulable");
  });
});
