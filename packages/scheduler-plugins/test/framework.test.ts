import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { buildFrameworks } from "../src/config/build.js";
import { defaultSchedulerConfiguration } from "../src/config/parse.js";
import type { CycleState } from "../src/framework/cycle-state.js";
import { Framework, FrameworkError } from "../src/framework/framework.js";
import type { Handle } from "../src/framework/handle.js";
import type { NodeScore, Plugin, QueuedPodInfo } from "../src/framework/interfaces.js";
import type { NodeInfo } from "../src/framework/node-info.js";
import { emptyPluginSets, type PluginRef, type Profile } from "../src/framework/profile.js";
import { Registry, RegistryError } from "../src/framework/registry.js";
import { Code, Status, success } from "../src/framework/status.js";
import { inTreeArgsValidators } from "../src/plugins/args-validators.js";
import * as defaultBinder from "../src/plugins/default-binder/index.js";
import * as prioritySort from "../src/plugins/priority-sort/index.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { SchedulerCache } from "../src/scheduler/cache.js";
import { Scheduler, type SchedulingFailure } from "../src/scheduler/scheduler.js";
import {
  FakeClock,
  handleFor,
  node,
  onNode,
  pod,
  RecordingBinder,
  requesting,
  Snapshot,
} from "./fixtures.js";

function queued(p: Pod): QueuedPodInfo {
  return {
    pod: p,
    initialAttemptTimestamp: 0,
    timestamp: 0,
    attempts: 1,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
  };
}

/** A plugin at every point that logs its calls; behaviour per point can be overridden. */
function recorder(
  name: string,
  log: string[],
  o: {
    score?: (n: string) => number;
    permit?: { status: Status; timeoutMs: number };
    filter?: (n: string) => Status;
    preFilter?: Status;
    bind?: () => Status;
  } = {},
) {
  return {
    name,
    preFilter(_s: CycleState, _p: Pod) {
      log.push(`${name}.preFilter`);
      return { status: o.preFilter ?? success() };
    },
    filter(_s: CycleState, _p: Pod, n: NodeInfo) {
      log.push(`${name}.filter(${n.name})`);
      return o.filter?.(n.name) ?? success();
    },
    preScore() {
      log.push(`${name}.preScore`);
      return success();
    },
    score(_s: CycleState, _p: Pod, n: NodeInfo) {
      log.push(`${name}.score(${n.name})`);
      return o.score?.(n.name) ?? 0;
    },
    normalizeScore(_s: CycleState, _p: Pod, _scores: NodeScore[]) {
      log.push(`${name}.normalizeScore`);
      return success();
    },
    reserve() {
      log.push(`${name}.reserve`);
      return success();
    },
    unreserve() {
      log.push(`${name}.unreserve`);
    },
    permit() {
      log.push(`${name}.permit`);
      return o.permit ?? { status: success(), timeoutMs: 0 };
    },
    preBind() {
      log.push(`${name}.preBind`);
      return success();
    },
    bind() {
      log.push(`${name}.bind`);
      return o.bind?.() ?? new Status(Code.Skip);
    },
    postBind() {
      log.push(`${name}.postBind`);
    },
  };
}

function profileOf(
  points: Partial<Record<keyof ReturnType<typeof emptyPluginSets>, PluginRef[]>>,
): Profile {
  const plugins = emptyPluginSets();
  for (const [point, refs] of Object.entries(points))
    plugins[point as keyof typeof plugins].enabled = refs;
  return { schedulerName: "test", plugins, pluginConfig: new Map() };
}

function setup(
  plugins: Plugin[],
  points: Parameters<typeof profileOf>[0],
  nodes = [node("a"), node("b"), node("c")],
  seed = 1,
) {
  const registry = inTreeRegistry();
  for (const p of plugins) registry.register(p.name, () => p);
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  const clock = new FakeClock();
  const binder = new RecordingBinder();
  const handle: Handle = {
    ...handleFor(Snapshot.from(nodes), { clock, binder, seed }),
    snapshot: () => cache.snapshot(),
  };
  const fwk = new Framework(
    profileOf({
      queueSort: [{ name: prioritySort.NAME }],
      bind: [{ name: defaultBinder.NAME }],
      ...points,
    }),
    registry,
    handle,
  );
  const failures: SchedulingFailure[] = [];
  const scheduled: [string, string][] = [];
  const scheduler = new Scheduler(cache, () => fwk, {
    onFailure: (f) => failures.push(f),
    onScheduled: (p, n) => scheduled.push([p.metadata.name, n]),
  });
  return { fwk, cache, clock, binder, scheduler, failures, scheduled };
}

const everyPoint = (name: string, weight?: number) => ({
  preFilter: [{ name }],
  filter: [{ name }],
  preScore: [{ name }],
  score: [{ name, ...(weight ? { weight } : {}) }],
  reserve: [{ name }],
  permit: [{ name }],
  preBind: [{ name }],
  postBind: [{ name }],
});

describe("Framework", () => {
  it("runs the extension points in upstream order", async () => {
    const log: string[] = [];
    const p = recorder("Rec", log, { score: (n) => (n === "b" ? 10 : 1) });
    const { scheduler, binder } = setup(
      [p],
      { ...everyPoint("Rec"), bind: [{ name: "Rec" }, { name: defaultBinder.NAME }] },
      [node("a"), node("b")],
    );
    const { binding } = await scheduler.scheduleOne(queued(pod("p")));
    expect(await binding).toBe(true);
    expect(log).toEqual([
      "Rec.preFilter",
      "Rec.filter(a)",
      "Rec.filter(b)",
      "Rec.preScore",
      "Rec.score(a)",
      "Rec.score(b)",
      "Rec.normalizeScore",
      "Rec.reserve",
      "Rec.permit",
      "Rec.preBind",
      "Rec.bind",
      "Rec.postBind",
    ]);
    // Rec's Bind skipped, so DefaultBinder bound the pod on the best-scored node.
    expect(binder.bindings).toEqual([["p", "b"]]);
  });

  it("does not score when only one node is feasible", async () => {
    const log: string[] = [];
    const p = recorder("Rec", log, {
      filter: (n) => (n === "c" ? success() : new Status(Code.Unschedulable, ["no"])),
    });
    const { scheduler, binder } = setup([p], everyPoint("Rec"));
    await (await scheduler.scheduleOne(queued(pod("p")))).binding;
    expect(log.some((l) => l.includes("score"))).toBe(false);
    expect(binder.bindings).toEqual([["p", "c"]]);
  });

  it("skips Filter of a plugin whose PreFilter returned Skip", async () => {
    const log: string[] = [];
    const p = recorder("Rec", log, {
      preFilter: new Status(Code.Skip),
      filter: () => new Status(Code.Unschedulable, ["never"]),
    });
    const { scheduler, binder } = setup([p], everyPoint("Rec"));
    await (await scheduler.scheduleOne(queued(pod("p")))).binding;
    expect(log.filter((l) => l.includes("filter"))).toEqual([]);
    expect(binder.bindings).toHaveLength(1);
  });

  it("weights scores and picks the highest total", async () => {
    const a = recorder("A", [], { score: (n) => ({ a: 100, b: 0, c: 50 })[n]! });
    const b = recorder("B", [], { score: (n) => ({ a: 0, b: 60, c: 50 })[n]! });
    const { scheduler, binder } = setup([a, b], {
      score: [
        { name: "A", weight: 1 },
        { name: "B", weight: 2 },
      ],
    });
    // totals: a 100, b 120, c 150
    await (await scheduler.scheduleOne(queued(pod("p")))).binding;
    expect(binder.bindings).toEqual([["p", "c"]]);
  });

  it("rejects scores outside [0, 100] after normalizing", async () => {
    const a = recorder("A", [], { score: () => 101 });
    const { scheduler, failures } = setup([a], { score: [{ name: "A" }] });
    await scheduler.scheduleOne(queued(pod("p")));
    expect(failures[0]?.status.code).toBe(Code.Error);
    expect(failures[0]?.message).toMatch(/invalid score 101/);
  });

  it("breaks ties with the injected random source, each tied node reachable", async () => {
    const chosen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const { scheduler, binder } = setup([], {}, [node("a"), node("b"), node("c")], seed);
      await (await scheduler.scheduleOne(queued(pod("p")))).binding;
      chosen.add(binder.bindings[0]![1]);
    }
    expect([...chosen].sort()).toEqual(["a", "b", "c"]);
    const again = async (seed: number) => {
      const { scheduler, binder } = setup([], {}, [node("a"), node("b"), node("c")], seed);
      await (await scheduler.scheduleOne(queued(pod("p")))).binding;
      return binder.bindings[0]![1];
    };
    expect(await again(7)).toBe(await again(7));
  });

  it("holds a pod at Permit until allowed", async () => {
    const log: string[] = [];
    const p = recorder("Gate", log, {
      permit: { status: new Status(Code.Wait), timeoutMs: 10_000 },
    });
    const { scheduler, binder, fwk, clock } = setup([p], { permit: [{ name: "Gate" }] }, [
      node("a"),
    ]);
    const { binding } = await scheduler.scheduleOne(queued(pod("p")));
    await Promise.resolve();
    expect(binder.bindings).toEqual([]);
    expect(fwk.waitingPods.get("default/p")?.pendingPlugins()).toEqual(["Gate"]);
    clock.advance(5_000);
    fwk.waitingPods.get("default/p")!.allow("Gate");
    expect(await binding).toBe(true);
    expect(binder.bindings).toEqual([["p", "a"]]);
  });

  it("rejects a waiting pod on timeout, unreserves and reports the failure", async () => {
    const log: string[] = [];
    const p = recorder("Gate", log, {
      permit: { status: new Status(Code.Wait), timeoutMs: 10_000 },
    });
    const { scheduler, binder, clock, cache, failures } = setup(
      [p],
      { permit: [{ name: "Gate" }], reserve: [{ name: "Gate" }] },
      [node("a")],
    );
    const { binding } = await scheduler.scheduleOne(queued(pod("p")));
    expect(cache.isAssumed(pod("p"))).toBe(true);
    clock.advance(10_000);
    expect(await binding).toBe(false);
    expect(binder.bindings).toEqual([]);
    expect(log).toEqual(["Gate.reserve", "Gate.permit", "Gate.unreserve"]);
    expect(cache.isAssumed(pod("p"))).toBe(false);
    expect(failures[0]?.message).toBe("rejected due to timeout after waiting 10s at plugin Gate");
    expect([...(failures[0]?.unschedulablePlugins ?? [])]).toEqual(["Gate"]);
  });

  it("unreserves in reverse order and forgets the pod when Bind fails", async () => {
    const log: string[] = [];
    const a = recorder("A", log);
    const b = recorder("B", log);
    const { scheduler, binder, cache, failures } = setup(
      [a, b],
      { reserve: [{ name: "A" }, { name: "B" }] },
      [node("a")],
    );
    binder.fail = new Error("conflict");
    const { binding } = await scheduler.scheduleOne(queued(pod("p")));
    expect(await binding).toBe(false);
    expect(log).toEqual(["A.reserve", "B.reserve", "B.unreserve", "A.unreserve"]);
    expect(cache.isAssumed(pod("p"))).toBe(false);
    expect(failures[0]?.status.code).toBe(Code.Error);
    expect(failures[0]?.message).toBe("conflict");
  });

  it("refuses profiles that misuse plugins", () => {
    const registry = inTreeRegistry();
    const handle = handleFor(Snapshot.from([]));
    const base = { queueSort: [{ name: "PrioritySort" }], bind: [{ name: "DefaultBinder" }] };
    expect(
      () => new Framework(profileOf({ ...base, score: [{ name: "NodeName" }] }), registry, handle),
    ).toThrow(new FrameworkError('plugin "NodeName" does not extend score plugin'));
    expect(
      () => new Framework(profileOf({ ...base, filter: [{ name: "Nope" }] }), registry, handle),
    ).toThrow(/does not exist/);
    expect(() => new Framework(profileOf({ bind: base.bind }), registry, handle)).toThrow(
      /exactly one queueSort/,
    );
    expect(
      () =>
        new Framework(
          profileOf({ ...base, filter: [{ name: "NodeName" }, { name: "NodeName" }] }),
          registry,
          handle,
        ),
    ).toThrow(/already registered as "filter"/);
  });
});

describe("Registry", () => {
  it("refuses duplicates, also when merging out-of-tree plugins", () => {
    const r = new Registry([["A", () => ({ name: "A" })]]);
    expect(() => r.register("A", () => ({ name: "A" }))).toThrow(RegistryError);
    const outOfTree = new Registry([["B", () => ({ name: "B" })]]);
    r.merge(outOfTree);
    expect(r.names()).toEqual(["A", "B"]);
    expect(() => r.merge(outOfTree)).toThrow('a plugin named "B" already exists');
    r.unregister("A");
    expect(r.has("A")).toBe(false);
    expect(() => r.unregister("A")).toThrow(RegistryError);
  });
});

describe("the default profile", () => {
  const opts = { registry: inTreeRegistry(), argsValidators: inTreeArgsValidators() };

  function defaultScheduler(nodes: ReturnType<typeof node>[], pods: Pod[] = []) {
    const cache = new SchedulerCache();
    for (const n of nodes) cache.addNode(n);
    for (const p of pods) cache.addPod(p);
    const binder = new RecordingBinder();
    const handle: Handle = {
      ...handleFor(Snapshot.from([]), { binder }),
      snapshot: () => cache.snapshot(),
    };
    const frameworks = buildFrameworks(defaultSchedulerConfiguration(opts), opts.registry, handle);
    const failures: SchedulingFailure[] = [];
    const scheduler = new Scheduler(
      cache,
      (p) => frameworks.get(p.spec.schedulerName ?? "default-scheduler"),
      {
        onFailure: (f) => failures.push(f),
      },
    );
    return { scheduler, binder, failures, frameworks };
  }

  it("enables the implemented default plugins at their points with upstream weights", () => {
    const { frameworks } = defaultScheduler([]);
    const fwk = frameworks.get("default-scheduler")!;
    expect(fwk.plugins("filter").map((p) => p.name)).toEqual([
      "NodeUnschedulable",
      "NodeName",
      "TaintToleration",
      "NodeAffinity",
      "NodePorts",
      "NodeResourcesFit",
      "PodTopologySpread",
      "InterPodAffinity",
    ]);
    expect(fwk.plugins("score").map((p) => `${p.name}:${fwk.scoreWeight(p.name)}`)).toEqual([
      "TaintToleration:3",
      "NodeAffinity:2",
      "NodeResourcesFit:1",
      "PodTopologySpread:2",
      "InterPodAffinity:2",
      "NodeResourcesBalancedAllocation:1",
      "ImageLocality:1",
    ]);
    expect(fwk.plugins("preEnqueue").map((p) => p.name)).toEqual(["SchedulingGates"]);
  });

  it("spreads pods onto the emptier node", async () => {
    const busy = onNode(requesting("busy", { cpu: "3", memory: "6Gi" }), "n1");
    const { scheduler, binder } = defaultScheduler([node("n1"), node("n2")], [busy]);
    await (await scheduler.scheduleOne(queued(requesting("p", { cpu: "500m", memory: "1Gi" }))))
      .binding;
    expect(binder.bindings).toEqual([["p", "n2"]]);
  });

  it("writes upstream's FailedScheduling message when nothing fits", async () => {
    const cp = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" as const };
    const nodes = [
      node("cp1", { taints: [cp] }),
      node("cp2", { taints: [cp] }),
      node("w1", { cpu: "1" }),
      node("w2", { cpu: "1" }),
      node("w3", { cpu: "1" }),
    ];
    const { scheduler, failures } = defaultScheduler(nodes);
    await scheduler.scheduleOne(queued(requesting("p", { cpu: "2" })));
    expect(failures[0]?.message).toBe(
      "0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..",
    );
    expect([...failures[0]!.unschedulablePlugins].sort()).toEqual([
      "NodeResourcesFit",
      "TaintToleration",
    ]);
  });

  it("reports a cluster without nodes", async () => {
    const { scheduler, failures } = defaultScheduler([]);
    await scheduler.scheduleOne(queued(pod("p")));
    expect(failures[0]?.message).toBe("no nodes available to schedule pods");
  });

  it("leaves pods of unknown schedulers alone", async () => {
    const { scheduler, binder, failures } = defaultScheduler([node("n")]);
    await (await scheduler.scheduleOne(queued(pod("p", { schedulerName: "other" })))).binding;
    expect(binder.bindings).toEqual([]);
    expect(failures).toEqual([]);
  });
});

describe("PreFilter node sets", () => {
  const narrowing = (name: string, nodes: string[]) => ({
    name,
    preFilter: () => ({ status: success(), result: { nodeNames: new Set(nodes) } }),
    filter: () => success(),
  });

  it("intersects the sets plugins return and filters only those nodes", async () => {
    const { scheduler, binder } = setup([narrowing("A", ["a", "b"]), narrowing("B", ["b", "c"])], {
      preFilter: [{ name: "A" }, { name: "B" }],
      filter: [{ name: "A" }, { name: "B" }],
    });
    await (await scheduler.scheduleOne(queued(pod("p")))).binding;
    expect(binder.bindings).toEqual([["p", "b"]]);
  });

  it.each([
    [[narrowing("A", [])], "0/3 nodes are available: node(s) didn't satisfy plugin A."],
    [
      [narrowing("A", ["a"]), narrowing("B", ["c"])],
      "0/3 nodes are available: node(s) didn't satisfy plugin(s) [A B] simultaneously.",
    ],
  ])("words an empty intersection as upstream %#", async (plugins, message) => {
    const names = plugins.map((p) => ({ name: p.name }));
    const { scheduler, failures } = setup(plugins, { preFilter: names, filter: names });
    await scheduler.scheduleOne(queued(pod("p")));
    expect(failures[0]?.message).toBe(message);
  });
});
