import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createObjectIndexer, NAMESPACE_INDEX } from "../../src/cache/indexer.js";
import type { KubeObject } from "../../src/meta/types.js";

type Op =
  | { kind: "put"; name: string; namespace: string; colors: string[] }
  | { kind: "delete"; name: string; namespace: string };

const name = fc.constantFrom("a", "b", "c", "d");
const namespace = fc.constantFrom("ns1", "ns2");
const colors = fc.uniqueArray(fc.constantFrom("red", "green", "blue"), { maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), name, namespace, colors }),
  fc.record({ kind: fc.constant("delete" as const), name, namespace }),
);

const byColor = (obj: KubeObject): string[] =>
  (obj.metadata?.annotations?.colors ?? "").split(",").filter((c) => c !== "");

describe("Indexer properties", () => {
  it("answers every index query as a scan of the stored objects would", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const indexer = createObjectIndexer({ byColor });
        for (const op of ops) {
          const obj: KubeObject = {
            metadata: {
              name: op.name,
              namespace: op.namespace,
              annotations: { colors: op.kind === "put" ? op.colors.join(",") : "" },
            },
          };
          if (op.kind === "put") indexer.update(obj);
          else indexer.delete(obj);
        }
        const all = indexer.list();
        const keysOf = (objs: KubeObject[]): string[] =>
          objs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();
        for (const color of ["red", "green", "blue"]) {
          expect(keysOf(indexer.byIndex("byColor", color))).toEqual(
            keysOf(all.filter((o) => byColor(o).includes(color))),
          );
        }
        for (const ns of ["ns1", "ns2"]) {
          expect(keysOf(indexer.byIndex(NAMESPACE_INDEX, ns))).toEqual(
            keysOf(all.filter((o) => o.metadata?.namespace === ns)),
          );
        }
        // No stale index values survive their last object.
        const liveColors = new Set(all.flatMap(byColor));
        expect(indexer.listIndexFuncValues("byColor").sort()).toEqual([...liveColors].sort());
      }),
      { numRuns: 300 },
    );
  });
});
