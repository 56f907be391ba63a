import { describe, expect, it } from "vitest";
import {
  commandEffect,
  DEFAULT_STOP_EXIT_CODE,
  KNOBS,
  KnobError,
  parseDurationNs,
} from "../src/index.js";
import { containerBehaviour, execResult, lookupKnob } from "../src/state/behaviour.js";

describe("parseDurationNs", () => {
  it("reads Go-style durations", () => {
    expect(parseDurationNs("3s")).toBe(3_000_000_000n);
    expect(parseDurationNs("250ms")).toBe(250_000_000n);
    expect(parseDurationNs("1m30s")).toBe(90_000_000_000n);
    expect(parseDurationNs("1.5h")).toBe(5_400_000_000_000n);
    expect(parseDurationNs("7ns")).toBe(7n);
  });

  it("refuses anything else", () => {
    for (const bad of ["", "3", "s", "3 s", "3sec", "-1s", "1s junk"]) {
      expect(() => parseDurationNs(bad), bad).toThrow(KnobError);
    }
  });
});

describe("commandEffect", () => {
  it("runs unknown commands forever", () => {
    expect(commandEffect(["nginx", "-g", "daemon off;"]).exitAfterNs).toBeUndefined();
    expect(commandEffect([]).exitAfterNs).toBeUndefined();
    expect(commandEffect(["sleep", "infinity"]).exitAfterNs).toBeUndefined();
    expect(commandEffect(["sh", "-c", "while true; do sleep 1; done"]).exitAfterNs).toBeUndefined();
    expect(commandEffect(["sh"]).exitAfterNs).toBeUndefined();
  });

  it("exits at once for true, false and a shell's exit", () => {
    expect(commandEffect(["true"])).toEqual({ exitAfterNs: 0n, exitCode: 0 });
    expect(commandEffect(["/bin/false"])).toEqual({ exitAfterNs: 0n, exitCode: 1 });
    expect(commandEffect(["sh", "-c", "exit 3"])).toEqual({ exitAfterNs: 0n, exitCode: 3 });
    expect(commandEffect(["/bin/bash", "-c", "  exit 42 "])).toEqual({
      exitAfterNs: 0n,
      exitCode: 42,
    });
  });

  it("exits after a sleep, with the code that follows it", () => {
    expect(commandEffect(["sleep", "2"])).toEqual({ exitAfterNs: 2_000_000_000n, exitCode: 0 });
    expect(commandEffect(["sh", "-c", "sleep 1.5; exit 7"])).toEqual({
      exitAfterNs: 1_500_000_000n,
      exitCode: 7,
    });
    expect(commandEffect(["sh", "-c", "sleep 1 && sleep 2"])).toEqual({
      exitAfterNs: 3_000_000_000n,
      exitCode: 0,
    });
  });

  it("follows the shell's rules for ; and && and the last status", () => {
    expect(commandEffect(["sh", "-c", "false; exit 3"])).toEqual({ exitAfterNs: 0n, exitCode: 3 });
    expect(commandEffect(["sh", "-c", "false && exit 3"])).toEqual({
      exitAfterNs: 0n,
      exitCode: 1,
    });
    expect(commandEffect(["sh", "-c", "sleep 1; false"])).toEqual({
      exitAfterNs: 1_000_000_000n,
      exitCode: 1,
    });
    expect(commandEffect(["sh", "-c", "exit 2; sleep 5"])).toEqual({
      exitAfterNs: 0n,
      exitCode: 2,
    });
  });
});

describe("knobs", () => {
  it("prefer the container's annotation, then the pod's per-container one, then the pod's", () => {
    const pod = { [KNOBS.exitCode]: "1", [`${KNOBS.exitCode}.web`]: "2" };
    expect(lookupKnob(KNOBS.exitCode, "web", { [KNOBS.exitCode]: "3" }, pod)).toBe("3");
    expect(lookupKnob(KNOBS.exitCode, "web", {}, pod)).toBe("2");
    expect(lookupKnob(KNOBS.exitCode, "sidecar", {}, pod)).toBe("1");
    expect(lookupKnob(KNOBS.exitCode, "sidecar", {}, {})).toBeUndefined();
  });

  it("win over the command", () => {
    const behaviour = containerBehaviour({
      containerName: "c",
      argv: ["sh", "-c", "exit 9"],
      containerAnnotations: { [KNOBS.exitAfter]: "5s" },
      podAnnotations: {},
    });
    expect(behaviour.exitAfterNs).toBe(5_000_000_000n);
    expect(behaviour.exitCode).toBe(0);
    expect(behaviour.stopExitCode).toBe(DEFAULT_STOP_EXIT_CODE);
  });

  it("set exec results, which a recognised exec command overrides", () => {
    const behaviour = containerBehaviour({
      containerName: "c",
      argv: [],
      containerAnnotations: {},
      podAnnotations: { [KNOBS.execExitCode]: "4", [KNOBS.execStdout]: "out" },
    });
    expect(execResult(["cat", "/tmp/healthy"], behaviour)).toEqual({
      exitCode: 4,
      stdout: "out",
      stderr: "",
    });
    expect(execResult(["sh", "-c", "exit 0"], behaviour).exitCode).toBe(0);
  });

  it("refuse unreadable values", () => {
    const input = (annotations: Record<string, string>) => ({
      containerName: "c",
      argv: [],
      containerAnnotations: annotations,
      podAnnotations: {},
    });
    expect(() => containerBehaviour(input({ [KNOBS.exitCode]: "256" }))).toThrow(KnobError);
    expect(() => containerBehaviour(input({ [KNOBS.exitAfter]: "soon" }))).toThrow(KnobError);
    expect(() => containerBehaviour(input({ [KNOBS.stopExitCode]: "-1" }))).toThrow(KnobError);
  });
});
