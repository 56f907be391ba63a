import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Retries a request that failed as etcd clients retry: on Unavailable (no
 * leader, request timed out while an election moved leadership) and on a
 * deadline. A loaded CI machine can trigger elections; a write dropped by
 * one is not acknowledged, so trying it again is what a client does.
 */
export async function withRetries<T>(request: () => Promise<T>, attempts = 5): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await request();
    } catch (error) {
      lastError = error;
      const code = error instanceof ConnectError ? error.code : undefined;
      if (code !== Code.Unavailable && code !== Code.DeadlineExceeded) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
  }
  throw lastError;
}
