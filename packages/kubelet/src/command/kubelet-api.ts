import { readFile } from "node:fs/promises";
import { createKubeletServer } from "../server/kubelet-server.js";
import type { KubeletServerContext } from "./index.js";

/** The kubelet API's TLS material, read from the command's flags. */
export interface KubeletTls {
  clientCA?: string;
  servingCert?: { cert: string; key: string };
}

/** Reads `--client-ca-file`, `--tls-cert-file` and `--tls-private-key-file`; `fail` reports a bad flag. */
export async function readKubeletTls(
  flags: { clientCaFile?: string; tlsCertFile?: string; tlsPrivateKeyFile?: string },
  fail: (message: string) => never,
): Promise<KubeletTls> {
  if (!flags.tlsCertFile !== !flags.tlsPrivateKeyFile) {
    fail("--tls-cert-file and --tls-private-key-file go together");
  }
  const read = async (flag: string, file: string) => {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      return fail(`${flag}: ${(error as Error).message}`);
    }
  };
  const tls: KubeletTls = {};
  if (flags.clientCaFile) tls.clientCA = await read("--client-ca-file", flags.clientCaFile);
  if (flags.tlsCertFile && flags.tlsPrivateKeyFile) {
    tls.servingCert = {
      cert: await read("--tls-cert-file", flags.tlsCertFile),
      key: await read("--tls-private-key-file", flags.tlsPrivateKeyFile),
    };
  }
  return tls;
}

/**
 * The kubelet API (:10250) for a running kubelet: its pods from the
 * apiserver source, logs and exec through its CRI runtime, client
 * certificates checked against `--client-ca-file` (without it every
 * request is refused, as upstream with anonymous auth off).
 */
export async function startKubeletApi(
  context: KubeletServerContext,
): Promise<{ close(): Promise<void> }> {
  const server = createKubeletServer({
    pods: () => context.kubelet.source.pods(),
    runtime: context.runtime,
    ...(context.clientCA !== undefined ? { clientCA: context.clientCA } : {}),
    ...(context.servingCert !== undefined ? { servingCert: context.servingCert } : {}),
    nodeName: context.kubelet.nodeName,
    addresses: [context.kubelet.hostIP],
    onError: (err) => context.logger.warn({ err }, "kubelet API request failed"),
  });
  const url = await server.listen(context.port, context.address);
  context.logger.info({ url }, "kubelet API serving");
  return server;
}
