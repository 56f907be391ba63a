import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type Command, InvalidArgumentError } from "commander";
import { type Logger, pino } from "pino";
import { createApiServer } from "./server/api-server.js";
import { parseTokenFile } from "./server/token-file.js";
import { parseIpRange, parsePortRange } from "./services/ip-range.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface ApiServerCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** Options of {@link createApiServerCommand}; tests pass their own. */
export interface ApiServerCommandOptions {
  /** Ends the server when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
  /** Called with the URL once serving (tests). */
  onListening?: (url: string) => void;
}

interface ApiServerFlags {
  etcdServers: string[];
  securePort: number;
  bindAddress: string;
  certDir: string;
  tokenAuthFile?: string;
  clientCaFile?: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  advertiseAddress?: string;
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  kubeletCertificateAuthority?: string;
}

/** `--etcd-servers`: comma-separated http(s) URLs. */
export function parseEtcdServers(value: string): string[] {
  const urls = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (urls.length === 0) throw new InvalidArgumentError("expected at least one URL");
  for (const url of urls) {
    if (!/^https?:\/\/[^/]+/.test(url))
      throw new InvalidArgumentError(`"${url}" is not an http(s) URL`);
  }
  return urls;
}

/** A flag parser from a `{ ok, message }` parser: keeps the text, refuses bad values. */
function checked(
  parse: (text: string) => { ok: true } | { ok: false; message: string },
): (text: string) => string {
  return (text) => {
    const parsed = parse(text);
    if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
    return text;
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError(`"${value}" is not a port number`);
  return port;
}

async function untilShutdown(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await once(signal, "abort");
    return;
  }
  const stop = new AbortController();
  await Promise.race([
    once(process, "SIGTERM", { signal: stop.signal }),
    once(process, "SIGINT", { signal: stop.signal }),
  ]);
  stop.abort(); // drop the listener that did not fire
}

/**
 * `kubekit apiserver`: serves the Kubernetes REST API over HTTPS on an
 * etcd v3 store, with kube-apiserver's flag names. Only the first of
 * `--etcd-servers` is used so far.
 */
export function createApiServerCommand(options: ApiServerCommandOptions = {}): ApiServerCommand {
  return {
    name: "apiserver",
    summary: "serve the Kubernetes REST API (HTTPS) on an etcd v3 store",
    configure(command) {
      command
        .requiredOption(
          "--etcd-servers <urls>",
          "etcd v3 endpoints, comma-separated (only the first is used)",
          parseEtcdServers,
        )
        .option("--secure-port <port>", "HTTPS port", parsePort, 6443)
        .option("--bind-address <ip>", "address to serve on", "0.0.0.0")
        .option(
          "--cert-dir <dir>",
          "where the generated serving cert is kept",
          "/var/run/kubernetes",
        )
        .option("--token-auth-file <file>", 'CSV of token,user,uid,"group1,group2"')
        .option(
          "--client-ca-file <file>",
          "PEM CA bundle: client certificates it signs authenticate as user CN, groups O",
        )
        .option(
          "--service-cluster-ip-range <cidr>",
          "IPv4 CIDR services' cluster IPs come from",
          checked(parseIpRange),
          "10.0.0.0/24",
        )
        .option(
          "--service-node-port-range <range>",
          "ports NodePort services get",
          checked(parsePortRange),
          "30000-32767",
        )
        .option("--advertise-address <ip>", "address the kubernetes service's endpoints point at")
        .option(
          "--kubelet-client-certificate <file>",
          "PEM client certificate the apiserver presents to kubelets (logs, exec, attach)",
        )
        .option("--kubelet-client-key <file>", "PEM key of --kubelet-client-certificate")
        .option(
          "--kubelet-certificate-authority <file>",
          "PEM CA that signs kubelets' serving certificates; unset, they are not verified",
        )
        .action(async (flags: ApiServerFlags) => {
          const logger = options.logger ?? pino({ name: "apiserver" });
          let tokens = new Map();
          if (flags.tokenAuthFile) {
            const parsed = parseTokenFile(await readFile(flags.tokenAuthFile, "utf8"));
            if (!parsed.ok) command.error(`error: --token-auth-file: ${parsed.message}`);
            else tokens = parsed.tokens;
          }
          let clientCA: string | undefined;
          if (flags.clientCaFile) {
            try {
              clientCA = await readFile(flags.clientCaFile, "utf8");
            } catch (error) {
              command.error(`error: --client-ca-file: ${(error as Error).message}`);
            }
            if (clientCA !== undefined && !clientCA.includes("-----BEGIN CERTIFICATE-----"))
              command.error(
                `error: --client-ca-file: ${flags.clientCaFile} holds no PEM certificate`,
              );
          }
          if (!flags.kubeletClientCertificate !== !flags.kubeletClientKey)
            command.error(
              "error: --kubelet-client-certificate and --kubelet-client-key go together",
            );
          const readPem = async (flag: string, file: string | undefined) => {
            if (file === undefined) return undefined;
            try {
              return await readFile(file, "utf8");
            } catch (error) {
              command.error(`error: ${flag}: ${(error as Error).message}`);
            }
          };
          const kubeletClientCert = await readPem(
            "--kubelet-client-certificate",
            flags.kubeletClientCertificate,
          );
          const kubeletClientKey = await readPem("--kubelet-client-key", flags.kubeletClientKey);
          const kubeletCA = await readPem(
            "--kubelet-certificate-authority",
            flags.kubeletCertificateAuthority,
          );
          // No response compression: on loopback or a LAN, gzip costs more CPU than it saves (etcd never compresses; store-raft would).
          const etcdTransport = createGrpcTransport({
            baseUrl: flags.etcdServers[0]!,
            acceptCompression: [],
          });
          const api = await createApiServer({
            etcdTransport,
            certDir: flags.certDir,
            tokens,
            ...(clientCA !== undefined ? { clientCA } : {}),
            serviceClusterIPRange: flags.serviceClusterIpRange,
            serviceNodePortRange: flags.serviceNodePortRange,
            ...(flags.advertiseAddress ? { advertiseAddress: flags.advertiseAddress } : {}),
            kubeletClientCert,
            kubeletClientKey,
            kubeletCA,
            onError: (error) => logger.error({ err: error }, "request failed"),
          });
          const url = await api.listen(flags.securePort, flags.bindAddress);
          logger.info({ url, etcd: flags.etcdServers[0] }, "serving the Kubernetes API");
          options.onListening?.(url);
          await untilShutdown(options.shutdown);
          logger.info("shutting down");
          await api.close();
        });
    },
  };
}

/** `kubekit apiserver`, stopped by SIGTERM or SIGINT. */
export const apiServerCommand: ApiServerCommand = createApiServerCommand();
