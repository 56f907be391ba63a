import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { StatusError } from "../../src/errors/status-error.js";
import { retryOnConflict } from "../../src/util/retry.js";

const conflict = (): StatusError => new StatusError({ reason: "Conflict", code: 409 });

describe("retryOnConflict", () => {
  it("re-runs on 409 after the backoff and returns the first success", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const result = retryOnConflict(
      async () => {
        calls++;
        if (calls < 3) throw conflict();
        return "updated";
      },
      { clock, random: () => 0 },
    );
    await clock.advance(0);
    expect(calls).toBe(1);
    await clock.advance(10);
    expect(calls).toBe(2);
    await clock.advance(10);
    expect(await result).toBe("updated");
  });

  it("throws other errors at once and the last conflict after the last step", async () => {
    const clock = new FakeClock();
    await expect(
      retryOnConflict(
        async () => {
          throw new Error("boom");
        },
        { clock },
      ),
    ).rejects.toThrow("boom");
    let calls = 0;
    const giveUp = retryOnConflict(
      async () => {
        calls++;
        throw conflict();
      },
      { clock, random: () => 0, backoff: { steps: 3, durationMs: 10, factor: 2, jitter: 0 } },
    ).catch((e: unknown) => e);
    await clock.advance(10 + 20);
    expect(await giveUp).toBeInstanceOf(StatusError);
    expect(calls).toBe(3);
  });
});
