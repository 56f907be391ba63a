import type { Clock, TimerHandle } from "../clock/clock.js";
import { WorkQueue } from "./queue.js";

/**
 * A {@link WorkQueue} that can also add an item after a delay, measured on
 * an injected {@link Clock}. An item already waiting keeps the earlier of its
 * two ready times. One timer is armed at a time, for the earliest item.
 */
export class DelayingQueue<T> extends WorkQueue<T> {
  readonly #clock: Clock;
  /** Item → the time (ms since epoch) it becomes ready. */
  readonly #waiting = new Map<T, number>();
  #timer: TimerHandle | undefined;
  #timerDue = Number.POSITIVE_INFINITY;

  constructor(clock: Clock) {
    super();
    this.#clock = clock;
  }

  /** Adds `item` once `delayMs` has passed; at once if `delayMs <= 0`. Dropped after shutdown. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) {
      return;
    }
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.#clock.now() + delayMs;
    const existing = this.#waiting.get(item);
    if (existing !== undefined && existing <= readyAt) {
      return;
    }
    this.#waiting.set(item, readyAt);
    if (readyAt < this.#timerDue) {
      this.#arm(readyAt);
    }
  }

  /** Number of items waiting for their delay to pass. */
  waitingLen(): number {
    return this.#waiting.size;
  }

  protected override onShutDown(): void {
    if (this.#timer) {
      this.#clock.clearTimeout(this.#timer);
    }
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    this.#waiting.clear();
  }

  #arm(due: number): void {
    if (this.#timer) {
      this.#clock.clearTimeout(this.#timer);
    }
    this.#timerDue = due;
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), due - this.#clock.now());
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    let next = Number.POSITIVE_INFINITY;
    const ready: Array<[T, number]> = [];
    for (const [item, readyAt] of this.#waiting) {
      if (readyAt <= now) {
        ready.push([item, readyAt]);
      } else if (readyAt < next) {
        next = readyAt;
      }
    }
    // Add in ready-time order so earlier deadlines are served first.
    ready.sort((a, b) => a[1] - b[1]);
    for (const [item] of ready) {
      this.#waiting.delete(item);
      this.add(item);
    }
    if (next !== Number.POSITIVE_INFINITY && !this.shuttingDown()) {
      this.#arm(next);
    }
  }
}
