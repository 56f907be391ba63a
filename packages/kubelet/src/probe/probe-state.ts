import type { Probe } from "../api/types.js";

/** Which probe: each has its own initial verdict and consequence. */
export type ProbeKind = "liveness" | "readiness" | "startup";

/** A probe's verdict; `unknown` only before a startup probe has decided. */
export type ProbeResult = "success" | "failure" | "unknown";

/** A probe's timing and thresholds, in milliseconds, with the API's defaults applied. */
export interface ProbeSettings {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/**
 * A probe's settings with the API's defaults: period 10 s, timeout 1 s,
 * success threshold 1, failure threshold 3, no initial delay.
 */
export function probeSettings(probe: Probe): ProbeSettings {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds || 10) * 1000,
    timeoutMs: (probe.timeoutSeconds || 1) * 1000,
    successThreshold: probe.successThreshold || 1,
    failureThreshold: probe.failureThreshold || 3,
  };
}

/** The verdict a probe holds before its first decision. */
export function initialResult(kind: ProbeKind): ProbeResult {
  if (kind === "liveness") return "success";
  if (kind === "readiness") return "failure";
  return "unknown";
}

/**
 * One probe of one container instance: when it is due, and its verdict.
 * Pure: the caller runs the probe and reports results with the time.
 * The verdict flips only after `successThreshold` consecutive successes or
 * `failureThreshold` consecutive failures, as upstream's prober counts them.
 */
export class ProbeState {
  /** The current verdict. */
  result: ProbeResult;
  private lastRun: number | undefined;
  private lastObserved: ProbeResult | undefined;
  private run = 0;

  constructor(
    readonly kind: ProbeKind,
    readonly settings: ProbeSettings,
  ) {
    this.result = initialResult(kind);
  }

  /**
   * Whether the probe should run at `now` for a container that started at
   * `startedAt`: not before the initial delay, then once a period.
   */
  due(now: number, startedAt: number): boolean {
    if (now - startedAt < this.settings.initialDelayMs) return false;
    return this.lastRun === undefined || now - this.lastRun >= this.settings.periodMs;
  }

  /** Records one probe run's outcome at `now`; returns whether the verdict changed. */
  observe(outcome: "success" | "failure", now: number): boolean {
    this.lastRun = now;
    this.run = this.lastObserved === outcome ? this.run + 1 : 1;
    this.lastObserved = outcome;
    const threshold =
      outcome === "success" ? this.settings.successThreshold : this.settings.failureThreshold;
    if (this.run < threshold || this.result === outcome) return false;
    this.result = outcome;
    return true;
  }
}
