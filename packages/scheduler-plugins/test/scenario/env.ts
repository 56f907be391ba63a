// The scheduler driven by data-driven scenario files (testdata/*.txt).
//
//   config                      input: a KubeSchedulerConfiguration; resets the scheduler
//   add-node name=N [cpu= memory= pods= labels=(k=v,..) taints=(k=v:Effect,..) unschedulable]
//                               or input: a Node as YAML
//   update-node name=N ...      same arguments; replaces the node (an informer update)
//   add-pod name=P [cpu= memory= priority= node= labels=(..) namespace= preemption-never]
//                               or input: a Pod as YAML (spec.containers may be omitted)
//   delete-pod name=P [namespace=]
//   evaluate name=P             prints Filter verdicts and total scores for a pending pod, binds nothing
//   schedule                    runs attempts until the active queue is empty; prints outcomes
//   advance ms=N                moves the clock and flushes the queues
//   queue                       prints where each pending pod is
import type { DataDrivenCase } from "@kubekit/testkit";
import { dd } from "@kubekit/testkit";
import { parse as parseYaml } from "yaml";
import type { Node, Pod, Taint } from "../../src/api/types.js";
import { podKey } from "../../src/api/types.js";
import {
  parseSchedulerConfiguration,
  type SchedulerConfiguration,
} from "../../src/config/parse.js";
import { CycleState } from "../../src/framework/cycle-state.js";
import { seededRandom } from "../../src/framework/handle.js";
import { inTreeArgsValidators } from "../../src/plugins/args-validators.js";
import { inTreeRegistry } from "../../src/plugins/registry.js";
import { KubeScheduler, type SchedulerEvent } from "../../src/scheduler/kube-scheduler.js";
import { FakeClock } from "../fixtures.js";

function pairs(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(values.map((v) => [v.split("=")[0]!, v.split("=").slice(1).join("=")]));
}

function taints(values: readonly string[] | undefined): Taint[] | undefined {
  return values?.map((t) => {
    const [kv = "", effect = "NoSchedule"] = t.split(":");
    const [key = "", value] = kv.split("=");
    return { key, ...(value !== undefined ? { value } : {}), effect: effect as Taint["effect"] };
  });
}

export class ScenarioEnv {
  private clock = new FakeClock();
  private events: SchedulerEvent[] = [];
  private config: SchedulerConfiguration | undefined;
  private readonly registry = inTreeRegistry();
  private scheduler = this.newScheduler();
  private readonly nodes = new Map<string, Node>();
  private readonly pods = new Map<string, Pod>();

  private newScheduler(): KubeScheduler {
    const scheduler: KubeScheduler = new KubeScheduler({
      binder: {
        bind: async (pod, nodeName) => {
          // Play the apiserver: the bound pod comes back through the informer.
          const bound = { ...pod, spec: { ...pod.spec, nodeName } };
          this.pods.set(podKey(pod), bound);
          scheduler.onPodUpdate(pod, bound);
        },
      },
      podDeleter: {
        deletePod: async (pod) => {
          this.pods.delete(podKey(pod));
          this.events.push({
            type: "FailedScheduling",
            pod,
            message: `preempted: deleted ${podKey(pod)}`,
            reason: "Unschedulable",
            profile: pod.spec.schedulerName ?? "default-scheduler",
          });
          scheduler.onPodDelete(pod);
        },
      },
      ...(this.config ? { config: this.config } : {}),
      registry: this.registry,
      clock: this.clock,
      random: seededRandom(42),
      onEvent: (e) => this.events.push(e),
    });
    return scheduler;
  }

  async handle(tc: DataDrivenCase): Promise<string> {
    switch (tc.command) {
      case "config":
        this.config = parseSchedulerConfiguration(tc.input, {
          registry: this.registry,
          argsValidators: inTreeArgsValidators(),
        });
        this.scheduler = this.newScheduler();
        return "ok";
      case "add-node":
      case "update-node": {
        const node = tc.input ? (parseYaml(tc.input) as Node) : this.nodeFromArgs(tc);
        const old = this.nodes.get(node.metadata.name);
        this.nodes.set(node.metadata.name, node);
        if (old && tc.command === "update-node") this.scheduler.onNodeUpdate(old, node);
        else this.scheduler.onNodeAdd(node);
        return "ok";
      }
      case "add-pod": {
        const pod = tc.input ? this.podFromYaml(tc.input) : this.podFromArgs(tc);
        this.pods.set(podKey(pod), pod);
        this.scheduler.onPodAdd(pod);
        return "ok";
      }
      case "delete-pod": {
        const key = `${dd.string(tc, "namespace", "default")}/${dd.string(tc, "name")}`;
        const pod = this.pods.get(key);
        if (!pod) return `no pod ${key}`;
        this.pods.delete(key);
        this.scheduler.onPodDelete(pod);
        return "ok";
      }
      case "evaluate":
        return await this.evaluate(
          `${dd.string(tc, "namespace", "default")}/${dd.string(tc, "name")}`,
        );
      case "schedule": {
        this.events = [];
        for (;;) {
          const { attempted, binding } = await this.scheduler.scheduleNext();
          if (!attempted) break;
          await binding;
        }
        return (
          this.events
            .map(
              (e) => `${podKey(e.pod)}: ${e.type === "Scheduled" ? `-> ${e.nodeName}` : e.message}`,
            )
            .join("\n") || "nothing to do"
        );
      }
      case "advance":
        this.clock.advance(dd.int(tc, "ms", 0) ?? 0);
        this.scheduler.flushQueues();
        return "ok";
      case "queue": {
        const lines = [...this.pods.values()]
          .filter((p) => !p.spec.nodeName)
          .map((p) => `${podKey(p)}: ${this.scheduler.queue.where(p) ?? "in flight"}`);
        return lines.join("\n") || "empty";
      }
      default:
        throw new Error(`${tc.pos}: unknown command ${tc.command}`);
    }
  }

  private nodeFromArgs(tc: DataDrivenCase): Node {
    const name = dd.string(tc, "name")!;
    const t = taints(dd.values(tc, "taints"));
    return {
      metadata: {
        name,
        labels: { "kubernetes.io/hostname": name, ...pairs(dd.values(tc, "labels")) },
      },
      spec: {
        ...(t ? { taints: t } : {}),
        ...(dd.values(tc, "unschedulable") ? { unschedulable: true } : {}),
      },
      status: {
        allocatable: {
          cpu: dd.string(tc, "cpu", "4")!,
          memory: dd.string(tc, "memory", "8Gi")!,
          pods: dd.string(tc, "pods", "110")!,
        },
      },
    };
  }

  private podFromArgs(tc: DataDrivenCase): Pod {
    const requests: Record<string, string> = {};
    const cpu = dd.string(tc, "cpu");
    const memory = dd.string(tc, "memory");
    if (cpu) requests.cpu = cpu;
    if (memory) requests.memory = memory;
    const labels = pairs(dd.values(tc, "labels"));
    const priority = dd.int(tc, "priority");
    const nodeName = dd.string(tc, "node");
    return {
      metadata: {
        name: dd.string(tc, "name")!,
        namespace: dd.string(tc, "namespace", "default")!,
        ...(labels ? { labels } : {}),
      },
      spec: {
        containers: [{ name: "c", image: "app", resources: { requests } }],
        ...(priority !== undefined ? { priority } : {}),
        ...(nodeName ? { nodeName } : {}),
        ...(dd.values(tc, "preemption-never") ? { preemptionPolicy: "Never" as const } : {}),
      },
    };
  }

  private podFromYaml(text: string): Pod {
    const pod = parseYaml(text) as Pod;
    pod.metadata.namespace ??= "default";
    pod.spec.containers ??= [{ name: "c", image: "app" }];
    return pod;
  }

  private async evaluate(key: string): Promise<string> {
    const pod = this.pods.get(key);
    if (!pod) return `no pod ${key}`;
    const fwk = this.scheduler.frameworkFor(pod)!;
    const snapshot = this.scheduler.cache.snapshot();
    const state = new CycleState();
    const pre = fwk.runPreFilterPlugins(state, pod, snapshot.list());
    if (!pre.status.isSuccess()) return `PreFilter: ${pre.status.toString()}`;
    const lines: string[] = [];
    const feasible = [];
    for (const n of snapshot.list()) {
      const s = fwk.runFilterPlugins(state, pod, n);
      if (s.isSuccess()) feasible.push(n);
      else lines.push(`${n.name}: ${s.toString()} (${s.plugin})`);
    }
    if (feasible.length > 0) {
      fwk.runPreScorePlugins(state, pod, feasible);
      const { scores, status } = await fwk.runScorePlugins(state, pod, feasible);
      if (!status.isSuccess()) return `Score: ${status.toString()}`;
      for (const s of scores) {
        const parts = s.scores.filter((p) => p.score !== 0).map((p) => `${p.plugin}=${p.score}`);
        lines.push(
          `${s.name}: score ${s.totalScore}${parts.length ? ` (${parts.join(" ")})` : ""}`,
        );
      }
    }
    return lines.join("\n");
  }
}
