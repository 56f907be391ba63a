import type { LogLine } from "./cri-log.js";
import type { ContainerLogOptions } from "./log-options.js";

/**
 * The lines of an existing log to send first: the last `tailLines` of
 * them (0 sends none), then only those written at or after `since`, in
 * upstream's order (tail is found in the file, `since` filters what is
 * read from there).
 */
export function selectInitialLines(
  lines: readonly LogLine[],
  options: Pick<ContainerLogOptions, "tailLines" | "sinceMs">,
): LogLine[] {
  const tailed =
    options.tailLines === undefined
      ? lines
      : lines.slice(Math.max(0, lines.length - options.tailLines));
  return options.tailLines === 0 ? [] : tailed.filter((line) => passesSince(line, options));
}

/** Whether a line is not older than `since`. */
export function passesSince(line: LogLine, options: Pick<ContainerLogOptions, "sinceMs">): boolean {
  return options.sinceMs === undefined || line.timeMs >= options.sinceMs;
}

/** A line as the client gets it: optionally the runtime's timestamp and a space, then the content and a newline. */
export function formatLogLine(line: LogLine, timestamps: boolean): Buffer {
  const prefix = timestamps ? Buffer.from(`${line.timestamp} `, "latin1") : Buffer.alloc(0);
  return Buffer.concat([prefix, line.content, Buffer.from("\n")]);
}

/**
 * Counts output bytes against `limitBytes`: `take` returns what may still
 * be written of a chunk (cut mid-line at the limit, as upstream's
 * LimitedWriter does), `done` tells when nothing more may be.
 */
export class ByteBudget {
  private left: number;

  constructor(limit: number | undefined) {
    this.left = limit ?? Number.POSITIVE_INFINITY;
  }

  take(chunk: Buffer): Buffer {
    if (chunk.length <= this.left) {
      this.left -= chunk.length;
      return chunk;
    }
    const cut = chunk.subarray(0, this.left);
    this.left = 0;
    return cut;
  }

  get done(): boolean {
    return this.left <= 0;
  }
}
