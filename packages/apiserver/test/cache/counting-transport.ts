import type { Transport } from "@connectrpc/connect";

/** A transport that counts the full reads (KV.Range without count_only) passing through it. */
export function countingRanges(inner: Transport): { transport: Transport; fullRanges(): number } {
  let full = 0;
  const transport: Transport = {
    unary(method, signal, timeoutMs, header, input, contextValues) {
      if (method.name === "Range" && !(input as { countOnly?: boolean }).countOnly) full++;
      return inner.unary(method, signal, timeoutMs, header, input, contextValues);
    },
    stream: (method, signal, timeoutMs, header, input, contextValues) =>
      inner.stream(method, signal, timeoutMs, header, input, contextValues),
  };
  return { transport, fullRanges: () => full };
}
