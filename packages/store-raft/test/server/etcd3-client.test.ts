import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type ListeningStore, type Store } from "../../src/index.js";

/**
 * Black-box: the `etcd3` npm client (grpc-js with etcd's own protos, not
 * ours) against an embedded store served on loopback.
 */
describe("the etcd3 npm client against store-raft", () => {
  let store: Store;
  let listener: ListeningStore;
  let client: Etcd3;

  beforeAll(async () => {
    store = createStore({ minLeaseTtlSeconds: 1 });
    listener = await store.listen(0);
    client = new Etcd3({ hosts: listener.url });
  });

  afterAll(async () => {
    client?.close();
    await listener?.close();
    await store?.close();
  });

  it("puts, gets, lists a prefix and deletes", async () => {
    await client.put("/app/a").value("1");
    await client.put("/app/b").value("2");
    expect(await client.get("/app/a").string()).toBe("1");
    expect(await client.getAll().prefix("/app/").strings()).toEqual({
      "/app/a": "1",
      "/app/b": "2",
    });
    expect(await client.getAll().prefix("/app/").count()).toBe(2);
    await client.delete().key("/app/a");
    expect(await client.get("/app/a").string()).toBeNull();
  });

  it("runs an if-then-else transaction", async () => {
    await client.put("/lock").value("free");
    const taken = await client
      .if("/lock", "Value", "==", "free")
      .then(client.put("/lock").value("me"))
      .commit();
    expect(taken.succeeded).toBe(true);
    const again = await client
      .if("/lock", "Value", "==", "free")
      .then(client.put("/lock").value("you"))
      .commit();
    expect(again.succeeded).toBe(false);
    expect(await client.get("/lock").string()).toBe("me");
  });

  it("watches a key and sees a put", async () => {
    const watcher = await client.watch().key("/watched").create();
    try {
      const seen = new Promise<string>((resolve) =>
        watcher.on("put", (kv) => resolve(kv.value.toString())),
      );
      await client.put("/watched").value("hello");
      const value = await Promise.race([
        seen,
        new Promise<string>((_, reject) =>
          setTimeout(() => reject(new Error("no watch event within 10 s")), 10_000),
        ),
      ]);
      expect(value).toBe("hello");
    } finally {
      await watcher.cancel();
    }
  });

  it("grants a lease, attaches a key, and revoking it deletes the key", async () => {
    const lease = client.lease(30, { autoKeepAlive: false });
    await lease.put("/leased").value("x");
    expect(await client.get("/leased").string()).toBe("x");
    expect(Number((await lease.keepaliveOnce()).TTL)).toBe(30);
    await lease.revoke();
    expect(await client.get("/leased").string()).toBeNull();
  });
});
