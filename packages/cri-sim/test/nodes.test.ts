import { createClient } from "@connectrpc/connect";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { describe, expect, it } from "vitest";
import { createSimulatedNodes, defaultNodePodCidr } from "../src/index.js";
import { sandboxConfig } from "./helpers.js";

describe("createSimulatedNodes", () => {
  it("makes independent runtimes with their own pod CIDRs", async () => {
    const started = performance.now();
    const nodes = createSimulatedNodes(300, { preloadedImages: ["busybox"] });
    // Cheap enough for hundreds of nodes: no transports are made until used.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(nodes).toHaveLength(300);
    expect(nodes[0]?.name).toBe("sim-node-0");
    expect(nodes[299]?.podCidr).toBe("10.129.43.0/24");
    expect(new Set(nodes.map((n) => n.podCidr)).size).toBe(300);

    // The same pod name on every node: no conflicts, since each has its own state.
    // Drive a sample of them (in-memory calls cost a few milliseconds each).
    const sample = [...nodes.slice(0, 20), ...nodes.slice(-20)];
    const ips = await Promise.all(
      sample.map(async (node) => {
        const runtime = createClient(RuntimeService, node.transport);
        const config = sandboxConfig("same-name");
        const { podSandboxId } = await runtime.runPodSandbox({ config });
        const { containerId } = await runtime.createContainer({
          podSandboxId,
          sandboxConfig: config,
          config: { metadata: { name: "app" }, image: { image: "busybox" } },
        });
        await runtime.startContainer({ containerId });
        return (await runtime.podSandboxStatus({ podSandboxId })).status?.network?.ip;
      }),
    );
    expect(ips[0]).toBe("10.128.0.2");
    expect(ips[39]).toBe("10.129.43.2");
    expect(sample.every((n) => n.sim.state.counts().containers === 1)).toBe(true);
    expect(nodes[150]?.sim.state.counts().containers).toBe(0);

    // Removing on one node leaves the others alone.
    const first = createClient(RuntimeService, nodes[0]!.transport);
    const { items } = await first.listPodSandbox({});
    await first.removePodSandbox({ podSandboxId: items[0]!.id });
    expect(nodes[0]?.sim.state.counts().sandboxes).toBe(0);
    expect(nodes[1]?.sim.state.counts().sandboxes).toBe(1);
    const images = await createClient(ImageService, nodes[1]!.transport).listImages({});
    expect(images.images).toHaveLength(1);
  });

  it("takes custom names and CIDRs, and refuses impossible counts", () => {
    const nodes = createSimulatedNodes(2, {
      namePrefix: "kwok-",
      podCidrFor: (i) => `172.16.${i}.0/24`,
    });
    expect(nodes.map((n) => [n.name, n.sim.state.podCidr])).toEqual([
      ["kwok-0", "172.16.0.0/24"],
      ["kwok-1", "172.16.1.0/24"],
    ]);
    expect(defaultNodePodCidr(256)).toBe("10.129.0.0/24");
    expect(() => createSimulatedNodes(-1)).toThrow(RangeError);
    expect(() => createSimulatedNodes(1.5)).toThrow(RangeError);
    expect(() => createSimulatedNodes(40_000)).toThrow(RangeError);
  });
});
