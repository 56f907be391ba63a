import { randomBytes } from "node:crypto";

/** Where the simulated runtime reads time: nanoseconds since the Unix epoch. */
export interface Clock {
  nowNs(): bigint;
}

/** Where the simulated runtime draws randomness (container and sandbox IDs). */
export type RandomBytes = (length: number) => Uint8Array;

/** The wall clock, with the sub-millisecond part from the monotonic timer. */
export const systemClock: Clock = {
  nowNs() {
    const ms = performance.timeOrigin + performance.now();
    return BigInt(Math.floor(ms * 1_000_000));
  },
};

/** Cryptographic randomness from node:crypto. */
export const systemRandom: RandomBytes = (length) => randomBytes(length);

/**
 * A clock that moves only when told to: for tests and for simulations that
 * run faster (or slower) than real time.
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ns` nanoseconds. */
  advance(ns: bigint): void;
  /** Sets the clock to `ns` nanoseconds since the epoch. */
  set(ns: bigint): void;
}

/** Creates a {@link ManualClock} that starts at `startNs`. */
export function createManualClock(startNs = 1_700_000_000_000_000_000n): ManualClock {
  let now = startNs;
  return {
    nowNs: () => now,
    advance(ns) {
      if (ns < 0n) throw new RangeError("a clock cannot go backwards");
      now += ns;
    },
    set(ns) {
      now = ns;
    },
  };
}
