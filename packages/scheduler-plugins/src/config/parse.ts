/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) from YAML:
 * strict decoding of the fields kubekit supports, defaulting, merging each
 * profile's plugins onto the default profile, and validation whose errors
 * name the field path, e.g.
 * `profiles[0].plugins.score.enabled[1].name: unknown plugin "Foo"`.
 */
import { parse as parseYaml } from "yaml";
import { EXTENSION_POINTS } from "../framework/interfaces.js";
import {
  emptyPluginSets,
  type PluginRef,
  type PluginSet,
  type PluginSets,
  type Profile,
} from "../framework/profile.js";
import type { Registry } from "../framework/registry.js";
import { ArgsError } from "../plugins/node-resources-fit/args.js";
import { DEFAULT_SCHEDULER_NAME, defaultPluginSets } from "./defaults.js";
import { mergePluginSets } from "./merge.js";

/** The API version kubekit reads. */
export const API_VERSION = "kubescheduler.config.k8s.io/v1";

/** A configuration problem at a field path. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
  }
}

/** The scheduler's settings after defaulting and validation. */
export interface SchedulerConfiguration {
  profiles: Profile[];
  /** Cluster-wide percentage (0 = adaptive). */
  percentageOfNodesToScore: number;
  /** Initial per-pod backoff, seconds (default 1). */
  podInitialBackoffSeconds: number;
  /** Maximum per-pod backoff, seconds (default 10). */
  podMaxBackoffSeconds: number;
}

/** Checks one plugin's args; throws ArgsError with a path relative to the args. */
export type ArgsValidator = (args: unknown) => void;

/** Options for {@link parseSchedulerConfiguration}. */
export interface ParseOptions {
  /** Known plugins (in-tree plus out-of-tree). */
  registry: Registry;
  /** Args validators by plugin name. */
  argsValidators?: ReadonlyMap<string, ArgsValidator>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function expectObj(v: unknown, field: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new ConfigError(field, "Invalid value: must be an object");
  return v;
}

function expectArray(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ConfigError(field, "Invalid value: must be a list");
  return v;
}

function onlyKnown(o: Obj, known: readonly string[], field: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      throw new ConfigError(field ? `${field}.${key}` : key, "unknown field");
    }
  }
}

function integerIn(v: unknown, field: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(
      field,
      `Invalid value: ${JSON.stringify(v)}: must be an integer in [${min}, ${max}]`,
    );
  }
  return v;
}

function pluginSet(raw: unknown, field: string, registry: Registry, point: string): PluginSet {
  const o = expectObj(raw, field);
  onlyKnown(o, ["enabled", "disabled"], field);
  const refs = (list: unknown, listField: string, allowStar: boolean): PluginRef[] =>
    expectArray(list, listField).map((entry, i) => {
      const f = `${listField}[${i}]`;
      const e = expectObj(entry, f);
      onlyKnown(e, ["name", "weight"], f);
      if (typeof e.name !== "string" || e.name === "")
        throw new ConfigError(`${f}.name`, "Required value");
      if (!(allowStar && e.name === "*") && !registry.has(e.name)) {
        throw new ConfigError(`${f}.name`, `unknown plugin "${e.name}"`);
      }
      const ref: PluginRef = { name: e.name };
      if (e.weight !== undefined) {
        if (point !== "score" && point !== "multiPoint") {
          throw new ConfigError(
            `${f}.weight`,
            "Invalid value: weight is only valid at score and multiPoint",
          );
        }
        ref.weight = integerIn(e.weight, `${f}.weight`, 0, 1_000_000, 1);
      }
      return ref;
    });
  return {
    enabled: refs(o.enabled, `${field}.enabled`, false),
    disabled: refs(o.disabled, `${field}.disabled`, true).map((r) => r.name),
  };
}

function profileFrom(raw: unknown, field: string, opts: ParseOptions): Profile {
  const o = expectObj(raw, field);
  onlyKnown(o, ["schedulerName", "plugins", "pluginConfig", "percentageOfNodesToScore"], field);
  const schedulerName = o.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  if (typeof schedulerName !== "string" || schedulerName === "") {
    throw new ConfigError(`${field}.schedulerName`, "Required value");
  }
  const pluginsRaw = expectObj(o.plugins, `${field}.plugins`);
  onlyKnown(pluginsRaw, ["multiPoint", ...EXTENSION_POINTS], `${field}.plugins`);
  const custom = emptyPluginSets();
  for (const point of ["multiPoint", ...EXTENSION_POINTS] as const) {
    custom[point] = pluginSet(pluginsRaw[point], `${field}.plugins.${point}`, opts.registry, point);
  }
  const plugins: PluginSets = mergePluginSets(
    defaultPluginSets((n) => opts.registry.has(n)),
    custom,
  );
  const pluginConfig = new Map<string, unknown>();
  for (const [i, entry] of expectArray(o.pluginConfig, `${field}.pluginConfig`).entries()) {
    const f = `${field}.pluginConfig[${i}]`;
    const e = expectObj(entry, f);
    onlyKnown(e, ["name", "args"], f);
    if (typeof e.name !== "string" || e.name === "")
      throw new ConfigError(`${f}.name`, "Required value");
    if (!opts.registry.has(e.name))
      throw new ConfigError(`${f}.name`, `unknown plugin "${e.name}"`);
    if (pluginConfig.has(e.name))
      throw new ConfigError(`${f}.name`, `Duplicate value: "${e.name}"`);
    try {
      opts.argsValidators?.get(e.name)?.(e.args);
    } catch (err) {
      if (err instanceof ArgsError)
        throw new ConfigError(`${f}.args.${err.field}`, err.message.slice(err.field.length + 2));
      throw new ConfigError(`${f}.args`, err instanceof Error ? err.message : String(err));
    }
    pluginConfig.set(e.name, e.args);
  }
  const profile: Profile = { schedulerName, plugins, pluginConfig };
  if (o.percentageOfNodesToScore !== undefined) {
    profile.percentageOfNodesToScore = integerIn(
      o.percentageOfNodesToScore,
      `${field}.percentageOfNodesToScore`,
      0,
      100,
      0,
    );
  }
  return profile;
}

function queueSortOf(p: Profile): string {
  const explicit = p.plugins.queueSort.enabled.map((r) => r.name);
  const multi = p.plugins.queueSort.disabled.includes("*")
    ? []
    : p.plugins.multiPoint.enabled.map((r) => r.name);
  return JSON.stringify([...explicit, ...multi.filter((n) => n === "PrioritySort")]);
}

/** Reads a KubeSchedulerConfiguration from an object (already decoded). Throws {@link ConfigError}. */
export function schedulerConfigurationFrom(
  raw: unknown,
  opts: ParseOptions,
): SchedulerConfiguration {
  const o = expectObj(raw, "");
  onlyKnown(
    o,
    [
      "apiVersion",
      "kind",
      "profiles",
      "percentageOfNodesToScore",
      "podInitialBackoffSeconds",
      "podMaxBackoffSeconds",
      "parallelism",
      "leaderElection",
      "clientConnection",
    ],
    "",
  );
  if (o.apiVersion !== API_VERSION) {
    throw new ConfigError(
      "apiVersion",
      `Unsupported value: ${JSON.stringify(o.apiVersion)}: supported values: "${API_VERSION}"`,
    );
  }
  if (o.kind !== "KubeSchedulerConfiguration") {
    throw new ConfigError(
      "kind",
      `Unsupported value: ${JSON.stringify(o.kind)}: supported values: "KubeSchedulerConfiguration"`,
    );
  }
  const rawProfiles = expectArray(o.profiles, "profiles");
  const profiles = (rawProfiles.length ? rawProfiles : [{}]).map((p, i) =>
    profileFrom(p, `profiles[${i}]`, opts),
  );
  const seen = new Set<string>();
  for (const [i, p] of profiles.entries()) {
    if (seen.has(p.schedulerName))
      throw new ConfigError(
        `profiles[${i}].schedulerName`,
        `Duplicate value: "${p.schedulerName}"`,
      );
    seen.add(p.schedulerName);
    if (i > 0 && queueSortOf(p) !== queueSortOf(profiles[0]!)) {
      throw new ConfigError(
        `profiles[${i}].plugins.queueSort`,
        "Invalid value: queueSort must be the same for all profiles",
      );
    }
  }
  const initial = integerIn(o.podInitialBackoffSeconds, "podInitialBackoffSeconds", 1, 86_400, 1);
  const max = integerIn(o.podMaxBackoffSeconds, "podMaxBackoffSeconds", 1, 86_400, 10);
  if (max < initial) {
    throw new ConfigError(
      "podMaxBackoffSeconds",
      `Invalid value: ${max}: must be greater than or equal to PodInitialBackoffSeconds`,
    );
  }
  return {
    profiles,
    percentageOfNodesToScore: integerIn(
      o.percentageOfNodesToScore,
      "percentageOfNodesToScore",
      0,
      100,
      0,
    ),
    podInitialBackoffSeconds: initial,
    podMaxBackoffSeconds: max,
  };
}

/** Reads a KubeSchedulerConfiguration YAML document. Throws {@link ConfigError}. */
export function parseSchedulerConfiguration(
  yamlText: string,
  opts: ParseOptions,
): SchedulerConfiguration {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    throw new ConfigError("", `invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  return schedulerConfigurationFrom(raw, opts);
}

/** The configuration with no file: one default profile. */
export function defaultSchedulerConfiguration(opts: ParseOptions): SchedulerConfiguration {
  return schedulerConfigurationFrom(
    { apiVersion: API_VERSION, kind: "KubeSchedulerConfiguration" },
    opts,
  );
}
