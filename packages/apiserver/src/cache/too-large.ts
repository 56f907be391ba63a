import { failure, type Status } from "../errors/status.js";

/**
 * 504 Timeout for a resourceVersion the cache did not reach in time, as
 * upstream's `NewTooLargeResourceVersionError`: clients retry after a
 * second.
 */
export function tooLargeResourceVersion(requested: number, current: number): Status {
  return failure(
    504,
    "Timeout",
    `Timeout: Too large resource version: ${requested}, current: ${current}`,
    {
      causes: [
        {
          reason: "ResourceVersionTooLarge",
          message: "Too large resource version",
        },
      ],
      retryAfterSeconds: 1,
    },
  );
}
