// Builders for test objects: short to write, explicit in what they set.
import type { Container, Node, Pod, PodSpec, ResourceList, Taint } from "../src/api/types.js";
import { CycleState } from "../src/framework/cycle-state.js";
import type { Binder, Clock, Handle } from "../src/framework/handle.js";
import { seededRandom } from "../src/framework/handle.js";
import type { NodeInfo } from "../src/framework/node-info.js";
import { Snapshot } from "../src/framework/snapshot.js";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: ResourceList;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function node(name: string, o: NodeOptions = {}): Node {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
    spec: {
      ...(o.unschedulable ? { unschedulable: true } : {}),
      ...(o.taints ? { taints: o.taints } : {}),
    },
    status: {
      allocatable: {
        cpu: o.cpu ?? "4",
        memory: o.memory ?? "8Gi",
        pods: o.pods ?? "110",
        ...o.extra,
      },
      ...(o.images ? { images: o.images } : {}),
    },
  };
}

export function container(requests?: ResourceList, extra: Partial<Container> = {}): Container {
  return { name: "c", image: "app", ...(requests ? { resources: { requests } } : {}), ...extra };
}

export function pod(
  name: string,
  spec: Partial<PodSpec> = {},
  labels?: Record<string, string>,
  namespace = "default",
): Pod {
  return {
    metadata: { name, namespace, uid: `${namespace}-${name}`, ...(labels ? { labels } : {}) },
    spec: { containers: [container()], ...spec },
  };
}

export function requesting(name: string, requests: ResourceList, spec: Partial<PodSpec> = {}): Pod {
  return pod(name, { containers: [container(requests)], ...spec });
}

export function onNode(p: Pod, nodeName: string): Pod {
  return { ...p, spec: { ...p.spec, nodeName } };
}

export class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

export class RecordingBinder implements Binder {
  readonly bindings: [string, string][] = [];
  fail: Error | undefined;
  async bind(p: Pod, nodeName: string): Promise<void> {
    if (this.fail) throw this.fail;
    this.bindings.push([p.metadata.name, nodeName]);
  }
}

export function handleFor(
  snapshot: Snapshot,
  o: { clock?: Clock; binder?: Binder; seed?: number } = {},
): Handle & { current: Snapshot } {
  const h = {
    current: snapshot,
    snapshot: () => h.current,
    binder: o.binder ?? new RecordingBinder(),
    clock: o.clock ?? new FakeClock(),
    random: seededRandom(o.seed ?? 1),
  };
  return h;
}

/** Runs a plugin's PreFilter (if any) then Filter on every node; returns node → "Code: reasons" or "ok". */
export function filterAll(
  plugin: {
    preFilter?: (
      s: CycleState,
      p: Pod,
      n: readonly NodeInfo[],
    ) => {
      status: { isSkip(): boolean; isSuccess(): boolean; toString(): string };
      result?: { nodeNames?: ReadonlySet<string> };
    };
    filter: (s: CycleState, p: Pod, n: NodeInfo) => { isSuccess(): boolean; toString(): string };
  },
  p: Pod,
  snapshot: Snapshot,
): Record<string, string> {
  const state = new CycleState();
  const out: Record<string, string> = {};
  if (plugin.preFilter) {
    const pre = plugin.preFilter(state, p, snapshot.list());
    if (pre.status.isSkip()) {
      for (const n of snapshot.list()) out[n.name] = "ok";
      return out;
    }
    if (!pre.status.isSuccess()) {
      for (const n of snapshot.list()) out[n.name] = pre.status.toString();
      return out;
    }
  }
  for (const n of snapshot.list()) {
    const s = plugin.filter(state, p, n);
    out[n.name] = s.isSuccess() ? "ok" : s.toString();
  }
  return out;
}

/** Runs PreScore (if any), Score on every node and NormalizeScore (if any); returns node → score. */
export function scoreAll(
  plugin: {
    preScore?: (s: CycleState, p: Pod, n: readonly NodeInfo[]) => { isSkip(): boolean };
    score: (s: CycleState, p: Pod, n: NodeInfo) => number | object;
    normalizeScore?: (s: CycleState, p: Pod, scores: { name: string; score: number }[]) => unknown;
  },
  p: Pod,
  snapshot: Snapshot,
): Record<string, number> {
  const state = new CycleState();
  if (plugin.preScore?.(state, p, snapshot.list()).isSkip()) return { skipped: 1 };
  const scores = snapshot.list().map((n) => {
    const s = plugin.score(state, p, n);
    if (typeof s !== "number") throw new Error(`score failed: ${String(s)}`);
    return { name: n.name, score: s };
  });
  plugin.normalizeScore?.(state, p, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

export { Snapshot };
