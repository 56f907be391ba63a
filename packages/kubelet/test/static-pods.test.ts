import { mkdir, writeFile } from "node:fs/promises";
import { makeTempDir } from "@kubekit/testkit";
import { describe, expect, it } from "vitest";
import {
  CONFIG_HASH_ANNOTATION,
  CONFIG_MIRROR_ANNOTATION,
  FilePodSource,
  isMirrorPod,
  isStaticPod,
  mirrorMatches,
  mirrorPodFor,
  type Pod,
  staticPodFromManifest,
} from "../src/index.js";

const manifest = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "etcd", labels: { tier: "control-plane" } },
  spec: { containers: [{ name: "etcd", image: "busybox" }] },
};

describe("static pods", () => {
  it("names the pod after the node, binds it, and hashes a stable uid into config.hash", () => {
    const pod = staticPodFromManifest(manifest, "node-a");
    expect(pod.metadata.name).toBe("etcd-node-a");
    expect(pod.metadata.namespace).toBe("default");
    expect(pod.spec.nodeName).toBe("node-a");
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata.annotations).toMatchObject({
      "kubernetes.io/config.source": "file",
      [CONFIG_HASH_ANNOTATION]: pod.metadata.uid,
    });
    expect(pod.spec.tolerations).toContainEqual({ operator: "Exists", effect: "NoExecute" });
    expect(isStaticPod(pod)).toBe(true);
    expect(staticPodFromManifest(structuredClone(manifest), "node-a").metadata.uid).toBe(
      pod.metadata.uid,
    );
    expect(staticPodFromManifest(manifest, "node-b").metadata.uid).not.toBe(pod.metadata.uid);
    const edited = structuredClone(manifest);
    edited.spec.containers[0] = { name: "etcd", image: "busybox:2" };
    expect(staticPodFromManifest(edited, "node-a").metadata.uid).not.toBe(pod.metadata.uid);
  });

  it("refuses what is not a pod", () => {
    expect(() => staticPodFromManifest({ kind: "Service", metadata: { name: "x" } }, "n")).toThrow(
      /kind/,
    );
    expect(() => staticPodFromManifest({ metadata: {}, spec: { containers: [] } }, "n")).toThrow(
      /name/,
    );
    expect(() => staticPodFromManifest({ metadata: { name: "x" }, spec: {} }, "n")).toThrow(
      /containers/,
    );
  });

  it("mirrors a static pod without its uid, annotated with its hash and owned by the node", () => {
    const pod = staticPodFromManifest(manifest, "node-a");
    const mirror = mirrorPodFor(pod, "node-a", "node-uid") as unknown as Pod;
    expect(mirror.metadata.uid).toBeUndefined();
    expect(mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION]).toBe(pod.metadata.uid);
    expect((mirror.metadata as { ownerReferences?: unknown }).ownerReferences).toEqual([
      { apiVersion: "v1", kind: "Node", name: "node-a", uid: "node-uid", controller: true },
    ]);
    expect(isMirrorPod(mirror)).toBe(true);
    expect(mirrorMatches(mirror, pod)).toBe(true);
    const edited = structuredClone(manifest);
    edited.metadata.labels.tier = "other";
    expect(mirrorMatches(mirror, staticPodFromManifest(edited, "node-a"))).toBe(false);
  });

  it("reads YAML and JSON manifests from a directory, skipping dotfiles and bad files", async () => {
    const dir = await makeTempDir("static-pods");
    try {
      const manifests = `${dir.path}/manifests`;
      await mkdir(manifests);
      await writeFile(
        `${manifests}/web.yaml`,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: w, image: busybox}]\n",
      );
      await writeFile(`${manifests}/etcd.json`, JSON.stringify(manifest));
      await writeFile(`${manifests}/.hidden.yaml`, "garbage: [");
      await writeFile(`${manifests}/broken.yaml`, "kind: Pod\nmetadata: {}\n");
      const skipped: string[] = [];
      const source = new FilePodSource(manifests, "node-a", (fields) =>
        skipped.push(String(fields.file)),
      );
      expect(await source.refresh()).toBe(true);
      expect(source.pods().map((p) => p.metadata.name)).toEqual(["etcd-node-a", "web-node-a"]);
      expect(skipped).toEqual([`${manifests}/broken.yaml`]);
      expect(await source.refresh()).toBe(false);
      const missing = new FilePodSource(`${dir.path}/none`, "node-a");
      expect(await missing.refresh()).toBe(false);
      expect(missing.pods()).toEqual([]);
    } finally {
      await dir.remove();
    }
  });
});
