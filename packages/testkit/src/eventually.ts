/**
 * Polls `probe` until it returns something other than `undefined`, and
 * returns that; errors thrown by the probe count as "not yet". Gives up
 * after `timeoutMs` with an error naming `what` and the last error seen, so
 * a condition that never comes fails the test instead of hanging it.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError === undefined ? "" : `: ${String(lastError)}`}`,
  );
}
