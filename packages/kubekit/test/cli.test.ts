import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { type KubekitCommand, runCli, UsageError, VERSION } from "../src/index.js";

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** A subcommand defined by the test, to exercise the plumbing components use. */
function echoPortCommand(seen: number[]): KubekitCommand {
  return {
    name: "echo-port",
    summary: "prints the port it was given",
    configure(command) {
      command
        .requiredOption("--port <n>", "a TCP port", (value) => {
          const port = Number(value);
          if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new InvalidArgumentError("must be an integer from 1 to 65535");
          }
          return port;
        })
        .option("--config <file>", "a config file")
        .action((options: { port: number; config?: string }) => {
          if (options.config === "missing.yaml") {
            throw new UsageError("--config: missing.yaml: no such file");
          }
          seen.push(options.port);
        });
    },
  };
}

describe("runCli", () => {
  it("prints help listing the subcommands and exits 0", async () => {
    const out = captureIo();
    const code = await runCli(["--help"], { io: out.io, commands: [echoPortCommand([])] });
    expect(code).toBe(0);
    expect(out.stdout()).toContain("Usage: kubekit");
    expect(out.stdout()).toContain("echo-port");
  });

  it("prints the package version", async () => {
    const out = captureIo();
    expect(await runCli(["--version"], { io: out.io })).toBe(0);
    expect(out.stdout().trim()).toBe(VERSION);
  });

  it("rejects an unknown flag with one line on stderr and exit 2", async () => {
    const out = captureIo();
    expect(await runCli(["--bogus"], { io: out.io })).toBe(2);
    const lines = out.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe("kubekit: error: unknown option '--bogus'");
  });

  it("rejects an unknown subcommand with exit 2", async () => {
    const out = captureIo();
    const code = await runCli(["echo-prot"], { io: out.io, commands: [echoPortCommand([])] });
    expect(code).toBe(2);
    expect(out.stderr()).toMatch(/^kubekit: error: unknown command 'echo-prot'/);
    expect(out.stderr()).toContain("echo-port");
  });

  it("runs a subcommand with parsed flags", async () => {
    const seen: number[] = [];
    const out = captureIo();
    const code = await runCli(["echo-port", "--port", "2379"], {
      io: out.io,
      commands: [echoPortCommand(seen)],
    });
    expect(code).toBe(0);
    expect(seen).toEqual([2379]);
  });

  it("reports a bad flag value of a subcommand as a usage error", async () => {
    const seen: number[] = [];
    const out = captureIo();
    const code = await runCli(["echo-port", "--port", "99999"], {
      io: out.io,
      commands: [echoPortCommand(seen)],
    });
    expect(code).toBe(2);
    expect(seen).toEqual([]);
    expect(out.stderr()).toBe(
      "kubekit: error: option '--port <n>' argument '99999' is invalid. must be an integer from 1 to 65535\n",
    );
  });

  it("reports a UsageError thrown by a subcommand as one line and exit 2", async () => {
    const out = captureIo();
    const code = await runCli(["echo-port", "--port", "1", "--config", "missing.yaml"], {
      io: out.io,
      commands: [echoPortCommand([])],
    });
    expect(code).toBe(2);
    expect(out.stderr()).toBe("kubekit: error: --config: missing.yaml: no such file\n");
  });
});

describe("the built kubekit binary", () => {
  const bin = fileURLToPath(new URL("../bin/kubekit.js", import.meta.url));
  const run = promisify(execFile);

  it("is built (nx builds the package before testing it)", () => {
    expect(existsSync(bin), `${bin} missing: run \`npx nx run kubekit:build\``).toBe(true);
  });

  it("answers --help and --version", async () => {
    const help = await run(process.execPath, [bin, "--help"]);
    expect(help.stdout).toContain("Usage: kubekit");
    const version = await run(process.execPath, [bin, "--version"]);
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it("exits 2 with one line on a bad flag", async () => {
    const failure = await run(process.execPath, [bin, "--nope"]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toBe("kubekit: error: unknown option '--nope'\n");
  });
});

describe("runCli edge cases", () => {
  it("prints help with no arguments", async () => {
    const out = captureIo();
    expect(await runCli([], { io: out.io })).toBe(0);
    expect(out.stdout()).toContain("Usage: kubekit");
  });

  it("rejects a stray argument when no subcommand is registered", async () => {
    const out = captureIo();
    expect(await runCli(["frobnicate"], { io: out.io })).toBe(2);
    expect(out.stderr()).toMatch(/^kubekit: error: /);
  });
});
