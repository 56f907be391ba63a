/**
 * Building one Framework per profile from a parsed configuration.
 */
import { Framework, FrameworkError } from "../framework/framework.js";
import type { Handle } from "../framework/handle.js";
import type { Registry } from "../framework/registry.js";
import { ConfigError, type SchedulerConfiguration } from "./parse.js";

/** Frameworks by scheduler name; a FrameworkError becomes a ConfigError naming the profile. */
export function buildFrameworks(
  config: SchedulerConfiguration,
  registry: Registry,
  handle: Handle,
): Map<string, Framework> {
  const out = new Map<string, Framework>();
  for (const [i, profile] of config.profiles.entries()) {
    const withDefault = {
      ...profile,
      percentageOfNodesToScore: profile.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
    };
    try {
      out.set(profile.schedulerName, new Framework(withDefault, registry, handle));
    } catch (e) {
      if (e instanceof FrameworkError) throw new ConfigError(`profiles[${i}].plugins`, e.message);
      throw e;
    }
  }
  return out;
}
