/**
 * Validators for in-tree plugins' pluginConfig args, used by the config
 * parser so that bad args fail at load time with a field path.
 */
import type { ArgsValidator } from "../config/parse.js";
import * as defaultPreemption from "./default-preemption/index.js";
import * as interPodAffinity from "./inter-pod-affinity/index.js";
import { resolveFitArgs } from "./node-resources-fit/args.js";
import * as nodeResourcesFit from "./node-resources-fit/index.js";
import * as podTopologySpread from "./pod-topology-spread/index.js";

/** Args validators by plugin name. */
export function inTreeArgsValidators(): Map<string, ArgsValidator> {
  return new Map<string, ArgsValidator>([
    [nodeResourcesFit.NAME, (args) => void resolveFitArgs(args)],
    [interPodAffinity.NAME, (args) => void interPodAffinity.validateArgs(args)],
    [podTopologySpread.NAME, (args) => void podTopologySpread.validateArgs(args)],
    [defaultPreemption.NAME, (args) => void defaultPreemption.validateArgs(args)],
  ]);
}
