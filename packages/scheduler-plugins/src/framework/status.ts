/**
 * The outcome of running a plugin, as a value rather than an exception:
 * a code, human-readable reasons (they end up in FailedScheduling events) and
 * the plugin that produced it.
 */

/** Status codes, with the meanings of upstream's framework.Code. */
export const Code = {
  /** The plugin ran and the pod may proceed. */
  Success: 0,
  /** An internal failure; the pod is retried with backoff. */
  Error: 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable: 2,
  /** The pod does not fit and preemption would not help. */
  UnschedulableAndUnresolvable: 3,
  /** Permit only: hold the pod until allowed, rejected or timed out. */
  Wait: 4,
  /** The plugin has nothing to do for this pod; its later points are skipped. */
  Skip: 5,
  /** The pod waits for something outside the scheduler (not a scheduling failure). */
  Pending: 6,
} as const;

/** One of the {@link Code} values. */
export type Code = (typeof Code)[keyof typeof Code];

const CODE_NAMES: Record<Code, string> = {
  0: "Success",
  1: "Error",
  2: "Unschedulable",
  3: "UnschedulableAndUnresolvable",
  4: "Wait",
  5: "Skip",
  6: "Pending",
};

// Shared by every status built without reasons: Success is returned once per plugin per node.
const NO_REASONS: readonly string[] = Object.freeze([]);

/** A plugin's verdict: an immutable code with reasons. */
export class Status {
  /** The plugin that returned this status, filled in by the framework. */
  plugin = "";

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = NO_REASONS,
    /** The underlying error for {@link Code.Error}. */
    readonly cause?: unknown,
  ) {}

  /** True for Success (a missing status counts as success too). */
  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  /** True for Skip. */
  isSkip(): boolean {
    return this.code === Code.Skip;
  }

  /** True for Wait. */
  isWait(): boolean {
    return this.code === Code.Wait;
  }

  /** True for Unschedulable and UnschedulableAndUnresolvable: the pod was rejected, not failed. */
  isRejected(): boolean {
    return (
      this.code === Code.Unschedulable ||
      this.code === Code.UnschedulableAndUnresolvable ||
      this.code === Code.Pending
    );
  }

  /** The reasons joined as upstream's Status.Message() does. */
  message(): string {
    return this.reasons.join(", ");
  }

  /** Records the plugin that produced this status and returns it. */
  withPlugin(plugin: string): this {
    this.plugin = plugin;
    return this;
  }

  /** The code's name, e.g. "Unschedulable". */
  codeName(): string {
    return CODE_NAMES[this.code];
  }

  /** For logs and test failures. */
  toString(): string {
    return `${this.codeName()}${this.reasons.length ? `: ${this.message()}` : ""}`;
  }
}

/** A fresh Success status. */
export function success(): Status {
  return new Status(Code.Success);
}

/** Shorthand for `new Status(code, reasons)`. */
export function status(code: Code, ...reasons: string[]): Status {
  return new Status(code, reasons);
}

/** An Error status wrapping a thrown value. */
export function asStatus(error: unknown): Status {
  const message = error instanceof Error ? error.message : String(error);
  return new Status(Code.Error, [message], error);
}
