/**
 * The CRI container log format, as containerd and CRI-O write it: one
 * record per line, `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`.
 * A line longer than the runtime's buffer is cut into partial (`P`)
 * records, the last of which is full (`F`). Content is bytes: a container
 * may write anything, so records stay Buffers until they reach the client.
 */

/** Which output a record came from. */
export type LogStream = "stdout" | "stderr";

/** One record of a CRI log file. */
export interface CriLogRecord {
  /** The time as the runtime wrote it (RFC 3339 with nanoseconds). */
  readonly timestamp: string;
  /** The same time in epoch milliseconds, for `since` filtering. */
  readonly timeMs: number;
  readonly stream: LogStream;
  /** A partial record: the line goes on in the next record of the same stream. */
  readonly partial: boolean;
  readonly content: Buffer;
}

/** A whole log line: partial records joined, stamped with its first record's time. */
export interface LogLine {
  readonly timestamp: string;
  readonly timeMs: number;
  readonly stream: LogStream;
  readonly content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Parses one record (without its newline); undefined when it is not a CRI log record. */
export function parseCriLogRecord(line: Buffer): CriLogRecord | undefined {
  const first = line.indexOf(SPACE);
  if (first <= 0) return undefined;
  const second = line.indexOf(SPACE, first + 1);
  if (second < 0) return undefined;
  const timestamp = line.toString("latin1", 0, first);
  const timeMs = Date.parse(timestamp);
  if (Number.isNaN(timeMs)) return undefined;
  const stream = line.toString("latin1", first + 1, second);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  // The tag field may carry more flags after ":" in future runtimes; P is the only one read.
  const tagEnd = line.indexOf(SPACE, second + 1);
  const tag = line.toString("latin1", second + 1, tagEnd < 0 ? line.length : tagEnd);
  const flags = tag.split(":");
  if (flags[0] !== "P" && flags[0] !== "F") return undefined;
  const content = tagEnd < 0 ? Buffer.alloc(0) : line.subarray(tagEnd + 1);
  return { timestamp, timeMs, stream, partial: flags[0] === "P", content };
}

/**
 * Turns the bytes of a CRI log file, fed in any chunks, into whole lines:
 * records are split at newlines (a chunk may end mid-record), partial
 * records are held per stream until their full record arrives. Lines that
 * are not CRI records are skipped, as upstream's reader does.
 */
export class CriLogDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<LogStream, { first: CriLogRecord; parts: Buffer[] }>();

  /** Feeds the next bytes; returns the lines they complete, in order. */
  push(chunk: Buffer): LogLine[] {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const lines: LogLine[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
      const record = parseCriLogRecord(data.subarray(start, end));
      start = end + 1;
      if (record === undefined) continue;
      const line = this.join(record);
      if (line !== undefined) lines.push(line);
    }
    this.rest = Buffer.from(data.subarray(start));
    return lines;
  }

  /**
   * The partial lines still held, as lines: what a container wrote last
   * without a newline, once no more will come (it exited).
   */
  flush(): LogLine[] {
    const lines = [...this.pending.values()].map(({ first, parts }) => ({
      timestamp: first.timestamp,
      timeMs: first.timeMs,
      stream: first.stream,
      content: Buffer.concat(parts),
    }));
    this.pending.clear();
    return lines.sort((a, b) => a.timeMs - b.timeMs);
  }

  private join(record: CriLogRecord): LogLine | undefined {
    const held = this.pending.get(record.stream);
    if (record.partial) {
      if (held) held.parts.push(record.content);
      else this.pending.set(record.stream, { first: record, parts: [record.content] });
      return undefined;
    }
    if (!held) return record;
    this.pending.delete(record.stream);
    return {
      timestamp: held.first.timestamp,
      timeMs: held.first.timeMs,
      stream: record.stream,
      content: Buffer.concat([...held.parts, record.content]),
    };
  }
}
