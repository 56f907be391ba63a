import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createObjectStore, type ObjectStore } from "../../src/storage/object-store.js";
import { type StorageWatchItem, watchPrefix } from "../../src/storage/watch-stream.js";
import type { KubeObject } from "../../src/types/object.js";
import { BACKENDS, type Backend } from "./backends.js";

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default" },
  data,
});

const PREFIX = "/registry/core/configmaps/default/";

async function take(
  items: AsyncIterator<StorageWatchItem>,
  n: number,
): Promise<StorageWatchItem[]> {
  const out: StorageWatchItem[] = [];
  for (let i = 0; i < n; i++) {
    const next = await items.next();
    if (next.done) break;
    if (next.value.type === "progress") {
      i--;
      continue;
    }
    out.push(next.value);
  }
  return out;
}

describe.each(Object.keys(BACKENDS))("object store on %s", (backendName) => {
  let backend: Backend;
  let store: ObjectStore;

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    store = createObjectStore(backend.transport);
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it("creates once, then answers already-exists", async () => {
    const created = await store.create(`${PREFIX}a`, cm("a", { k: "v" }));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.metadata?.resourceVersion).toMatch(/^\d+$/);
    const again = await store.create(`${PREFIX}a`, cm("a"));
    expect(again).toMatchObject({ ok: false, reason: "already-exists" });
    const got = await store.get(`${PREFIX}a`);
    expect(got).toMatchObject({ ok: true, value: { data: { k: "v" } } });
    if (got.ok)
      expect(got.value.metadata?.resourceVersion).toBe(created.value.metadata?.resourceVersion);
  });

  it("creates with a guard only while the guard's key is at its resourceVersion", async () => {
    const guardKey = "/registry/core/namespaces/guarded";
    const ns = await store.create(guardKey, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "guarded" },
    });
    if (!ns.ok) throw new Error("namespace create failed");
    const guard = { key: guardKey, resourceVersion: ns.value.metadata?.resourceVersion ?? "" };
    expect(await store.create(`${PREFIX}g1`, cm("g1"), guard)).toMatchObject({ ok: true });
    // The key is taken and the guard holds: already-exists, as without a guard.
    expect(await store.create(`${PREFIX}g1`, cm("g1"), guard)).toMatchObject({
      ok: false,
      reason: "already-exists",
    });
    const moved = await store.update(guardKey, ns.value, guard.resourceVersion);
    if (!moved.ok) throw new Error("namespace update failed");
    expect(await store.create(`${PREFIX}g2`, cm("g2"), guard)).toMatchObject({
      ok: false,
      reason: "guard-moved",
    });
    expect(await store.create(`${PREFIX}g1`, cm("g1"), guard)).toMatchObject({
      ok: false,
      reason: "guard-moved",
    });
    expect(await store.get(`${PREFIX}g2`)).toMatchObject({ ok: false, reason: "not-found" });
    await store.delete(guardKey);
    const gone = { key: guardKey, resourceVersion: moved.value.metadata?.resourceVersion ?? "" };
    expect(await store.create(`${PREFIX}g3`, cm("g3"), gone)).toMatchObject({
      ok: false,
      reason: "guard-moved",
    });
  });

  it("updates only from the current resourceVersion", async () => {
    const created = await store.create(`${PREFIX}b`, cm("b"));
    if (!created.ok) throw new Error("create failed");
    const rv = created.value.metadata!.resourceVersion!;
    const updated = await store.update(`${PREFIX}b`, cm("b", { x: "1" }), rv);
    expect(updated.ok).toBe(true);
    const stale = await store.update(`${PREFIX}b`, cm("b", { x: "2" }), rv);
    expect(stale).toMatchObject({ ok: false, reason: "conflict", current: { data: { x: "1" } } });
    const missing = await store.update(`${PREFIX}nope`, cm("nope"), rv);
    expect(missing).toMatchObject({ ok: false, reason: "not-found" });
  });

  it("deletes with and without a precondition", async () => {
    const created = await store.create(`${PREFIX}c`, cm("c"));
    if (!created.ok) throw new Error("create failed");
    expect(await store.delete(`${PREFIX}c`, "1")).toMatchObject({ ok: false, reason: "conflict" });
    const removed = await store.delete(`${PREFIX}c`, created.value.metadata!.resourceVersion);
    expect(removed).toMatchObject({ ok: true, value: { metadata: { name: "c" } } });
    expect(await store.delete(`${PREFIX}c`)).toMatchObject({ ok: false, reason: "not-found" });
    expect(await store.get(`${PREFIX}c`)).toMatchObject({ ok: false, reason: "not-found" });
  });

  it("lists in pages at one revision", async () => {
    const prefix = "/registry/core/configmaps/paged/";
    for (const name of ["p1", "p2", "p3"]) await store.create(`${prefix}${name}`, cm(name));
    const first = await store.list({ prefix, limit: 2 });
    if (!first.ok) throw new Error("list failed");
    expect(first.value.items.map((o) => o.metadata?.name)).toEqual(["p1", "p2"]);
    expect(first.value.remaining).toBe(1);
    // A write after the first page must not show on the second.
    await store.create(`${prefix}p4`, cm("p4"));
    const second = await store.list({
      prefix,
      startKey: first.value.nextKey!,
      limit: 2,
      revision: Number(first.value.revision),
    });
    if (!second.ok) throw new Error("list failed");
    expect(second.value.items.map((o) => o.metadata?.name)).toEqual(["p3"]);
    expect(second.value.nextKey).toBeUndefined();
  });

  it("watches changes with previous values, and reports compacted history as expired", async () => {
    const prefix = "/registry/core/configmaps/watched/";
    const start = BigInt(await store.revision()) + 1n;
    const controller = new AbortController();
    const items = watchPrefix(backend.transport, {
      prefix,
      startRevision: start,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    const created = await store.create(`${prefix}w`, cm("w"));
    if (!created.ok) throw new Error("create failed");
    const updated = await store.update(
      `${prefix}w`,
      cm("w", { a: "b" }),
      created.value.metadata!.resourceVersion!,
    );
    if (!updated.ok) throw new Error("update failed");
    await store.delete(`${prefix}w`);
    const seen = await take(items, 3);
    controller.abort();
    expect(
      seen.map((s) =>
        s.type === "change" ? [Boolean(s.change.prev), Boolean(s.change.next)] : s.type,
      ),
    ).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    const last = seen[2];
    if (last?.type !== "change") throw new Error("expected a change");
    expect(last.change.prev?.data).toEqual({ a: "b" });

    const now = BigInt(await store.revision());
    await backend.compact(now);
    const old = new AbortController();
    const expired = watchPrefix(backend.transport, {
      prefix,
      startRevision: start,
      signal: old.signal,
    })[Symbol.asyncIterator]();
    const first = await take(expired, 1);
    old.abort();
    expect(first[0]).toMatchObject({ type: "expired" });
    const staleList = await store.list({ prefix, revision: Number(start) });
    expect(staleList).toMatchObject({ ok: false, reason: "expired" });
  }, 20_000);
});
