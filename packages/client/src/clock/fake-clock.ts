import type { Clock, TimerHandle } from "./clock.js";

interface FakeTimer extends TimerHandle {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A {@link Clock} whose time only moves when a test says so. Timers fire in
 * due-time order (ties in creation order) with `now()` set to their due time.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Set<FakeTimer>();

  /** Starts at `start` ms since the epoch (default: 2024-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2024, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = {
      __timer: true,
      due: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      callback,
    };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as FakeTimer);
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Due time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    return this.#earliest()?.due;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way
   * (including timers those callbacks start). Synchronous: promise callbacks
   * run only after it returns; use {@link advance} for async code.
   */
  step(ms: number): void {
    const target = this.#now + ms;
    for (let timer = this.#earliest(); timer && timer.due <= target; timer = this.#earliest()) {
      this.#fire(timer);
    }
    this.#now = target;
  }

  /**
   * Like {@link step}, but lets pending promise callbacks run before and after
   * each timer, so async loops driven by this clock make progress as they
   * would in real time.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let timer = this.#earliest(); timer && timer.due <= target; timer = this.#earliest()) {
      this.#fire(timer);
      await settle();
    }
    this.#now = target;
    await settle();
  }

  #fire(timer: FakeTimer): void {
    this.#timers.delete(timer);
    this.#now = Math.max(this.#now, timer.due);
    timer.callback();
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.#timers) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) {
        best = timer;
      }
    }
    return best;
  }
}

/**
 * Lets queued promise callbacks run: a few macrotask turns, which drain the
 * microtask queue each time, enough for chains of awaits several deep.
 */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
