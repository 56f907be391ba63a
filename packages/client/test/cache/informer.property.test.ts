import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeletedFinalStateUnknown } from "../../src/cache/keys.js";
import { SharedInformer } from "../../src/cache/shared-informer.js";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { StatusError } from "../../src/errors/status-error.js";
import type { KubeList, KubeObject, WatchEvent } from "../../src/meta/types.js";
import { ScriptedListerWatcher, type WatchScript } from "../support/scripted-lister-watcher.js";

/**
 * A random history of a collection: each step either changes an object
 * (seen by the watch) or is a watch break with 410 after which the informer
 * re-lists the collection as it is now. Whatever happens, the cache must end
 * equal to the server's state, and replaying the handler calls onto an empty
 * map must rebuild the cache.
 */
type Step = { kind: "put"; name: string } | { kind: "delete"; name: string } | { kind: "expire" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), name: fc.constantFrom("a", "b", "c", "d") }),
  fc.record({ kind: fc.constant("delete" as const), name: fc.constantFrom("a", "b", "c", "d") }),
  fc.constant({ kind: "expire" as const }),
);

const obj = (name: string, rv: number): KubeObject => ({
  metadata: { name, namespace: "ns", resourceVersion: String(rv) },
});

describe("SharedInformer properties", () => {
  it("converges on the server's state, and its notifications rebuild its cache", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }),
        fc.array(stepArb, { maxLength: 25 }),
        async (initialNames, steps) => {
          let rv = 1;
          const server = new Map<string, KubeObject>();
          for (const name of new Set(initialNames)) server.set(name, obj(name, ++rv));
          const snapshot = (): KubeList => ({
            metadata: { resourceVersion: String(rv) },
            items: [...server.values()],
          });
          // Turn the history into scripted lists and watches.
          const lists: KubeList[] = [snapshot()];
          const watches: Array<WatchScript<KubeObject>> = [];
          let events: Array<WatchEvent<KubeObject>> = [];
          for (const step of steps) {
            if (step.kind === "expire") {
              watches.push({ events, end: new StatusError({ reason: "Gone", code: 410 }) });
              events = [];
              lists.push(snapshot());
            } else if (step.kind === "put") {
              const type = server.has(step.name) ? "MODIFIED" : "ADDED";
              const next = obj(step.name, ++rv);
              server.set(step.name, next);
              events.push({ type, object: next });
            } else if (server.has(step.name)) {
              server.delete(step.name);
              events.push({ type: "DELETED", object: obj(step.name, ++rv) });
            }
          }
          watches.push({ events, end: "hang" });

          // The scripted lister-watcher consumes these arrays; count the cycles first.
          const cycles = lists.length;
          const shadow = new Map<string, string>();
          const handlerFailures: unknown[] = [];
          const clock = new FakeClock();
          const informer = new SharedInformer<KubeObject>({
            listerWatcher: new ScriptedListerWatcher(lists, watches),
            clock,
            random: () => 0,
            // A failed expectation inside a handler is reported here; rethrow it.
            onError: (err) => {
              if (!(err instanceof StatusError)) handlerFailures.push(err);
            },
          });
          const rvOf = (o: KubeObject): string => o.metadata?.resourceVersion ?? "";
          informer.addEventHandler({
            onAdd: (o) => {
              expect(shadow.has(o.metadata?.name ?? "")).toBe(false);
              shadow.set(o.metadata?.name ?? "", rvOf(o));
            },
            onUpdate: (old, o) => {
              expect(shadow.get(old.metadata?.name ?? "")).toBe(rvOf(old));
              shadow.set(o.metadata?.name ?? "", rvOf(o));
            },
            onDelete: (o) => {
              const gone = o instanceof DeletedFinalStateUnknown ? o.obj : o;
              expect(shadow.delete(gone.metadata?.name ?? "")).toBe(true);
            },
          });
          const stop = new AbortController();
          const running = informer.run(stop.signal);
          // Each expiry costs one backoff (800 ms doubling, capped at 30 s) before re-listing.
          await clock.advance(0);
          for (let i = 0; i < cycles; i++) {
            await clock.advance(30_000);
          }
          const cache = new Map(informer.indexer.list().map((o) => [o.metadata?.name, rvOf(o)]));
          const expected = new Map([...server.values()].map((o) => [o.metadata?.name, rvOf(o)]));
          expect(handlerFailures).toEqual([]);
          expect(cache).toEqual(expected);
          expect(new Map([...shadow])).toEqual(expected);
          stop.abort();
          await running;
        },
      ),
      { numRuns: 100 },
    );
  });
});
