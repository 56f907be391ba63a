/**
 * How a simulated container behaves, read from its annotations, its pod's
 * annotations and its command. Nothing runs; these only decide what the
 * runtime reports and when.
 */
import { commandEffect } from "./command-effect.js";

/** Annotation prefix of every knob. */
export const KNOB_PREFIX = "sim.kubekit.io/";

/** The knobs, by annotation key. See the README's "Knobs" section. */
export const KNOBS = {
  /** Duration after start when the container exits (`"3s"`, `"500ms"`, `"2m"`, `"1h"`). */
  exitAfter: `${KNOB_PREFIX}exit-after`,
  /** Exit code when it exits on its own (default 0; alone, it exits at once with this code). */
  exitCode: `${KNOB_PREFIX}exit-code`,
  /** Exit code reported after StopContainer (default 143: ended by SIGTERM). */
  stopExitCode: `${KNOB_PREFIX}stop-exit-code`,
  /** Exit code of ExecSync (default 0). */
  execExitCode: `${KNOB_PREFIX}exec-exit-code`,
  /** Stdout of ExecSync (default empty). */
  execStdout: `${KNOB_PREFIX}exec-stdout`,
  /** Stderr of ExecSync (default empty). */
  execStderr: `${KNOB_PREFIX}exec-stderr`,
} as const;

/**
 * Exit code a container reports after StopContainer: ended by the SIGTERM
 * the runtime sends, as a `sleep` is under containerd.
 */
export const DEFAULT_STOP_EXIT_CODE = 143;

/**
 * Exit code of a container still running when its sandbox stops or it is
 * removed: containerd kills those with SIGKILL at once.
 */
export const KILLED_EXIT_CODE = 137;

/** What a simulated container does once started. */
export interface ContainerBehaviour {
  /** Nanoseconds after start when it exits; undefined: it runs until stopped. */
  readonly exitAfterNs: bigint | undefined;
  /** Code it exits with on its own. */
  readonly exitCode: number;
  /** Code it reports after StopContainer. */
  readonly stopExitCode: number;
  /** ExecSync's answer when the exec'd command is not one the simulation understands. */
  readonly exec: ExecResult;
}

/** The result of a simulated ExecSync. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An ExecSync that succeeds silently. */
export const DEFAULT_EXEC_RESULT: ExecResult = { exitCode: 0, stdout: "", stderr: "" };

/** Thrown for a knob whose value cannot be read; the runtime answers `InvalidArgument`. */
export class KnobError extends Error {
  override readonly name = "KnobError";
}

const DURATION_UNITS_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses a Go-style duration (`"1.5s"`, `"1m30s"`, `"250ms"`) into nanoseconds. */
export function parseDurationNs(text: string): bigint {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== trimmed) {
    throw new KnobError(`not a duration: "${text}" (use e.g. "3s", "500ms", "1m30s")`);
  }
  let total = 0;
  for (const [, amount, unit] of parts) {
    total += Number(amount) * (DURATION_UNITS_NS[unit ?? "s"] ?? 0);
  }
  return BigInt(Math.round(total));
}

function parseExitCode(text: string, key: string): number {
  if (!/^\d{1,3}$/.test(text.trim()) || Number(text) > 255) {
    throw new KnobError(`${key} must be an exit code from 0 to 255, not "${text}"`);
  }
  return Number(text);
}

/**
 * Looks a knob up: the container's own annotation first, then the pod's
 * annotation for this container (`<knob>.<container name>`), then the pod's
 * annotation for all its containers. Kubelets copy pod annotations to the
 * sandbox, not to containers, so the pod-level forms are the ones a user
 * sets on a Pod.
 */
export function lookupKnob(
  key: string,
  containerName: string,
  containerAnnotations: Readonly<Record<string, string>>,
  podAnnotations: Readonly<Record<string, string>>,
): string | undefined {
  return (
    containerAnnotations[key] ?? podAnnotations[`${key}.${containerName}`] ?? podAnnotations[key]
  );
}

/**
 * Decides a container's behaviour from its knobs and command; the knobs
 * win over the command. Throws {@link KnobError} for unreadable values.
 */
export function containerBehaviour(
  input: {
    containerName: string;
    argv: readonly string[];
    containerAnnotations: Readonly<Record<string, string>>;
    podAnnotations: Readonly<Record<string, string>>;
  },
  defaultExec: ExecResult = DEFAULT_EXEC_RESULT,
): ContainerBehaviour {
  const knob = (key: string) =>
    lookupKnob(key, input.containerName, input.containerAnnotations, input.podAnnotations);
  const exitAfter = knob(KNOBS.exitAfter);
  const exitCode = knob(KNOBS.exitCode);
  const stopExitCode = knob(KNOBS.stopExitCode);
  const execExitCode = knob(KNOBS.execExitCode);
  const fromCommand = commandEffect(input.argv);
  const knobbed = exitAfter !== undefined || exitCode !== undefined;
  return {
    exitAfterNs: knobbed
      ? exitAfter === undefined
        ? 0n
        : parseDurationNs(exitAfter)
      : fromCommand.exitAfterNs,
    exitCode: knobbed
      ? exitCode === undefined
        ? 0
        : parseExitCode(exitCode, KNOBS.exitCode)
      : fromCommand.exitCode,
    stopExitCode:
      stopExitCode === undefined
        ? DEFAULT_STOP_EXIT_CODE
        : parseExitCode(stopExitCode, KNOBS.stopExitCode),
    exec: {
      exitCode:
        execExitCode === undefined
          ? defaultExec.exitCode
          : parseExitCode(execExitCode, KNOBS.execExitCode),
      stdout: knob(KNOBS.execStdout) ?? defaultExec.stdout,
      stderr: knob(KNOBS.execStderr) ?? defaultExec.stderr,
    },
  };
}

/**
 * ExecSync's answer for `cmd` in a container with `behaviour`: a command the
 * simulation recognises (`true`, `false`, `sh -c "exit N"`) gives its own
 * exit code with no output; anything else gives the container's configured
 * exec result.
 */
export function execResult(cmd: readonly string[], behaviour: ContainerBehaviour): ExecResult {
  const effect = commandEffect(cmd);
  if (effect.exitAfterNs !== undefined)
    return { exitCode: effect.exitCode, stdout: "", stderr: "" };
  return behaviour.exec;
}
