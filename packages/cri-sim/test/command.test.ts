import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { Command, CommanderError } from "commander";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCriSimCommand, parseUnixEndpoint } from "../src/index.js";

function program(shutdown: AbortSignal): Command {
  const root = new Command("kubekit").exitOverride().configureOutput({ writeErr: () => {} });
  const sub = createCriSimCommand({ shutdown, logger: pino({ level: "silent" }) });
  const command = root
    .command(sub.name)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  sub.configure(command);
  return root;
}

describe("kubekit cri-sim", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("cri-sim-command");
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it("serves on the socket it is given until shut down, with its flags applied", async () => {
    const socketPath = join(dir.path, "nested", "cri.sock");
    const shutdown = new AbortController();
    const running = program(shutdown.signal).parseAsync(
      [
        "cri-sim",
        "--listen",
        `unix://${socketPath}`,
        "--pod-cidr",
        "10.5.0.0/24",
        "--missing-image",
        "kubekit/gone:1",
        "--preload-image",
        "registry.k8s.io/pause:3.9",
      ],
      { from: "user" },
    );
    for (let attempt = 0; attempt < 100 && !existsSync(socketPath); attempt++) await sleep(20);
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(socketPath) },
    });
    const runtime = createClient(RuntimeService, transport);
    const images = createClient(ImageService, transport);
    expect((await runtime.version({})).runtimeName).toBe("cri-sim");
    expect((await images.listImages({})).images.flatMap((i) => i.repoTags)).toEqual([
      "registry.k8s.io/pause:3.9",
    ]);
    await expect(images.pullImage({ image: { image: "kubekit/gone:1" } })).rejects.toThrow(
      /not found/,
    );
    const verbose = await runtime.status({ verbose: true });
    expect(JSON.parse(verbose.info.config ?? "{}").podCidr).toBe("10.5.0.0/24");

    shutdown.abort();
    await running;
    expect(existsSync(socketPath)).toBe(false);
  });

  it("refuses a bad endpoint or CIDR as a usage error", async () => {
    const never = new AbortController().signal;
    const usage = async (args: string[]) => {
      const error = await program(never)
        .parseAsync(["cri-sim", ...args], { from: "user" })
        .catch((e) => e);
      return error instanceof CommanderError ? error.code : String(error);
    };
    expect(await usage(["--pod-cidr", "10.0.0.0/99"])).toBe("commander.invalidArgument");
    expect(await usage(["--listen", "tcp://127.0.0.1:1"])).toBe("commander.invalidArgument");
    expect(() => parseUnixEndpoint("tcp://127.0.0.1:1")).toThrow(/unix:\/\/\/absolute\/path/);
    expect(parseUnixEndpoint("unix:///run/x.sock")).toBe("/run/x.sock");
    expect(parseUnixEndpoint("/run/y.sock")).toBe("/run/y.sock");
  });
});
