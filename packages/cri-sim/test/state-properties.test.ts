import { create } from "@bufbuild/protobuf";
import {
  ContainerConfigSchema,
  ContainerState,
  PodSandboxConfigSchema,
  PodSandboxState,
} from "@kubekit/proto/cri";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createManualClock, RuntimeState, SimRuntimeError } from "../src/index.js";
import { countingRandom, sandboxConfig } from "./helpers.js";

/** One CRI call, by index into the pods/containers made so far. */
const operation = fc.oneof(
  fc.record({ op: fc.constant("run"), pod: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant("stopSandbox"), at: fc.nat() }),
  fc.record({ op: fc.constant("removeSandbox"), at: fc.nat() }),
  fc.record({
    op: fc.constant("create"),
    at: fc.nat(),
    name: fc.integer({ min: 0, max: 3 }),
    exitAfterSeconds: fc.option(fc.integer({ min: 0, max: 5 })),
  }),
  fc.record({ op: fc.constant("start"), at: fc.nat() }),
  fc.record({ op: fc.constant("stop"), at: fc.nat() }),
  fc.record({ op: fc.constant("remove"), at: fc.nat() }),
  fc.record({ op: fc.constant("tick"), seconds: fc.integer({ min: 0, max: 3 }) }),
);

describe("RuntimeState under random call sequences", () => {
  it("keeps CRI's invariants whatever the order of calls", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const clock = createManualClock();
        const state = new RuntimeState({ clock, random: countingRandom(), podCidr: "10.3.0.0/28" });
        state.images.pull("busybox");
        const sandboxIds: string[] = [];
        const containerIds: string[] = [];
        const pick = (ids: string[], at: number) => ids[at % Math.max(ids.length, 1)] ?? "none";
        for (const step of operations) {
          try {
            switch (step.op) {
              case "run":
                sandboxIds.push(
                  state.runSandbox(create(PodSandboxConfigSchema, sandboxConfig(`pod${step.pod}`)))
                    .id,
                );
                break;
              case "stopSandbox":
                state.stopSandbox(pick(sandboxIds, step.at));
                break;
              case "removeSandbox":
                state.removeSandbox(pick(sandboxIds, step.at));
                break;
              case "create": {
                const config = create(ContainerConfigSchema, {
                  metadata: { name: `c${step.name}` },
                  image: { image: "busybox" },
                  command:
                    step.exitAfterSeconds === null ? [] : ["sleep", String(step.exitAfterSeconds)],
                });
                containerIds.push(state.createContainer(pick(sandboxIds, step.at), config).id);
                break;
              }
              case "start":
                state.startContainer(pick(containerIds, step.at));
                break;
              case "stop":
                state.stopContainer(pick(containerIds, step.at));
                break;
              case "remove":
                state.removeContainer(pick(containerIds, step.at));
                break;
              case "tick":
                clock.advance(BigInt(step.seconds) * 1_000_000_000n);
                break;
            }
          } catch (error) {
            // Refusals are part of the contract; anything else is a bug.
            expect(error).toBeInstanceOf(SimRuntimeError);
          }

          const sandboxes = state.listSandboxes();
          const containers = state.listContainers();
          const live = new Map(sandboxes.map((s) => [s.id, s]));
          // Every container belongs to a live sandbox; a not-ready sandbox runs nothing.
          for (const c of containers) {
            const sandbox = live.get(c.sandboxId);
            expect(sandbox).toBeDefined();
            if (sandbox?.state === PodSandboxState.SANDBOX_NOTREADY) {
              expect(c.state).not.toBe(ContainerState.CONTAINER_RUNNING);
            }
            // Times only move forward through the life cycle.
            if (c.state !== ContainerState.CONTAINER_CREATED)
              expect(c.startedAt).toBeGreaterThanOrEqual(c.createdAt);
            if (c.state === ContainerState.CONTAINER_EXITED)
              expect(c.finishedAt).toBeGreaterThanOrEqual(c.startedAt);
            if (c.state === ContainerState.CONTAINER_RUNNING && c.exitAt !== undefined) {
              expect(c.exitAt).toBeGreaterThan(clock.nowNs());
            }
          }
          // Names and pod IPs are unique among live objects.
          const names = [
            ...sandboxes.map((s) => s.reservedName),
            ...containers.map((c) => c.reservedName),
          ];
          expect(new Set(names).size).toBe(names.length);
          const ips = sandboxes.map((s) => s.ip);
          expect(new Set(ips).size).toBe(ips.length);
          expect(state.counts().podIps).toBe(ips.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
