import {
  type Clock,
  isNotFound,
  type KubeObject,
  type ResourceClient,
  retryOnConflict,
} from "@kubekit/client";
import type { Pod, PodStatus } from "../api/types.js";
import type { StatusSink } from "../runtime/seams.js";
import { isStaticPod, mirrorMatches } from "../sources/static-pods.js";
import { podStatusPatch, reconcilePodStatus } from "../status/status-patch.js";

/** Structured log lines; pino's `(fields, message)` shape. */
export type StatusLogger = (fields: Record<string, unknown>, message: string) => void;

/** Settings and collaborators of a {@link PodStatusManager}. */
export interface PodStatusManagerOptions {
  /** Pods in all namespaces. */
  pods: ResourceClient<KubeObject>;
  /** The API's copy of a pod (an informer cache), by namespace and name. */
  apiPod: (namespace: string, name: string) => Pod | undefined;
  clock: Clock;
  log?: StatusLogger;
}

interface Desired {
  pod: Pod;
  status: PodStatus;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes pod status to the apiserver: upstream's status manager. Each
 * status the engine reports is compared with the API's copy and sent as a
 * merge patch of `pods/<name>/status` only when a field the kubelet owns
 * changed; a terminal phase the API recorded is never regressed. Work is
 * serialized per pod (the newest status wins) and retried on conflict;
 * {@link resync} re-sends whatever the API still lacks. A static pod's
 * status goes to its mirror pod. Once a gracefully deleted pod is gone
 * from the node, it is deleted with grace period 0 and a uid precondition.
 */
export class PodStatusManager implements StatusSink {
  private readonly desired = new Map<string, Desired>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  /** Status patches sent and failed: for metrics. */
  readonly counters = { patches: 0, failures: 0, deletes: 0 };

  constructor(private readonly options: PodStatusManagerOptions) {}

  private log(fields: Record<string, unknown>, message: string): void {
    this.options.log?.(fields, message);
  }

  update(pod: Pod, status: PodStatus): void {
    this.desired.set(pod.metadata.uid, { pod, status });
    this.kick(pod.metadata.uid);
  }

  async terminated(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid;
    await this.inFlight.get(uid);
    this.desired.delete(uid);
    if (isStaticPod(pod)) return;
    const namespace = pod.metadata.namespace ?? "default";
    try {
      await this.options.pods
        .namespace(namespace)
        .delete(pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } });
      this.counters.deletes++;
      this.log({ pod: `${namespace}/${pod.metadata.name}`, uid }, "pod deleted from the API");
    } catch (error) {
      if (!isNotFound(error)) {
        this.log({ pod: pod.metadata.name, err: errorText(error) }, "final pod delete failed");
      }
    }
  }

  /** Forgets every pod not in `live` (the pods the node still runs or stops). */
  retain(live: ReadonlySet<string>): void {
    for (const uid of this.desired.keys()) {
      if (!live.has(uid) && !this.inFlight.has(uid)) this.desired.delete(uid);
    }
  }

  /** How many pods' statuses are kept. */
  get size(): number {
    return this.desired.size;
  }

  /** Re-checks every known pod against the API and patches what differs. */
  async resync(): Promise<void> {
    for (const uid of this.desired.keys()) this.kick(uid);
    await Promise.all(this.inFlight.values());
  }

  /** Waits for patches in progress. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private kick(uid: string): void {
    if (this.inFlight.has(uid)) {
      this.dirty.add(uid);
      return;
    }
    const job = (async () => {
      do {
        this.dirty.delete(uid);
        await this.sync(uid).catch((error) => {
          this.counters.failures++;
          this.log({ uid, err: errorText(error) }, "pod status update failed");
        });
      } while (this.dirty.has(uid));
    })().finally(() => this.inFlight.delete(uid));
    this.inFlight.set(uid, job);
  }

  private async sync(uid: string): Promise<void> {
    const entry = this.desired.get(uid);
    if (!entry) return;
    const { pod } = entry;
    const namespace = pod.metadata.namespace ?? "default";
    const name = pod.metadata.name;
    await retryOnConflict(
      async () => {
        const latest = this.desired.get(uid);
        const current = this.options.apiPod(namespace, name);
        if (!latest) return;
        if (!current) {
          // Gone from the API: nothing to write to. (A static pod's mirror
          // may just not exist yet: keep its status for when it does.)
          if (!isStaticPod(pod)) this.desired.delete(uid);
          return;
        }
        // A static pod's status goes to its mirror; any other pod must be the same object.
        if (isStaticPod(pod) ? !mirrorMatches(current, pod) : current.metadata.uid !== uid) return;
        const status = reconcilePodStatus(current.status, latest.status);
        const patch = podStatusPatch(current.metadata.uid, current.status, status);
        if (!patch) return;
        await this.options.pods
          .namespace(namespace)
          .patch(name, "merge", patch, { subresource: "status" });
        this.counters.patches++;
      },
      { clock: this.options.clock },
    ).catch((error) => {
      if (!isNotFound(error)) throw error;
    });
  }
}
