/**
 * Pods held at Permit: each waits until every plugin that said Wait allows
 * it, any plugin rejects it, or a plugin's timeout fires.
 */
import type { Pod } from "../api/types.js";
import { podKey } from "../api/types.js";
import type { Clock } from "./handle.js";
import { Code, Status } from "./status.js";

/** A pod waiting on Permit plugins; plugins call `allow` or `reject` (e.g. co-scheduling). */
export class WaitingPod {
  private readonly pending: Map<string, () => void>;
  private settle!: (s: Status) => void;
  /** Resolves once the pod is allowed (Success) or rejected/timed out (Unschedulable). */
  readonly result: Promise<Status>;
  private done = false;

  constructor(
    readonly pod: Pod,
    timeouts: ReadonlyMap<string, number>,
    clock: Clock,
  ) {
    this.result = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.pending = new Map();
    for (const [plugin, ms] of timeouts) {
      const cancel = clock.setTimer(
        () =>
          this.reject(
            plugin,
            `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`,
          ),
        ms,
      );
      this.pending.set(plugin, cancel);
    }
  }

  /** Plugins still to allow the pod. */
  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  /** One plugin allows the pod; it proceeds once all have. */
  allow(plugin: string): void {
    const cancel = this.pending.get(plugin);
    if (!cancel || this.done) return;
    cancel();
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(new Status(Code.Success));
  }

  /** Rejects the pod: the binding cycle fails and the pod is requeued. */
  reject(plugin: string, message: string): void {
    if (this.done) return;
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
    this.finish(new Status(Code.Unschedulable, [message]).withPlugin(plugin));
  }

  private finish(s: Status): void {
    this.done = true;
    this.settle(s);
  }
}

/** Waiting pods by pod key. */
export class WaitingPods {
  private readonly pods = new Map<string, WaitingPod>();

  /** Adds a waiting pod. */
  add(wp: WaitingPod): void {
    this.pods.set(podKey(wp.pod), wp);
  }

  /** Removes a waiting pod. */
  remove(pod: Pod): void {
    this.pods.delete(podKey(pod));
  }

  /** The waiting pod for a pod key (`namespace/name`). */
  get(key: string): WaitingPod | undefined {
    return this.pods.get(key);
  }

  /** Every waiting pod. */
  list(): WaitingPod[] {
    return [...this.pods.values()];
  }
}
