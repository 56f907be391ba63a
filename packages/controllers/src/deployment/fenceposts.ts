import type { Deployment, IntOrString } from "../common/types.js";

/**
 * An int-or-percent against `total`, as upstream's
 * GetScaledValueFromIntOrPercent: a number as is; `"N%"` as N% of total,
 * rounded up or down. Throws on anything else (validation refuses it).
 */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new Error(`invalid value for IntOrString: "${value}"`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** Whether the deployment rolls (the default) rather than recreates. */
export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/** spec.replicas, defaulting to 1 as the apiserver does. */
export function desiredReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/**
 * maxSurge rounded up and maxUnavailable rounded down against
 * spec.replicas (both default 25%); if both come to 0, maxUnavailable
 * is 1 so the rollout can move (upstream's ResolveFenceposts).
 */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const desired = desiredReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge ?? "25%", desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? "25%", desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** How many pods may exist above spec.replicas (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

/** How many of spec.replicas may be unavailable (0 for Recreate; at most spec.replicas). */
export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, desired);
}
