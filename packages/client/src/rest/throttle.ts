import { type Clock, sleep } from "../clock/clock.js";

/**
 * Client-side request throttle: a token bucket of `burst` requests refilled
 * at `qps` per second, on an injected clock. Each request reserves a token
 * and waits until it is due, so bursts are smoothed rather than refused.
 */
export class RequestThrottle {
  #tokens: number;
  #last: number;

  constructor(
    readonly clock: Clock,
    readonly qps: number,
    readonly burst: number,
  ) {
    if (!(qps > 0) || !(burst >= 1)) {
      throw new Error("RequestThrottle: qps must be > 0 and burst >= 1");
    }
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** The delay (ms) a request made now must wait; reserves its token. */
  reserve(): number {
    const now = this.clock.now();
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + (Math.max(0, now - this.#last) / 1000) * this.qps,
    );
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.qps) * 1000);
  }

  /** Waits for a token (rejects if `signal` aborts meanwhile). */
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.reserve();
    if (delay > 0) {
      await sleep(this.clock, delay, signal);
    }
  }
}

/** An AbortSignal that fires after `ms` on `clock`, and a way to disarm it. */
export function clockTimeout(
  clock: Clock,
  ms: number,
  reason: string,
): { signal: AbortSignal; cancel(): void } {
  const controller = new AbortController();
  const handle = clock.setTimeout(() => controller.abort(new Error(reason)), ms);
  return { signal: controller.signal, cancel: () => clock.clearTimeout(handle) };
}
