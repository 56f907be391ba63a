/**
 * Merging a profile's plugin sets onto the defaults, as upstream's v1
 * defaulting does: defaults minus the disabled ones (all with `*`), a
 * default that is enabled again keeps its place with the user's settings,
 * other enabled plugins are appended.
 */
import { EXTENSION_POINTS } from "../framework/interfaces.js";
import type { PluginSet, PluginSets } from "../framework/profile.js";

/** Merges one point's set onto the default set. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabled = [...custom.disabled, ...defaults.disabled];
  const disabledNames = new Set(disabled);
  const customByName = new Map(custom.enabled.map((p, i) => [p.name, i]));
  const replaced = new Set<number>();
  const enabled = [];
  if (!disabledNames.has("*")) {
    for (const d of defaults.enabled) {
      if (disabledNames.has(d.name)) continue;
      const i = customByName.get(d.name);
      if (i === undefined) {
        enabled.push(d);
      } else {
        enabled.push(custom.enabled[i]!);
        replaced.add(i);
      }
    }
  }
  for (const [i, p] of custom.enabled.entries()) if (!replaced.has(i)) enabled.push(p);
  return { enabled, disabled };
}

/** Merges every point (and multiPoint). */
export function mergePluginSets(defaults: PluginSets, custom: PluginSets): PluginSets {
  const out = { multiPoint: mergePluginSet(defaults.multiPoint, custom.multiPoint) } as PluginSets;
  for (const point of EXTENSION_POINTS) out[point] = mergePluginSet(defaults[point], custom[point]);
  return out;
}
