import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ControlPlane,
  type ControlPlaneStore,
  startControlPlane,
} from "./support/control-plane.js";

/**
 * The kubectl black-box suite against `kubekit apiserver` as a process, on
 * each store it supports as a process: `kubekit store` and etcd 3.4. What
 * an operator types, checked by what kubectl prints.
 */

const manifest = (replicas: number, color: string) =>
  [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: { name: settings, namespace: suite, labels: { app: web } }",
    `data: { color: ${color} }`,
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: { name: web, namespace: suite, labels: { app: web } }",
    "spec:",
    `  replicas: ${replicas}`,
    "  selector: { matchLabels: { app: web } }",
    "  template:",
    "    metadata: { labels: { app: web } }",
    "    spec:",
    "      containers: [{ name: web, image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]",
    "---",
    "apiVersion: v1",
    "kind: Service",
    "metadata: { name: web, namespace: suite }",
    "spec:",
    "  selector: { app: web }",
    "  ports: [{ port: 80, targetPort: 80 }]",
    "",
  ].join("\n");

describe.each<ControlPlaneStore>(["kubekit", "etcd"])(
  "kubectl against kubekit apiserver on %s",
  (store) => {
    let plane: ControlPlane;
    const kubectl = (...args: string[]) => plane.kubectl(...args);
    const inSuite = (...args: string[]) => plane.kubectl("-n", "suite", ...args);
    let manifestPath: string;

    beforeAll(async () => {
      plane = await startControlPlane(`kubectl-suite-${store}`, store);
      manifestPath = join(plane.dir.path, "app.yaml");
    }, 120_000);

    afterAll(async () => {
      await plane?.stop();
    });

    it("creates a namespace and applies a multi-document manifest", async () => {
      expect(await kubectl("create", "namespace", "suite")).toContain("namespace/suite created");
      await writeFile(manifestPath, manifest(2, "blue"));
      const applied = await kubectl("apply", "-f", manifestPath);
      expect(applied).toContain("configmap/settings created");
      expect(applied).toContain("deployment.apps/web created");
      expect(applied).toContain("service/web created");
    }, 60_000);

    it("gets objects as tables, wide tables, YAML and JSON", async () => {
      expect(await inSuite("get", "deployments")).toMatch(
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+/,
      );
      const wide = await inSuite("get", "deployment", "web", "-o", "wide");
      expect(wide).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/);
      expect(wide).toMatch(/web\s+nginx:1\.27\s+app=web/);
      const yaml = await inSuite("get", "configmap", "settings", "-o", "yaml");
      expect(yaml).toMatch(/^ {2}color: blue$/m);
      expect(yaml).toMatch(/^kind: ConfigMap$/m);
      const json = JSON.parse(await inSuite("get", "service", "web", "-o", "json"));
      expect(json.spec.ports[0]).toMatchObject({ port: 80, protocol: "TCP" });
    }, 60_000);

    it("describes a deployment", async () => {
      const described = await inSuite("describe", "deployment", "web");
      expect(described).toMatch(/^Name:\s+web$/m);
      expect(described).toMatch(/^Namespace:\s+suite$/m);
      expect(described).toMatch(/^Replicas:\s+2 desired/m);
      expect(described).toMatch(/Image:\s+nginx:1\.27/);
    }, 60_000);

    it("labels, annotates and patches with strategic, merge and JSON patches", async () => {
      await inSuite("label", "configmap", "settings", "tier=frontend");
      await inSuite("annotate", "configmap", "settings", "owner=team-a");
      await inSuite("patch", "configmap", "settings", "-p", '{"data":{"size":"L"}}'); // strategic, kubectl's default
      await inSuite(
        "patch",
        "configmap",
        "settings",
        "--type=merge",
        "-p",
        '{"data":{"color":"red"}}',
      );
      await inSuite(
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]',
      );
      const cm = JSON.parse(await inSuite("get", "configmap", "settings", "-o", "json"));
      expect(cm.metadata.labels).toEqual({ app: "web", tier: "frontend" });
      expect(cm.metadata.annotations.owner).toBe("team-a");
      expect(cm.data).toEqual({ color: "red", size: "L" });
      expect(await inSuite("get", "configmaps", "-l", "tier=frontend", "-o", "name")).toBe(
        "configmap/settings\n",
      );
      expect(
        await inSuite(
          "get",
          "deployment",
          "web",
          "-o",
          "jsonpath={.spec.template.spec.containers[0].image}",
        ),
      ).toBe("nginx:1.28");
    }, 60_000);

    it("scales a deployment", async () => {
      expect(await inSuite("scale", "deployment", "web", "--replicas=3")).toContain(
        "deployment.apps/web scaled",
      );
      expect(await inSuite("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).toBe(
        "3",
      );
    }, 60_000);

    it("streams changes to kubectl get -w", async () => {
      const child = spawn("kubectl", [
        `--kubeconfig=${plane.kubeconfig}`,
        "-n",
        "suite",
        "get",
        "configmaps",
        "-w",
        "--request-timeout=60s",
      ]);
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += String(chunk);
      });
      child.stderr.on("data", (chunk) => {
        output += String(chunk);
      });
      try {
        await eventually("the initial list", async () =>
          /^settings\s/m.test(output) ? true : undefined,
        );
        await inSuite("create", "configmap", "watched", "--from-literal=a=b");
        await eventually("the new configmap", async () =>
          /^watched\s+1\s/m.test(output) ? true : undefined,
        );
        await inSuite("patch", "configmap", "watched", "-p", '{"data":{"c":"d"}}');
        await eventually("the change", async () =>
          /^watched\s+2\s/m.test(output) ? true : undefined,
        );
      } finally {
        child.kill("SIGTERM");
      }
    }, 60_000);

    it("applies server-side, with field managers and conflicts, and explains types", async () => {
      const cm = join(plane.dir.path, "ssa.yaml");
      await writeFile(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: suite\ndata:\n  owner: first\n",
      );
      expect(await kubectl("apply", "--server-side", "-f", cm)).toContain(
        "configmap/ssa serverside-applied",
      );
      await writeFile(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: suite\ndata:\n  owner: second\n",
      );
      const conflict = await kubectl(
        "apply",
        "--server-side",
        "--field-manager=other",
        "-f",
        cm,
      ).then(
        () => "no conflict",
        (error: { stderr?: string }) => error.stderr ?? String(error),
      );
      expect(conflict).toMatch(/conflict with "kubectl"/);
      await kubectl(
        "apply",
        "--server-side",
        "--field-manager=other",
        "--force-conflicts",
        "-f",
        cm,
      );
      expect(await inSuite("get", "configmap", "ssa", "-o", "jsonpath={.data.owner}")).toBe(
        "second",
      );

      const explained = await kubectl("explain", "deployment.spec.strategy");
      expect(explained).toContain("rollingUpdate");
    }, 60_000);

    it("applies again after an edit, and deletes with --wait", async () => {
      await writeFile(manifestPath, manifest(5, "green"));
      const again = await kubectl("apply", "-f", manifestPath);
      expect(again).toContain("configmap/settings configured");
      expect(again).toContain("deployment.apps/web configured");
      expect(again).toContain("service/web unchanged");
      expect(await inSuite("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).toBe(
        "5",
      );
      // The manifest's fields win; what kubectl label/annotate added stays.
      const cm = JSON.parse(await inSuite("get", "configmap", "settings", "-o", "json"));
      expect(cm.data.color).toBe("green");
      expect(cm.metadata.labels.tier).toBe("frontend");

      expect(await inSuite("delete", "configmap", "watched", "--wait=true")).toContain(
        'configmap "watched" deleted',
      );
      expect(await kubectl("delete", "--wait=true", "-f", manifestPath)).toContain(
        'deployment.apps "web" deleted',
      );
      const left = await inSuite("get", "configmaps,deployments,services", "-o", "name");
      expect(left.split("\n").filter((l) => /settings|web/.test(l))).toEqual([]);
    }, 60_000);
  },
);
