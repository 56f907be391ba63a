/**
 * A scheduler profile after merging with the defaults: which plugins are
 * enabled at `multiPoint` and at each extension point, which are disabled,
 * score weights and per-plugin args. The config module produces these from
 * KubeSchedulerConfiguration; {@link expandProfile} turns one into the
 * per-point plugin lists the framework runs.
 */
import { EXTENSION_POINTS, type ExtensionPoint } from "./interfaces.js";

/** A plugin enabled at an extension point. */
export interface PluginRef {
  name: string;
  /** Score weight; only meaningful at `score` and `multiPoint` (default 1). */
  weight?: number;
}

/** A point's enabled plugins in order, and its disabled names (`*` for all defaults). */
export interface PluginSet {
  enabled: PluginRef[];
  disabled: string[];
}

/** Every extension point, plus `multiPoint`. */
export type PluginSets = Record<ExtensionPoint | "multiPoint", PluginSet>;

/** One profile: a scheduler name and its plugins. */
export interface Profile {
  schedulerName: string;
  plugins: PluginSets;
  /** pluginConfig args by plugin name. */
  pluginConfig: ReadonlyMap<string, unknown>;
  /** Percentage of nodes to find feasible before stopping the search; 0 or undefined = adaptive. */
  percentageOfNodesToScore?: number;
}

/** Plugin sets with nothing enabled or disabled. */
export function emptyPluginSets(): PluginSets {
  const sets = { multiPoint: { enabled: [], disabled: [] } } as unknown as PluginSets;
  for (const point of EXTENSION_POINTS) sets[point] = { enabled: [], disabled: [] };
  return sets;
}

/**
 * Per-point run lists from multiPoint and the per-point sets, as upstream
 * orders them: plugins named at a point that also came from multiPoint
 * (overrides, in the point's order), then multiPoint plugins, then the
 * point's other plugins. A multiPoint plugin joins only the points it
 * implements (`implementsPoint`) and is not disabled at.
 */
export function expandProfile(
  plugins: PluginSets,
  implementsPoint: (name: string, point: ExtensionPoint) => boolean,
): Record<ExtensionPoint, PluginRef[]> {
  const out = {} as Record<ExtensionPoint, PluginRef[]>;
  for (const point of EXTENSION_POINTS) {
    const set = plugins[point];
    const disabled = new Set(set.disabled);
    const explicit = new Set(set.enabled.map((p) => p.name));
    const fromMulti: PluginRef[] = [];
    const overrides = new Set<string>();
    for (const ref of plugins.multiPoint.enabled) {
      if (!implementsPoint(ref.name, point)) continue;
      if (disabled.has("*") || disabled.has(ref.name)) continue;
      if (explicit.has(ref.name)) {
        overrides.add(ref.name);
        continue;
      }
      fromMulti.push(ref);
    }
    const overriding = set.enabled.filter((p) => overrides.has(p.name));
    const rest = set.enabled.filter((p) => !overrides.has(p.name));
    out[point] = [...overriding, ...fromMulti, ...rest];
  }
  return out;
}
