import type { KubeObject, WatchEvent } from "../meta/types.js";

/** Largest line accepted from a stream, so a broken server cannot exhaust memory. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into JSON values, one per line, however the chunks
 * cut the lines (and multi-byte characters). Blank lines are skipped; a
 * final line without a newline is still decoded.
 */
export async function* decodeNdjson(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffered = "";
  for await (const chunk of chunks) {
    buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== "") {
        yield parseLine(line);
      }
      newline = buffered.indexOf("\n");
    }
    if (buffered.length > MAX_LINE_BYTES) {
      throw new Error(`watch stream: a line exceeds ${MAX_LINE_BYTES} bytes`);
    }
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") {
    yield parseLine(buffered);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    throw new Error(`watch stream: not JSON: ${line.slice(0, 200)}`, { cause: err });
  }
}

const EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/** Checks that a decoded value is a watch event (`{type, object}`) and narrows it. */
export function toWatchEvent<T extends KubeObject>(value: unknown): WatchEvent<T> {
  if (typeof value !== "object" || value === null) {
    throw new Error("watch stream: event is not an object");
  }
  const { type, object } = value as { type?: unknown; object?: unknown };
  if (typeof type !== "string" || !EVENT_TYPES.has(type)) {
    throw new Error(`watch stream: unknown event type ${JSON.stringify(type)}`);
  }
  if (typeof object !== "object" || object === null) {
    throw new Error(`watch stream: ${type} event without an object`);
  }
  return { type, object } as WatchEvent<T>;
}

/** Decodes a watch response body into typed events. */
export async function* decodeWatchEvents<T extends KubeObject>(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<WatchEvent<T>> {
  for await (const value of decodeNdjson(chunks)) {
    yield toWatchEvent<T>(value);
  }
}
