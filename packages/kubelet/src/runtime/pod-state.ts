import type { PodStatus } from "../api/types.js";
import type { ProbeState } from "../probe/probe-state.js";
import type { ContainerRecord } from "../status/view.js";

/** What the kubelet remembers about one pod between syncs. */
export interface PodState {
  /** When this kubelet first accepted the pod (or its sandbox was made, if adopted). */
  startTime: number;
  /** Per container name: waiting reason, readiness, started. */
  records: Map<string, ContainerRecord>;
  /** Probe state per `<containerId>/<kind>`; a new container instance starts fresh. */
  probes: Map<string, ProbeState>;
  /** Termination messages already read, by container id: a finished container's never changes. */
  terminationMessages: Map<string, string>;
  /** Volume host paths by volume name, once set up for the current sandbox. */
  volumes?: Map<string, string>;
  /** Set once the kubelet failed the pod itself (active deadline passed). */
  failure?: { reason: string; message: string };
  /** The last status handed to the sink. */
  lastStatus?: PodStatus;
  /** JSON of {@link lastStatus}, to report only changes. */
  lastStatusJson?: string;
}

/** A fresh pod state. */
export function newPodState(startTime: number): PodState {
  return { startTime, records: new Map(), probes: new Map(), terminationMessages: new Map() };
}

/** The record of a container, created on first use. */
export function recordOf(state: PodState, name: string): ContainerRecord {
  let record = state.records.get(name);
  if (!record) {
    record = { ready: false, started: false };
    state.records.set(name, record);
  }
  return record;
}
