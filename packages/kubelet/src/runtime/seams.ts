import type { Pod, PodStatus } from "../api/types.js";

/**
 * Where desired pods come from: the pods bound to this node. Today a list in
 * memory; later the apiserver watch (an informer's store) behind the same
 * call. A pod with `metadata.deletionTimestamp` is being deleted gracefully;
 * a pod no longer listed is killed at once.
 */
export interface PodSource {
  /** A snapshot of the desired pods. */
  pods(): readonly Pod[];
}

/**
 * Where pod status goes: later a PATCH of `pods/<name>/status`. Called only
 * when a pod's status changed.
 */
export interface StatusSink {
  /** The pod's new status. */
  update(pod: Pod, status: PodStatus): void | Promise<void>;
  /**
   * The pod was deleted gracefully and everything it ran is gone: the
   * moment upstream's kubelet finishes the deletion with grace period 0.
   */
  terminated?(pod: Pod): void | Promise<void>;
}

/** A pod source over a mutable list, for tests and static pods. */
export class StaticPodSource implements PodSource {
  private readonly byUid = new Map<string, Pod>();

  constructor(pods: Pod[] = []) {
    for (const pod of pods) this.set(pod);
  }
  /** Adds or replaces a pod. */
  set(pod: Pod): void {
    this.byUid.set(pod.metadata.uid, pod);
  }
  /** Removes a pod outright (no grace). */
  delete(uid: string): void {
    this.byUid.delete(uid);
  }
  pods(): readonly Pod[] {
    return [...this.byUid.values()];
  }
}

/** A sink that keeps every status it was given, newest last: for tests and debugging. */
export class RecordingStatusSink implements StatusSink {
  /** Every update, in order. */
  readonly updates: { uid: string; status: PodStatus }[] = [];
  /** UIDs reported terminated. */
  readonly terminatedUids: string[] = [];

  update(pod: Pod, status: PodStatus): void {
    this.updates.push({ uid: pod.metadata.uid, status: structuredClone(status) });
  }
  terminated(pod: Pod): void {
    this.terminatedUids.push(pod.metadata.uid);
  }
  /** The newest status of a pod. */
  latest(uid: string): PodStatus | undefined {
    for (let i = this.updates.length - 1; i >= 0; i--) {
      const update = this.updates[i];
      if (update?.uid === uid) return update.status;
    }
    return undefined;
  }
  /** Every status a pod went through. */
  history(uid: string): PodStatus[] {
    return this.updates.filter((u) => u.uid === uid).map((u) => u.status);
  }
}
