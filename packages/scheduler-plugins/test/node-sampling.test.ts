// How many nodes a cycle looks at, and where it starts: percentageOfNodesToScore
// with its round-robin start, and preemption's candidate limit with its random offset.
import { describe, expect, it } from "vitest";
import { parseSchedulerConfiguration } from "../src/config/parse.js";
import type { CycleState } from "../src/framework/cycle-state.js";
import { seededRandom } from "../src/framework/handle.js";
import type { FilterPlugin } from "../src/framework/interfaces.js";
import type { NodeInfo } from "../src/framework/node-info.js";
import { success } from "../src/framework/status.js";
import { inTreeArgsValidators } from "../src/plugins/args-validators.js";
import {
  numCandidates,
  offsetAndNumCandidates,
  validateArgs,
} from "../src/plugins/default-preemption/index.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { KubeScheduler } from "../src/scheduler/kube-scheduler.js";
import { numFeasibleNodesToFind } from "../src/scheduler/select-host.js";
import { FakeClock, node, onNode, RecordingBinder, requesting } from "./fixtures.js";

describe("numFeasibleNodesToFind (percentageOfNodesToScore)", () => {
  it("evaluates every node of a cluster under 100 nodes", () => {
    expect(numFeasibleNodesToFind(99)).toBe(99);
    expect(numFeasibleNodesToFind(99, 10)).toBe(99);
  });
  it("adapts the percentage as upstream: 50 − nodes/125, at least 5%, at least 100 nodes", () => {
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420); // 42%
    expect(numFeasibleNodesToFind(5000)).toBe(500); // 10%
    expect(numFeasibleNodesToFind(6000)).toBe(300); // 2% raised to 5%
    expect(numFeasibleNodesToFind(20000)).toBe(1000); // 5%
  });
  it("takes a configured percentage, still at least 100 nodes", () => {
    expect(numFeasibleNodesToFind(1000, 30)).toBe(300);
    expect(numFeasibleNodesToFind(1000, 1)).toBe(100);
    expect(numFeasibleNodesToFind(1000, 100)).toBe(1000);
  });
});

/** A scheduler whose profile adds a Filter plugin recording the nodes it is asked about. */
function recordingScheduler(yamlExtra = "", random = seededRandom(7)) {
  const visited: string[][] = [[]];
  const registry = inTreeRegistry();
  registry.register(
    "Recorder",
    () =>
      ({
        name: "Recorder",
        filter(_state: CycleState, _pod: unknown, nodeInfo: NodeInfo) {
          visited.at(-1)!.push(nodeInfo.name);
          return success();
        },
      }) satisfies FilterPlugin,
  );
  const config = parseSchedulerConfiguration(
    `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
${yamlExtra}profiles:
  - schedulerName: default-scheduler
    plugins:
      multiPoint:
        enabled: [{ name: Recorder }]
`,
    { registry, argsValidators: inTreeArgsValidators() },
  );
  const deleted: string[] = [];
  const scheduler: KubeScheduler = new KubeScheduler({
    config,
    registry,
    binder: new RecordingBinder(),
    clock: new FakeClock(),
    random,
    podDeleter: {
      async deletePod(p) {
        deleted.push(p.metadata.name);
        scheduler.onPodDelete(p);
      },
    },
  });
  /** Runs one attempt and returns the nodes the recorder saw during it. */
  const attempt = async () => {
    visited.push([]);
    const { binding } = await scheduler.scheduleNext();
    await binding;
    return visited.at(-1)!;
  };
  return { scheduler, attempt, deleted };
}

const names = (from: number, count: number, total: number) =>
  Array.from({ length: count }, (_, i) => `n${(from + i) % total}`);

describe("the Filter phase's node sample", () => {
  it("stops at the feasible nodes it needs and starts the next cycle where the last stopped", async () => {
    const { scheduler, attempt } = recordingScheduler();
    for (let i = 0; i < 300; i++) scheduler.onNodeAdd(node(`n${i}`));
    for (let i = 0; i < 3; i++) scheduler.onPodAdd(requesting(`p${i}`, { cpu: "100m" }));
    // 300 nodes: 50 − 2 = 48% → 144 nodes per cycle, round robin over the list.
    expect(await attempt()).toEqual(names(0, 144, 300));
    expect(await attempt()).toEqual(names(144, 144, 300));
    expect(await attempt()).toEqual(names(288, 144, 300));
  });
  it("honours the configuration's percentageOfNodesToScore", async () => {
    const { scheduler, attempt } = recordingScheduler("percentageOfNodesToScore: 40\n");
    for (let i = 0; i < 500; i++) scheduler.onNodeAdd(node(`n${i}`));
    scheduler.onPodAdd(requesting("p", { cpu: "100m" }));
    expect(await attempt()).toEqual(names(0, 200, 500));
  });
});

describe("preemption's candidate search", () => {
  it("collects max(10%, 100) candidates by default, never more than the nodes", () => {
    const defaults = validateArgs(undefined);
    expect(numCandidates(5000, defaults)).toBe(500);
    expect(numCandidates(2000, defaults)).toBe(200);
    expect(numCandidates(300, defaults)).toBe(100);
    expect(numCandidates(50, defaults)).toBe(50);
    expect(
      numCandidates(
        5000,
        validateArgs({ minCandidateNodesPercentage: 1, minCandidateNodesAbsolute: 10 }),
      ),
    ).toBe(50);
  });
  it("starts at an offset drawn from the injected random source", () => {
    const defaults = validateArgs(undefined);
    expect(offsetAndNumCandidates(300, defaults, () => 0.5)).toEqual({ offset: 150, wanted: 100 });
    expect(offsetAndNumCandidates(300, defaults, () => 0.999999)).toEqual({
      offset: 299,
      wanted: 100,
    });
    expect(offsetAndNumCandidates(1, defaults, () => 0.7)).toEqual({ offset: 0, wanted: 1 });
  });
  it("dry-runs only as many nodes as it wants candidates, from the offset, wrapping round", async () => {
    // random() → 0.9: the offset is 270 of 300 potential nodes.
    const { scheduler, attempt, deleted } = recordingScheduler("", () => 0.9);
    for (let i = 0; i < 300; i++) scheduler.onNodeAdd(node(`n${i}`, { cpu: "4" }));
    for (let i = 0; i < 300; i++) {
      scheduler.onPodAdd(onNode(requesting(`low${i}`, { cpu: "3500m" }), `n${i}`));
    }
    const high = requesting("high", { cpu: "3" });
    scheduler.onPodAdd({ ...high, spec: { ...high.spec, priority: 1000 } });
    // The recorder runs after NodeResourcesFit: during the Filter phase every node is
    // already full; it is reached only in dry runs, once per candidate (victims removed).
    const seen = await attempt();
    expect(seen).toEqual(names(270, 100, 300));
    // Every candidate ties: the first in dry-run order is chosen.
    expect(deleted).toEqual(["low270"]);
  });
});
