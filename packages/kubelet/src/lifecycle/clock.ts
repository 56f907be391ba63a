/** The kubelet's source of time, injected so cores are deterministic under test. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** A clock that moves only when told: for deterministic tests. */
export class FakeClock implements Clock {
  constructor(private current = 0) {}
  /** The current fake time. */
  now(): number {
    return this.current;
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
}
