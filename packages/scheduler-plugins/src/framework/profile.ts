/**
 * A resolved scheduler profile: which plugins run at each extension point,
 * in order, with score weights and per-plugin args. The config module
 * produces these from KubeSchedulerConfiguration.
 */
import type { ExtensionPoint } from "./interfaces.js";

/** A plugin enabled at an extension point. */
export interface PluginRef {
  name: string;
  /** Score weight; only meaningful at `score` (default 1). */
  weight?: number;
}

/** One profile: a scheduler name and its plugins. */
export interface Profile {
  schedulerName: string;
  /** Enabled plugins per extension point, in run order. */
  plugins: Record<ExtensionPoint, PluginRef[]>;
  /** pluginConfig args by plugin name. */
  pluginConfig: ReadonlyMap<string, unknown>;
  /** Percentage of nodes to find feasible before stopping the search; 0 or undefined = adaptive. */
  percentageOfNodesToScore?: number;
}

/** A profile with no plugins at any point. */
export function emptyPlugins(): Record<ExtensionPoint, PluginRef[]> {
  return {
    preEnqueue: [],
    queueSort: [],
    preFilter: [],
    filter: [],
    postFilter: [],
    preScore: [],
    score: [],
    reserve: [],
    permit: [],
    preBind: [],
    bind: [],
    postBind: [],
  };
}
