/**
 * What plugins may reach of the world: the cycle's snapshot, the binder,
 * the clock and other listers. Plugins get a Handle at construction and
 * never touch globals, so a test or another process can supply its own.
 */
import type { DynamicClient, SharedInformerFactory } from "@kubekit/client";
import type { Pod, PodDisruptionBudget } from "../api/types.js";
import type { CycleState } from "./cycle-state.js";
import type { NodeInfo } from "./node-info.js";
import type { NodeInfoLister } from "./snapshot.js";
import type { Status } from "./status.js";
import type { WaitingPod } from "./waiting-pods.js";

/** A clock the scheduler reads and sets timers with (injected; tests use a fake). */
export interface Clock {
  /** Milliseconds since an arbitrary epoch. */
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** A random source returning numbers in [0, 1) (injected; tests use a seeded one). */
export type RandomSource = () => number;

/** Writes a binding to the cluster: the seam to `@kubekit/client` (POST pods/NAME/binding). */
export interface Binder {
  bind(pod: Pod, nodeName: string): Promise<void>;
}

/** Deletes pods: preemption evicts its victims through this (with `@kubekit/client`, a DELETE). */
export interface PodDeleter {
  deletePod(pod: Pod): Promise<void>;
}

/**
 * The profile's own Filter phase, for plugins that simulate (preemption):
 * run every Filter plugin, and tell PreFilter state about pods added or removed.
 */
export interface FilterRunner {
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(
    state: CycleState,
    podToSchedule: Pod,
    podToAdd: Pod,
    nodeInfo: NodeInfo,
  ): Status;
  runPreFilterExtensionRemovePod(
    state: CycleState,
    podToSchedule: Pod,
    podToRemove: Pod,
    nodeInfo: NodeInfo,
  ): Status;
}

/** Reads PodDisruptionBudgets (for preemption). */
export interface PdbLister {
  list(): readonly PodDisruptionBudget[];
}

/** Reads namespaces' labels (for pod affinity namespaceSelector). */
export interface NamespaceLister {
  labels(namespace: string): Record<string, string> | undefined;
}

/** A plugin's window onto the scheduler. */
export interface Handle {
  /** The snapshot of the current cycle. */
  snapshot(): NodeInfoLister;
  /** Where bindings go. */
  readonly binder: Binder;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly pdbs?: PdbLister;
  readonly namespaces?: NamespaceLister;
  /** Where preemption's victims are deleted; without it, preemption only nominates. */
  readonly podDeleter?: PodDeleter;
  /** Set by the Framework on the handle it gives its own plugins. */
  readonly runner?: FilterRunner;
  /**
   * The `kubekit scheduler` command's informer factory (upstream's
   * handle.SharedInformerFactory()): out-of-tree plugins ask it for
   * informers in `create`, and they start and sync with the scheduler's own.
   * Absent when the scheduler is embedded without one.
   */
  readonly informerFactory?: SharedInformerFactory;
  /** The command's dynamic client (upstream's handle.ClientSet()). */
  readonly client?: DynamicClient;
  /** Pods held at Permit in this profile (set by the Framework), for plugins that allow or reject them. */
  readonly waitingPods?: {
    get(key: string): WaitingPod | undefined;
    list(): WaitingPod[];
  };
}

/** A deterministic random source (mulberry32) for tests and reproducible runs. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
