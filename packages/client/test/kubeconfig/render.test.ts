import { stat } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKubeconfigFile } from "../../src/kubeconfig/load.js";
import { writeKubeconfig } from "../../src/kubeconfig/render.js";
import { restConfigFromKubeconfig } from "../../src/kubeconfig/rest-config-from-kubeconfig.js";
import { kubectlView } from "./kubectl-view.js";

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir("client-render");
});
afterEach(async () => {
  await dir.remove();
});

const CA = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";

describe("writeKubeconfig", () => {
  it("writes a token user that kubectl and restConfigFromKubeconfig read back unchanged", async () => {
    const path = join(dir.path, "sub", "kubeconfig");
    // A token with characters YAML would otherwise read as syntax.
    const token = 'abc: #def "ghi"';
    await writeKubeconfig(path, { server: "https://127.0.0.1:6443", caCert: CA, user: { token } });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const view = await kubectlView(dir.path, [path]);
    expect(view["current-context"]).toBe("kubekit");
    expect(view.users?.[0]?.user.token).toBe(token);

    const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(path));
    expect(rest.server).toBe("https://127.0.0.1:6443");
    expect(rest.auth.bearerToken).toBe(token);
    expect(rest.tls.ca?.toString()).toBe(CA);
  });

  it("writes a client-certificate user under the names given", async () => {
    const path = join(dir.path, "kubeconfig");
    await writeKubeconfig(path, {
      server: "https://10.0.0.1:6443",
      caCert: CA,
      user: { clientCert: "CERT\n", clientKey: "KEY\n" },
      clusterName: "lab",
      userName: "system:kube-scheduler",
    });
    const view = await kubectlView(dir.path, [path]);
    expect(view.contexts?.[0]).toEqual({
      name: "lab",
      context: { cluster: "lab", user: "system:kube-scheduler" },
    });
    const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(path));
    expect(rest.tls.cert?.toString()).toBe("CERT\n");
    expect(rest.tls.key?.toString()).toBe("KEY\n");
  });
});
