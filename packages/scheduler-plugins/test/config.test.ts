import { describe, expect, it } from "vitest";
import { buildFrameworks } from "../src/config/build.js";
import { ConfigError, parseSchedulerConfiguration } from "../src/config/parse.js";
import { inTreeArgsValidators } from "../src/plugins/args-validators.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { handleFor, Snapshot } from "./fixtures.js";

const opts = { registry: inTreeRegistry(), argsValidators: inTreeArgsValidators() };
const header = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

function frameworksOf(yaml: string) {
  const config = parseSchedulerConfiguration(header + yaml, opts);
  return {
    config,
    frameworks: buildFrameworks(config, opts.registry, handleFor(Snapshot.from([]))),
  };
}

const names = (
  fwk: { plugins(p: "score" | "filter"): { name: string }[] },
  point: "score" | "filter",
) => fwk.plugins(point).map((p) => p.name);

describe("KubeSchedulerConfiguration", () => {
  it("defaults to one default-scheduler profile and upstream's backoff", () => {
    const { config, frameworks } = frameworksOf("");
    expect([...frameworks.keys()]).toEqual(["default-scheduler"]);
    expect(config.podInitialBackoffSeconds).toBe(1);
    expect(config.podMaxBackoffSeconds).toBe(10);
    expect(config.percentageOfNodesToScore).toBe(0);
  });

  it("builds several profiles by schedulerName, with per-point disables and weights", () => {
    const { frameworks } = frameworksOf(`
profiles:
  - schedulerName: default-scheduler
  - schedulerName: packer
    plugins:
      score:
        disabled:
          - name: ImageLocality
          - name: NodeResourcesBalancedAllocation
        enabled:
          - name: NodeResourcesFit
            weight: 5
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
`);
    const packer = frameworks.get("packer")!;
    // NodeResourcesFit is named at score, so it moves to the front with its own weight.
    expect(names(packer, "score")).toEqual([
      "NodeResourcesFit",
      "TaintToleration",
      "NodeAffinity",
      "PodTopologySpread",
      "InterPodAffinity",
    ]);
    expect(packer.scoreWeight("NodeResourcesFit")).toBe(5);
    expect(names(packer, "filter")).toContain("NodeResourcesFit");
    expect(names(frameworks.get("default-scheduler")!, "score")).toHaveLength(7);
  });

  it("disables every default at a point with *", () => {
    const { frameworks } = frameworksOf(`
profiles:
  - plugins:
      score:
        disabled: [{ name: "*" }]
        enabled: [{ name: ImageLocality, weight: 2 }]
`);
    const fwk = frameworks.get("default-scheduler")!;
    expect(names(fwk, "score")).toEqual(["ImageLocality"]);
    expect(fwk.scoreWeight("ImageLocality")).toBe(2);
  });

  it("disables a plugin everywhere through multiPoint", () => {
    const { frameworks } = frameworksOf(`
profiles:
  - plugins:
      multiPoint:
        disabled: [{ name: TaintToleration }]
`);
    const fwk = frameworks.get("default-scheduler")!;
    expect(names(fwk, "filter")).not.toContain("TaintToleration");
    expect(names(fwk, "score")).not.toContain("TaintToleration");
  });

  it.each([
    [
      "profiles:\n  - plugins:\n      score:\n        enabled:\n          - name: ImageLocality\n          - name: Foo\n",
      'profiles[0].plugins.score.enabled[1].name: unknown plugin "Foo"',
    ],
    [
      "profiles:\n  - schedulerName: a\n  - schedulerName: a\n",
      'profiles[1].schedulerName: Duplicate value: "a"',
    ],
    [
      "profiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args: { scoringStrategy: { type: Fancy } }\n",
      'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Fancy"',
    ],
    [
      "profiles:\n  - pluginConfig:\n      - name: Bar\n",
      'profiles[0].pluginConfig[0].name: unknown plugin "Bar"',
    ],
    [
      "profiles:\n  - plugins:\n      filter:\n        enabled: [{ name: NodeName, weight: 2 }]\n",
      "profiles[0].plugins.filter.enabled[0].weight: Invalid value: weight is only valid at score and multiPoint",
    ],
    ["profiles:\n  - plugins:\n      scroe: {}\n", "profiles[0].plugins.scroe: unknown field"],
    [
      "percentageOfNodesToScore: 120\n",
      "percentageOfNodesToScore: Invalid value: 120: must be an integer in [0, 100]",
    ],
    [
      "podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n",
      "podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds",
    ],
  ])("rejects bad config %#", (yaml, message) => {
    expect(() => parseSchedulerConfiguration(header + yaml, opts)).toThrow(ConfigError);
    expect(() => parseSchedulerConfiguration(header + yaml, opts)).toThrow(message);
  });

  it("rejects the wrong apiVersion", () => {
    expect(() =>
      parseSchedulerConfiguration("apiVersion: v9\nkind: KubeSchedulerConfiguration\n", opts),
    ).toThrow(
      'apiVersion: Unsupported value: "v9": supported values: "kubescheduler.config.k8s.io/v1"',
    );
  });

  it("rejects a plugin at a point it does not implement, naming the profile", () => {
    expect(() =>
      frameworksOf(
        "profiles:\n  - plugins:\n      score:\n        enabled: [{ name: NodeName }]\n",
      ),
    ).toThrow('profiles[0].plugins: plugin "NodeName" does not extend score plugin');
  });
});

describe("pluginConfig args of other plugins", () => {
  it.each([
    [
      "InterPodAffinity",
      "{ hardPodAffinityWeight: 200 }",
      "profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 200",
    ],
    [
      "PodTopologySpread",
      "{ defaultingType: Weird }",
      'profiles[0].pluginConfig[0].args.defaultingType: Unsupported value: "Weird"',
    ],
  ])("validates %s", (name, args, message) => {
    const yaml = `${header}profiles:\n  - pluginConfig:\n      - name: ${name}\n        args: ${args}\n`;
    expect(() => parseSchedulerConfiguration(yaml, opts)).toThrow(message);
  });
});
