import { readFile, stat } from "node:fs/promises";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerConfigError,
  containerMounts,
  type ObjectLookup,
  type Pod,
  preparePodVolumes,
  volumeDirectory,
} from "../src/index.js";

const encoder = new TextEncoder();
const lookup: ObjectLookup = {
  configMap: (_, name) => (name === "cm" ? { "a.conf": "A", "b.conf": "B", evil: "x" } : undefined),
  secret: (_, name) => (name === "sec" ? { token: encoder.encode("t0k") } : undefined),
};

describe("pod volumes", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("kubelet-volumes");
  });
  afterAll(async () => {
    await dir.remove();
  });

  function pod(volumes: Pod["spec"]["volumes"]): Pod {
    return {
      metadata: { name: "p", namespace: "ns", uid: "uid-1" },
      spec: { containers: [], volumes },
    };
  }

  it("writes ConfigMap and Secret volumes as files with their modes, and creates emptyDir and hostPath dirs", async () => {
    const p = pod([
      {
        name: "cfg",
        configMap: {
          name: "cm",
          items: [
            { key: "a.conf", path: "conf/a" },
            { key: "b.conf", path: "b", mode: 0o600 },
          ],
        },
      },
      { name: "creds", secret: { secretName: "sec", defaultMode: 0o400 } },
      { name: "scratch", emptyDir: {} },
      { name: "host", hostPath: { path: `${dir.path}/host/data`, type: "DirectoryOrCreate" } },
    ]);
    const paths = await preparePodVolumes(p, `${dir.path}/pods`, lookup);
    const cfg = volumeDirectory(`${dir.path}/pods`, p, "configmap", "cfg");
    expect(paths.get("cfg")).toBe(cfg);
    expect(cfg).toBe(`${dir.path}/pods/uid-1/volumes/kubernetes.io~configmap/cfg`);
    expect(await readFile(`${cfg}/conf/a`, "utf8")).toBe("A");
    expect((await stat(`${cfg}/conf/a`)).mode & 0o777).toBe(0o644);
    expect((await stat(`${cfg}/b`)).mode & 0o777).toBe(0o600);
    await expect(stat(`${cfg}/evil`)).rejects.toThrow(); // only the listed items
    const creds = paths.get("creds") ?? "";
    expect(await readFile(`${creds}/token`, "utf8")).toBe("t0k");
    expect((await stat(`${creds}/token`)).mode & 0o777).toBe(0o400);
    expect((await stat(paths.get("scratch") ?? "")).isDirectory()).toBe(true);
    expect((await stat(`${dir.path}/host/data`)).isDirectory()).toBe(true);

    const mounts = containerMounts(
      p,
      {
        name: "c",
        image: "i",
        volumeMounts: [
          { name: "cfg", mountPath: "/etc/app" },
          { name: "scratch", mountPath: "/scratch", subPath: "sub" },
          { name: "host", mountPath: "/data", readOnly: true },
        ],
      },
      paths,
    );
    expect(mounts.map((m) => [m.containerPath, m.hostPath, m.readonly])).toEqual([
      ["/etc/app", cfg, true],
      ["/scratch", `${paths.get("scratch")}/sub`, false],
      ["/data", `${dir.path}/host/data`, true],
    ]);
  });

  it.each([
    [[{ name: "v", configMap: { name: "absent" } }], 'configmap "absent" not found'],
    [[{ name: "v", secret: { secretName: "absent" } }], 'secret "absent" not found'],
    [
      [{ name: "v", configMap: { name: "cm", items: [{ key: "a.conf", path: "../../escape" }] } }],
      'invalid volume item path "../../escape"',
    ],
    [
      [{ name: "v", hostPath: { path: "/nonexistent/kubekit", type: "Directory" } }],
      "hostPath type check failed: /nonexistent/kubekit is not a Directory",
    ],
  ] as const)("refuses %j", async (volumes, message) => {
    await expect(
      preparePodVolumes(pod([...volumes] as Pod["spec"]["volumes"]), `${dir.path}/pods`, lookup),
    ).rejects.toThrow(new ContainerConfigError(message));
  });

  it("an optional missing ConfigMap gives an empty directory", async () => {
    const paths = await preparePodVolumes(
      pod([{ name: "v", configMap: { name: "absent", optional: true } }]),
      `${dir.path}/pods`,
      lookup,
    );
    expect((await stat(paths.get("v") ?? "")).isDirectory()).toBe(true);
  });

  it("refuses a mount of a volume the pod lacks", () => {
    expect(() =>
      containerMounts(
        pod([]),
        { name: "c", image: "i", volumeMounts: [{ name: "x", mountPath: "/x" }] },
        new Map(),
      ),
    ).toThrow(ContainerConfigError);
  });
});
