import { Cron } from "croner";

/** The macros upstream's standard cron parser accepts, as their 5-field equivalents. */
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** A parsed schedule: the times it fires. */
export interface Schedule {
  /** The first firing strictly after `after` (ms), if any. */
  next(after: number): number | undefined;
}

/** Why a schedule or time zone was refused. */
export type ScheduleResult =
  | { ok: true; schedule: Schedule }
  | { ok: false; reason: "UnparseableSchedule" | "UnknownTimeZone"; message: string };

function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a CronJob schedule as upstream does: five fields (minute, hour,
 * day of month, month, day of week, with Vixie cron's rule that a
 * restricted day of month and day of week match either) or one of the
 * macros, evaluated in `timeZone` (an IANA name; UTC when absent, as the
 * controller-manager's own zone would be in a container).
 */
export function parseSchedule(text: string, timeZone?: string): ScheduleResult {
  const trimmed = text.trim();
  if (timeZone !== undefined && !knownTimeZone(timeZone)) {
    return {
      ok: false,
      reason: "UnknownTimeZone",
      message: `invalid timeZone: ${JSON.stringify(timeZone)}`,
    };
  }
  const expression = trimmed.startsWith("@") ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (expression?.split(/\s+/).length !== 5) {
    return {
      ok: false,
      reason: "UnparseableSchedule",
      message: `unparseable schedule: ${JSON.stringify(text)} : expected exactly 5 fields, found ${trimmed.split(/\s+/).length}: [${trimmed}]`,
    };
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: timeZone ?? "UTC", legacyMode: true });
  } catch (err) {
    return {
      ok: false,
      reason: "UnparseableSchedule",
      message: `unparseable schedule: ${JSON.stringify(text)} : ${(err as Error).message}`,
    };
  }
  return {
    ok: true,
    schedule: {
      next(after: number): number | undefined {
        return cron.nextRun(new Date(after))?.getTime();
      },
    },
  };
}

/** The firings of `schedule` in (earliest, now]: the most recent one and how many there were (counting stops past 100). */
export function missedRuns(
  schedule: Schedule,
  earliest: number,
  now: number,
): { mostRecent?: number; count: number } {
  let count = 0;
  let mostRecent: number | undefined;
  let t = schedule.next(earliest);
  // Bounded: past 100 missed runs upstream only warns, and we only need the latest.
  while (t !== undefined && t <= now && count <= 100) {
    mostRecent = t;
    count++;
    t = schedule.next(t);
  }
  if (count > 100 && t !== undefined && t <= now) {
    // Too many to walk: find the latest run by looking back from now in doubling windows.
    for (let window = 60_000; window <= now - earliest; window *= 2) {
      let n = schedule.next(now - window);
      if (n === undefined || n > now) continue;
      // The window holds at most about twice as many runs as the one before, which held none.
      for (let i = 0; i < 100_000 && n !== undefined && n <= now; i++) {
        mostRecent = n;
        n = schedule.next(n);
      }
      break;
    }
  }
  return mostRecent === undefined ? { count } : { mostRecent, count };
}
