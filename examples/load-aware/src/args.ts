/**
 * LoadAware's args, as written under pluginConfig in a
 * KubeSchedulerConfiguration, checked with errors that name the field.
 */

/** The annotation read when args name none. */
export const DEFAULT_ANNOTATION = "kubekit.dev/cpu-utilization";

/** LoadAware's settings. */
export interface LoadAwareArgs {
  /** Nodes at or above this utilisation (0..1) score 0 (default 0.8). */
  threshold: number;
  /** The node annotation holding utilisation as a decimal in [0, 1]. */
  annotation: string;
  /** Utilisation assumed for nodes without the annotation (default 0.5: neither preferred nor avoided). */
  missingUtilization: number;
}

function fraction(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    throw new Error(`${field}: Invalid value: ${JSON.stringify(v)}: must be a number in [0, 1]`);
  }
  return v;
}

/** Defaults and validates the args; throws naming the bad field. */
export function parseLoadAwareArgs(raw: unknown): LoadAwareArgs {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o !== "object" || Array.isArray(o)) throw new Error("args: must be an object");
  for (const key of Object.keys(o)) {
    if (!["threshold", "annotation", "missingUtilization"].includes(key)) {
      throw new Error(`${key}: unknown field`);
    }
  }
  if (o.annotation !== undefined && (typeof o.annotation !== "string" || o.annotation === "")) {
    throw new Error("annotation: Invalid value: must be a non-empty string");
  }
  return {
    threshold: fraction(o.threshold, "threshold", 0.8),
    annotation: (o.annotation as string | undefined) ?? DEFAULT_ANNOTATION,
    missingUtilization: fraction(o.missingUtilization, "missingUtilization", 0.5),
  };
}
