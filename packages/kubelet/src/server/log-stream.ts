import { type FSWatcher, watch } from "node:fs";
import { open } from "node:fs/promises";
import { CriLogDecoder, type LogLine } from "./cri-log.js";
import type { ContainerLogOptions } from "./log-options.js";
import { ByteBudget, formatLogLine, passesSince, selectInitialLines } from "./log-selection.js";

/** What {@link streamContainerLog} reads and where it writes. */
export interface LogStreamTarget {
  /** The CRI log file. */
  readonly path: string;
  readonly options: ContainerLogOptions;
  /** Writes a chunk to the client; resolves once it may take more. */
  write(chunk: Buffer): Promise<void>;
  /** Whether the container may still write (follow ends once it may not and the file is drained). */
  stillWriting(): Promise<boolean>;
  /** Aborted when the client goes. */
  readonly signal: AbortSignal;
  /** How often a follow looks at the file when no change event came, ms (default 500). */
  readonly pollMs?: number;
  /** Called once the file is open, before anything is written (a follow answers at once). */
  opened?(): void;
}

const CHUNK = 64 * 1024;

/**
 * Sends a container's log: the existing lines (tail, since, limit
 * applied), then with `follow` every line appended after, until the
 * container has exited and the file is drained, the byte limit is reached,
 * or the client goes. The file is watched for changes and polled as a
 * fallback, since a change event can be missed (and is never sent on some
 * file systems).
 */
export async function streamContainerLog(target: LogStreamTarget): Promise<void> {
  const { options, signal } = target;
  const file = await open(target.path, "r");
  target.opened?.();
  const decoder = new CriLogDecoder();
  const budget = new ByteBudget(options.limitBytes);
  let offset = 0;
  const buffer = Buffer.alloc(CHUNK);
  const readNew = async (): Promise<LogLine[]> => {
    const lines: LogLine[] = [];
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, offset);
      if (bytesRead === 0) return lines;
      offset += bytesRead;
      lines.push(...decoder.push(buffer.subarray(0, bytesRead)));
    }
  };
  const send = async (lines: readonly LogLine[]): Promise<void> => {
    for (const line of lines) {
      if (budget.done || signal.aborted) return;
      await target.write(budget.take(formatLogLine(line, options.timestamps)));
    }
  };

  let watcher: FSWatcher | undefined;
  try {
    const existing = await readNew();
    if (!options.follow) {
      await send(selectInitialLines([...existing, ...decoder.flush()], options));
      return;
    }
    await send(selectInitialLines(existing, options));
    let wake: (() => void) | undefined;
    watcher = watch(target.path, () => wake?.());
    watcher.on("error", () => {}); // the poll carries on without it
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!budget.done && !signal.aborted) {
        const running = await target.stillWriting();
        // Read after asking: an exit seen above means everything is on disk now.
        const lines = await readNew();
        await send(lines.filter((line) => passesSince(line, options)));
        if (!running) {
          await send(decoder.flush().filter((line) => passesSince(line, options)));
          return;
        }
        if (lines.length > 0) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, target.pollMs ?? 500);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  } finally {
    watcher?.close();
    await file.close();
  }
}
