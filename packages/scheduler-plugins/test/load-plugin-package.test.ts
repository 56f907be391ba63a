import { describe, expect, it } from "vitest";
import { parseSchedulerConfiguration } from "../src/config/parse.js";
import {
  loadPluginPackage,
  PluginLoadError,
  registerPluginPackages,
} from "../src/loading/load-plugin-package.js";
import { inTreeRegistry } from "../src/plugins/registry.js";
import { KubeScheduler } from "../src/scheduler/kube-scheduler.js";
import { FakeClock, node, pod, RecordingBinder } from "./fixtures.js";

const fixture = new URL("./fixtures/zone-pinned-plugin.ts", import.meta.url).href;

describe("plugins by package name", () => {
  it("imports a module exporting NAME and create, and schedules with it", async () => {
    const registry = inTreeRegistry();
    expect(await registerPluginPackages(registry, [fixture])).toEqual(["ZonePinned"]);
    const config = parseSchedulerConfiguration(
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      filter:
        enabled: [{ name: ZonePinned }]
    pluginConfig:
      - name: ZonePinned
        args: { zone: z2 }
`,
      { registry },
    );
    const binder = new RecordingBinder();
    const scheduler = new KubeScheduler({
      config,
      registry,
      binder,
      clock: new FakeClock(),
      random: () => 0,
    });
    scheduler.onNodeAdd(node("a", { labels: { zone: "z1" } }));
    scheduler.onNodeAdd(node("b", { labels: { zone: "z2" } }));
    scheduler.onPodAdd(pod("p"));
    await (await scheduler.scheduleNext()).binding;
    expect(binder.bindings).toEqual([["p", "b"]]);
  });

  it("accepts a default export and names the module in errors", async () => {
    const ok = await loadPluginPackage("x", async () => ({
      default: { NAME: "X", create: () => ({ name: "X" }) },
    }));
    expect(ok[0]).toBe("X");
    await expect(
      loadPluginPackage("no-name", async () => ({ create: () => ({}) })),
    ).rejects.toThrow('scheduler plugin "no-name" does not export a NAME string');
    await expect(loadPluginPackage("no-create", async () => ({ NAME: "Y" }))).rejects.toThrow(
      PluginLoadError,
    );
    await expect(loadPluginPackage("@nobody/missing-plugin")).rejects.toThrow(
      /cannot import scheduler plugin "@nobody\/missing-plugin"/,
    );
  });

  it("refuses a package whose name clashes with an in-tree plugin", async () => {
    const registry = inTreeRegistry();
    await expect(
      registerPluginPackages(registry, ["clash"], async () => ({
        NAME: "NodeName",
        create: () => ({ name: "NodeName" }),
      })),
    ).rejects.toThrow('a plugin named "NodeName" already exists');
  });
});
