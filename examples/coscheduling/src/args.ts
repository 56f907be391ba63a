/** Coscheduling's args under pluginConfig, checked with errors that name the field. */

/** Coscheduling's settings. */
export interface CoschedulingArgs {
  /** How long members wait at Permit for the rest of their group, unless the PodGroup says (default 60, as upstream). */
  permitWaitingTimeSeconds: number;
}

/** Defaults and validates the args; throws naming the bad field. */
export function parseCoschedulingArgs(raw: unknown): CoschedulingArgs {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o !== "object" || Array.isArray(o)) throw new Error("args: must be an object");
  for (const key of Object.keys(o)) {
    if (key !== "permitWaitingTimeSeconds") throw new Error(`${key}: unknown field`);
  }
  const t = o.permitWaitingTimeSeconds ?? 60;
  if (typeof t !== "number" || !Number.isInteger(t) || t <= 0) {
    throw new Error(
      `permitWaitingTimeSeconds: Invalid value: ${JSON.stringify(t)}: must be a positive integer`,
    );
  }
  return { permitWaitingTimeSeconds: t };
}
