import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeNdjson, decodeWatchEvents } from "../../src/rest/ndjson.js";

async function* fromChunks(
  chunks: Array<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  for (const chunk of chunks) {
    yield chunk;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) {
    out.push(value);
  }
  return out;
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated, within range). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe("NDJSON watch decoding", () => {
  it("decodes events however the stream is cut, multi-byte characters included", async () => {
    const eventArb = fc.record({
      type: fc.constantFrom("ADDED", "MODIFIED", "DELETED", "BOOKMARK"),
      object: fc.record({
        metadata: fc.record({
          name: fc.string({ unit: "grapheme" }),
          resourceVersion: fc.nat().map(String),
        }),
      }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (events, offsets, trailingNewline) => {
          const text =
            events.map((e) => JSON.stringify(e)).join("\n") + (trailingNewline ? "\n" : "");
          const chunks = cut(new TextEncoder().encode(text), offsets);
          expect(await collect(decodeWatchEvents(fromChunks(chunks)))).toEqual(events);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("skips blank lines and reports malformed ones", async () => {
    expect(await collect(decodeNdjson(fromChunks(['{"a":1}\n\n', "\n", '{"b"', ":2}"])))).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
    await expect(collect(decodeNdjson(fromChunks(["{oops}\n"])))).rejects.toThrow(/not JSON/);
    await expect(
      collect(decodeWatchEvents(fromChunks(['{"type":"WHAT","object":{}}\n']))),
    ).rejects.toThrow(/unknown event type/);
    await expect(collect(decodeWatchEvents(fromChunks(['{"type":"ADDED"}\n'])))).rejects.toThrow(
      /without an object/,
    );
  });

  it("passes ERROR events through with their Status", async () => {
    const line = '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Gone"}}\n';
    const [event] = await collect(decodeWatchEvents(fromChunks([line])));
    expect(event).toEqual({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Gone" } });
  });
});
