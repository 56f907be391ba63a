import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Container, Pod } from "../api/types.js";
import { DEFAULT_TERMINATION_MESSAGE_PATH } from "../cri/container-config.js";

/** Most of a termination message file the kubelet reads. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
/** With FallbackToLogsOnError: at most this many trailing log lines… */
export const FALLBACK_LOG_LINES = 80;
/** …and at most this many bytes of them. */
export const FALLBACK_LOG_BYTES = 2048;

/** `<podsDir>/<uid>/containers/<name>/<restartCount>`: the host file behind a container's termination message path. */
export function terminationMessageFile(
  podsDir: string,
  pod: Pod,
  containerName: string,
  restartCount: number,
): string {
  return join(podsDir, pod.metadata.uid, "containers", containerName, String(restartCount));
}

/** Where the container writes its message, or undefined when it opted out with an empty path. */
export function terminationMessagePath(container: Container): string | undefined {
  const path = container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH;
  return path === "" ? undefined : path;
}

/** Creates the empty, world-writable file to mount at the termination message path. */
export async function createTerminationMessageFile(file: string): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, "", { mode: 0o666 });
}

async function readHead(file: string, max: number): Promise<string> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return "";
  try {
    const buffer = Buffer.alloc(max);
    const { bytesRead } = await handle.read(buffer, 0, max, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

async function readTail(file: string, max: number): Promise<string> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return "";
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, max);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * The payload lines of a CRI log file (`<time> <stream> <P|F> <text>`),
 * joining partial lines, keeping the last `maxLines`.
 */
export function criLogTail(log: string, maxLines: number): string {
  const lines: string[] = [];
  let partial = "";
  for (const line of log.split("\n")) {
    const match = /^\S+ (?:stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (!match) continue;
    const [, tag, text = ""] = match;
    if (tag === "P") partial += text;
    else {
      lines.push(partial + text);
      partial = "";
    }
  }
  return lines
    .slice(-maxLines)
    .map((line) => `${line}\n`)
    .join("");
}

/**
 * A finished container's termination message: the file it wrote, or with
 * `FallbackToLogsOnError` and a failing exit, the tail of its log.
 */
export async function readTerminationMessage(
  container: Container,
  messageFile: string,
  logFile: string,
  exitCode: number,
): Promise<string> {
  const written = terminationMessagePath(container)
    ? await readHead(messageFile, MAX_TERMINATION_MESSAGE_BYTES)
    : "";
  if (written !== "" || exitCode === 0) return written;
  if (container.terminationMessagePolicy !== "FallbackToLogsOnError") return "";
  // Read generously: the CRI prefix per line is not counted against the limit.
  const tail = criLogTail(await readTail(logFile, FALLBACK_LOG_BYTES * 4), FALLBACK_LOG_LINES);
  return Buffer.from(tail).subarray(-FALLBACK_LOG_BYTES).toString("utf8");
}
