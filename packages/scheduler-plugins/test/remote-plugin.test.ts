import { Code as ConnectCode, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { ExtensionPoint, SchedulerPluginService, StatusCode } from "@kubekit/proto/scheduler";
import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../src/api/types.js";
import { buildFrameworks } from "../src/config/build.js";
import { parseSchedulerConfiguration } from "../src/config/parse.js";
import type { Handle } from "../src/framework/handle.js";
import type { QueuedPodInfo } from "../src/framework/interfaces.js";
import { inTreeArgsValidators } from "../src/plugins/args-validators.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { loadRemotePlugin } from "../src/remote/remote-plugin.js";
import { SchedulerCache } from "../src/scheduler/cache.js";
import { Scheduler, type SchedulingFailure } from "../src/scheduler/scheduler.js";
import { handleFor, node, pod, RecordingBinder, Snapshot } from "./fixtures.js";

const decoder = new TextDecoder();
const decode = <T>(bytes: Uint8Array): T => JSON.parse(decoder.decode(bytes)) as T;

/**
 * A real out-of-process plugin, "GpuModel": a pod asking for a GPU model
 * (annotation example.com/gpu-model) fits only nodes labelled with it, and
 * nodes score by their example.com/speed label (0-100). It records its calls.
 */
function gpuModelService(calls: string[], o: { failScore?: boolean } = {}) {
  return createRouterTransport(({ service }) => {
    service(SchedulerPluginService, {
      getPluginInfo: () => ({
        name: "GpuModel",
        extensionPoints: [ExtensionPoint.FILTER, ExtensionPoint.SCORE],
      }),
      filter(req) {
        const p = decode<Pod>(req.podJson);
        const args = req.argsJson.length
          ? decode<{ strict: boolean }>(req.argsJson)
          : { strict: false };
        calls.push(`filter ${p.metadata.name} [${req.nodes.length} nodes] strict=${args.strict}`);
        const wanted = p.metadata.annotations?.["example.com/gpu-model"];
        return {
          statuses: req.nodes.map((n) => {
            const nodeObj = decode<Node>(n.nodeJson);
            const has = nodeObj.metadata.labels?.["example.com/gpu-model"];
            const ok = !wanted || has === wanted;
            return {
              nodeName: nodeObj.metadata.name,
              code: ok ? StatusCode.SUCCESS : StatusCode.UNSCHEDULABLE_AND_UNRESOLVABLE,
              reasons: ok ? [] : [`node(s) didn't have GPU model ${wanted}`],
            };
          }),
        };
      },
      score(req) {
        calls.push(`score [${req.nodes.length} nodes]`);
        if (o.failScore)
          throw new ConnectError("model database unavailable", ConnectCode.Unavailable);
        return {
          scores: req.nodes.map((n) => {
            const nodeObj = decode<Node>(n.nodeJson);
            return {
              nodeName: nodeObj.metadata.name,
              score: BigInt(nodeObj.metadata.labels?.["example.com/speed"] ?? "0"),
            };
          }),
        };
      },
    });
  });
}

const gpuNode = (name: string, model: string, speed: number) =>
  node(name, { labels: { "example.com/gpu-model": model, "example.com/speed": String(speed) } });

async function setup(calls: string[], o: { failScore?: boolean } = {}) {
  const registry = inTreeRegistry();
  const [name, factory] = await loadRemotePlugin(gpuModelService(calls, o));
  registry.register(name, factory);
  const config = parseSchedulerConfiguration(
    `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    plugins:
      filter:
        enabled: [{ name: GpuModel }]
      score:
        disabled: [{ name: "*" }]
        enabled: [{ name: GpuModel, weight: 2 }]
    pluginConfig:
      - name: GpuModel
        args: { strict: true }
`,
    { registry, argsValidators: inTreeArgsValidators() },
  );
  const cache = new SchedulerCache();
  for (const n of [
    gpuNode("a100-slow", "a100", 20),
    gpuNode("a100-fast", "a100", 90),
    gpuNode("h100", "h100", 100),
    node("cpu-only"),
  ]) {
    cache.addNode(n);
  }
  const binder = new RecordingBinder();
  const handle: Handle = {
    ...handleFor(Snapshot.from([]), { binder }),
    snapshot: () => cache.snapshot(),
  };
  const frameworks = buildFrameworks(config, registry, handle);
  const failures: SchedulingFailure[] = [];
  const scheduler = new Scheduler(cache, () => frameworks.get("default-scheduler"), {
    onFailure: (f) => failures.push(f),
  });
  return { scheduler, binder, failures };
}

const queued = (p: Pod): QueuedPodInfo => ({
  pod: p,
  initialAttemptTimestamp: 0,
  timestamp: 0,
  attempts: 1,
  unschedulablePlugins: new Set(),
  pendingPlugins: new Set(),
});
const wantsGpu = (name: string, model: string): Pod => ({
  ...pod(name),
  metadata: { ...pod(name).metadata, annotations: { "example.com/gpu-model": model } },
});

describe("out-of-process plugins over kubekit.scheduler.v1", () => {
  it("filters and scores in one batch per cycle and binds to the best node", async () => {
    const calls: string[] = [];
    const { scheduler, binder } = await setup(calls);
    await (await scheduler.scheduleOne(queued(wantsGpu("train", "a100")))).binding;
    expect(binder.bindings).toEqual([["train", "a100-fast"]]);
    // The remote Filter saw the 4 nodes in-process filters left; Score the 2 feasible ones.
    expect(calls).toEqual(["filter train [4 nodes] strict=true", "score [2 nodes]"]);
  });

  it("reports remote rejections in the FailedScheduling message", async () => {
    const calls: string[] = [];
    const { scheduler, failures } = await setup(calls);
    await scheduler.scheduleOne(queued(wantsGpu("train", "b200")));
    expect(failures[0]?.message).toBe(
      "0/4 nodes are available: 4 node(s) didn't have GPU model b200. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..",
    );
    expect([...failures[0]!.unschedulablePlugins]).toEqual(["GpuModel"]);
  });

  it("turns an RPC failure into a scheduling error", async () => {
    const { scheduler, failures, binder } = await setup([], { failScore: true });
    await scheduler.scheduleOne(queued(wantsGpu("train", "a100")));
    expect(binder.bindings).toEqual([]);
    expect(failures[0]?.status.code).toBe(1);
    expect(failures[0]?.message).toMatch(/model database unavailable/);
  });
});
