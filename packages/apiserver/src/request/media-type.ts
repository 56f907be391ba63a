/** One entry of an Accept header: `application/json;as=Table;g=meta.k8s.io;v=v1`. */
export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  /** The q parameter, 1 when absent. */
  quality: number;
}

/** Parses an Accept header into its entries, in the order given; skips entries that do not parse. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === "")
    return [{ type: "*", subtype: "*", params: {}, quality: 1 }];
  const out: MediaRange[] = [];
  for (const raw of header.split(",")) {
    const [typePart, ...paramParts] = raw.split(";");
    const [type, subtype] = (typePart ?? "").trim().toLowerCase().split("/");
    if (!type || !subtype) continue;
    const params: Record<string, string> = {};
    let quality = 1;
    for (const p of paramParts) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
      if (k === "q") quality = Number.isFinite(Number(v)) ? Number(v) : 0;
      else params[k] = v;
    }
    if (quality > 0) out.push({ type, subtype, params, quality });
  }
  // Stable sort: higher quality first, ties keep header order.
  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.quality - a.r.quality || a.i - b.i)
    .map(({ r }) => r);
}

/** What the response to a GET should be rendered as. */
export type OutputFormat =
  | { kind: "object" }
  | { kind: "table"; version: "v1" | "v1beta1" }
  | { kind: "partial-object-metadata"; list: boolean; version: "v1" | "v1beta1" }
  | { kind: "aggregated-discovery" };

/** The media types we produce, for NotAcceptable messages. */
export const PRODUCED_MEDIA_TYPES = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
];

function acceptsJson(r: MediaRange): boolean {
  return (
    (r.type === "application" || r.type === "*") && (r.subtype === "json" || r.subtype === "*")
  );
}

/**
 * Picks the output for an Accept header, as upstream's negotiation does:
 * the first entry we can serve wins. `discovery` says the request is for
 * `/api` or `/apis`, where aggregated discovery may be asked for. Returns
 * undefined when nothing acceptable is offered (answer 406).
 */
export function negotiateOutput(
  accept: string | undefined,
  discovery = false,
): OutputFormat | undefined {
  for (const r of parseAccept(accept)) {
    if (!acceptsJson(r)) continue;
    const { as, g, v } = r.params;
    if (as === undefined) return { kind: "object" };
    if (discovery && as === "APIGroupDiscoveryList" && g === "apidiscovery.k8s.io" && v === "v2") {
      return { kind: "aggregated-discovery" };
    }
    if (discovery) continue;
    if (g !== "meta.k8s.io" || (v !== "v1" && v !== "v1beta1")) continue;
    if (as === "Table") return { kind: "table", version: v };
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") {
      return {
        kind: "partial-object-metadata",
        list: as === "PartialObjectMetadataList",
        version: v,
      };
    }
  }
  return undefined;
}
