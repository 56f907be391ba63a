import { mkdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKubeconfig } from "../../src/kubeconfig/load.js";
import { kubectlView as view } from "./kubectl-view.js";

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir("client-kubectl");
});
afterEach(async () => {
  await dir.remove();
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir.path, name);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, text);
  return file;
}

const b64 = (data: Buffer | undefined): string | undefined => data?.toString("base64");

describe("kubeconfig merging agrees with kubectl", () => {
  it("resolves names, current-context and relative files as `kubectl config view --flatten` does", async () => {
    await write("one/pki/ca.crt", "FIRST CA\n");
    await write("two/ca.pem", "SECOND CA\n");
    await write("two/keys/bob.crt", "BOB CERT\n");
    await write("two/keys/bob.key", "BOB KEY\n");
    const one = await write(
      "one/config",
      [
        "clusters:",
        "- name: shared",
        "  cluster: {server: 'https://first:6443', certificate-authority: pki/ca.crt}",
        "contexts:",
        "- name: dev",
        "  context: {cluster: shared, user: alice, namespace: team}",
        "users:",
        "- name: alice",
        "  user: {token: alice-token}",
      ].join("\n"),
    );
    const two = await write(
      "two/config",
      [
        "current-context: prod",
        "clusters:",
        "- name: shared",
        "  cluster: {server: 'https://second:6443'}",
        "- name: prod",
        "  cluster: {server: 'https://prod:6443', certificate-authority: ca.pem, tls-server-name: api}",
        "contexts:",
        "- name: prod",
        "  context: {cluster: prod, user: bob}",
        "- name: dev",
        "  context: {cluster: prod, user: bob}",
        "users:",
        "- name: alice",
        "  user: {token: other-token}",
        "- name: bob",
        "  user: {client-certificate: keys/bob.crt, client-key: keys/bob.key}",
      ].join("\n"),
    );
    const missing = join(dir.path, "absent/config");
    const files = [missing, one, two];

    const kubectl = await view(dir.path, files);
    const ours = await loadKubeconfig({ env: { KUBECONFIG: files.join(delimiter) } });

    expect(ours.currentContext).toBe(kubectl["current-context"]);
    expect([...ours.clusters.keys()].sort()).toEqual(kubectl.clusters?.map((c) => c.name).sort());
    for (const { name, cluster } of kubectl.clusters ?? []) {
      const mine = ours.clusters.get(name);
      expect(mine?.server).toBe(cluster.server);
      expect(mine?.tlsServerName).toBe(cluster["tls-server-name"]);
      // kubectl inlined the file it found; we must have resolved the same file.
      const inlined = cluster["certificate-authority-data"];
      if (mine?.certificateAuthority) {
        expect(b64(await readFile(mine.certificateAuthority))).toBe(inlined);
      } else {
        expect(inlined).toBeUndefined();
      }
    }
    expect([...ours.contexts.keys()].sort()).toEqual(kubectl.contexts?.map((c) => c.name).sort());
    for (const { name, context } of kubectl.contexts ?? []) {
      expect(ours.contexts.get(name)).toEqual({
        cluster: context.cluster,
        user: context.user,
        ...(context.namespace ? { namespace: context.namespace } : {}),
      });
    }
    for (const { name, user } of kubectl.users ?? []) {
      const mine = ours.users.get(name);
      expect(mine?.token).toBe(user.token);
      if (mine?.clientCertificate) {
        expect(b64(await readFile(mine.clientCertificate))).toBe(user["client-certificate-data"]);
      }
      if (mine?.clientKey) {
        expect(b64(await readFile(mine.clientKey))).toBe(user["client-key-data"]);
      }
    }
  });
});
