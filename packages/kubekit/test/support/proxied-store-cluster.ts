import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Maintenance } from "@kubekit/proto/etcd";
import {
  freePort,
  makeTempDir,
  startTcpProxy,
  type TcpProxy,
  type TempDir,
} from "@kubekit/testkit";

const bin = fileURLToPath(new URL("../../bin/kubekit.js", import.meta.url));

/** One `kubekit store` process, its data dir and the proxy its peers reach it through. */
export interface ProxiedMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly proxy: TcpProxy;
  readonly dataDir: TempDir;
  /** The running process, or undefined while it is down. */
  process: ChildProcess | undefined;
  /** The tail of its stderr, across restarts. */
  log: string;
}

/**
 * A cluster of `kubekit store` processes whose peer traffic goes through a
 * {@link TcpProxy} per member: `--initial-cluster` and
 * `--initial-advertise-peer-urls` name the proxies, `--listen-peer-urls`
 * the real ports behind them.
 */
export class ProxiedStoreCluster {
  private readonly maintenance: ReadonlyArray<Client<typeof Maintenance>>;

  private constructor(
    readonly members: readonly ProxiedMember[],
    private readonly args: ReadonlyArray<readonly string[]>,
  ) {
    this.maintenance = members.map((m) =>
      createClient(Maintenance, createGrpcTransport({ baseUrl: m.clientUrl })),
    );
  }

  /** Starts `size` members. */
  static async start(size: number): Promise<ProxiedStoreCluster> {
    const names = Array.from({ length: size }, (_, i) => `s${i + 1}`);
    const peerPorts = await Promise.all(names.map(() => freePort()));
    const clientPorts = await Promise.all(names.map(() => freePort()));
    const proxies = await Promise.all(peerPorts.map((targetPort) => startTcpProxy({ targetPort })));
    const dirs = await Promise.all(names.map((n) => makeTempDir(`lin-${n}`)));
    const initialCluster = names.map((n, i) => `${n}=${proxies[i]?.url}`).join(",");
    const members = names.map(
      (name, i): ProxiedMember => ({
        name,
        clientUrl: `http://127.0.0.1:${clientPorts[i]}`,
        proxy: proxies[i] as TcpProxy,
        dataDir: dirs[i] as TempDir,
        process: undefined,
        log: "",
      }),
    );
    const args = names.map((name, i) => [
      bin,
      "store",
      `--name=${name}`,
      `--data-dir=${dirs[i]?.path}`,
      `--listen-client-urls=http://127.0.0.1:${clientPorts[i]}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPorts[i]}`,
      `--initial-advertise-peer-urls=${proxies[i]?.url}`,
      `--initial-cluster=${initialCluster}`,
      "--heartbeat-interval=100",
      "--election-timeout=1000",
    ]);
    const cluster = new ProxiedStoreCluster(members, args);
    for (let i = 0; i < size; i++) cluster.startMember(i);
    return cluster;
  }

  /** Starts (or restarts, from its data dir) member `i`. */
  startMember(i: number): void {
    const member = this.members[i] as ProxiedMember;
    if (member.process !== undefined) throw new Error(`${member.name} is already running`);
    const child = spawn(process.execPath, [...(this.args[i] as string[])], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (chunk) => {
      member.log = (member.log + String(chunk)).slice(-20_000);
    });
    member.process = child;
  }

  /** kill -9 of member `i`; resolves once the process is gone. */
  async killMember(i: number): Promise<void> {
    const member = this.members[i] as ProxiedMember;
    const child = member.process;
    if (child === undefined) return;
    member.process = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /**
   * The index of the member every running member that answers names as
   * leader (and that is itself up), or undefined when they disagree or
   * none answers in time.
   */
  async leader(): Promise<number | undefined> {
    const ids = await Promise.all(
      this.members.map(async (member, i) => {
        if (member.process === undefined) return undefined;
        try {
          const status = await this.maintenance[i]?.status({}, { timeoutMs: 500 });
          if (status === undefined) return undefined;
          return { self: status.header?.memberId ?? 0n, leader: status.leader };
        } catch {
          return undefined;
        }
      }),
    );
    const leaders = new Set(
      ids.flatMap((s) => (s === undefined || s.leader === 0n ? [] : [s.leader])),
    );
    if (leaders.size !== 1) return undefined;
    const [leaderId] = leaders;
    const index = ids.findIndex((s) => s?.self === leaderId);
    return index < 0 ? undefined : index;
  }

  /** Kills every process, closes the proxies, removes the data dirs. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.killMember(i)));
    await Promise.all(this.members.map((m) => m.proxy.close()));
    await Promise.all(this.members.map((m) => m.dataDir.remove()));
  }
}
