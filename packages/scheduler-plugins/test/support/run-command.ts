import { Writable } from "node:stream";
import { Command } from "commander";
import { pino } from "pino";
import { createSchedulerCommand } from "../../src/index.js";

/** A `kubekit scheduler` running inside the test process. */
export interface RunningScheduler {
  /** Settles when the command returns (rejects with its error). */
  readonly done: Promise<void>;
  /** The JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** The health server's URL, once it listens. */
  url(): string | undefined;
  /** Aborts it (as SIGTERM does) and waits for it to return. */
  stop(): Promise<void>;
}

/** Runs `kubekit scheduler ARGS` in process, stopped by an AbortController instead of SIGTERM. */
export function runSchedulerCommand(
  args: string[],
  handleExtras?: Record<string, unknown>,
): RunningScheduler {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  const stopper = new AbortController();
  let url: string | undefined;
  const sub = createSchedulerCommand({
    shutdown: stopper.signal,
    ...(handleExtras ? { handleExtras } : {}),
    logger: pino({ name: "kube-scheduler" }, sink),
    onServing: (u) => {
      url = u;
    },
  });
  const root = new Command("kubekit").exitOverride().configureOutput({ writeErr: () => {} });
  sub.configure(root.command(sub.name).exitOverride());
  const done = root.parseAsync(["scheduler", ...args], { from: "user" }).then(() => undefined);
  done.catch(() => {}); // observed by whoever awaits it
  return {
    done,
    logs: () => lines,
    url: () => url,
    async stop() {
      stopper.abort();
      await done;
    },
  };
}
