import { describe, expect, it } from "vitest";
import {
  ErrProposalDropped,
  ErrStepLocalMsg,
  ErrStepPeerNotFound,
  MemoryStorage,
  MessageType,
  makeMessage,
  RawNode,
  ReadOnlyOption,
  type Ready,
  StateType,
  seededRandom,
} from "../src/index.js";
import { bootstrapStorage } from "./support/node-host.js";

function node(
  id: number,
  voters: number[],
  extra: Partial<ConstructorParameters<typeof RawNode>[0]> = {},
): { rn: RawNode; storage: MemoryStorage } {
  const storage = bootstrapStorage({ voters, learners: [] }, 1);
  const rn = new RawNode({
    id,
    electionTick: 10,
    heartbeatTick: 1,
    storage,
    random: seededRandom(id),
    ...extra,
  });
  return { rn, storage };
}

/** Persists and advances one Ready the way an application must. */
function handle(rn: RawNode, storage: MemoryStorage): Ready {
  const rd = rn.ready();
  if (rd.snapshot !== undefined) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState !== undefined) storage.setHardState(rd.hardState);
  rn.advance(rd);
  return rd;
}

describe("RawNode", () => {
  it("a single voter elects itself and commits proposals on its own", () => {
    const { rn, storage } = node(1, [1]);
    rn.campaign();
    expect(rn.status().softState.raftState).toBe(StateType.Leader);
    handle(rn, storage);
    rn.propose(new TextEncoder().encode("x"));
    const rd = handle(rn, storage);
    expect(rd.entries.map((e) => e.index)).toEqual([3]);
    expect(rd.committedEntries.map((e) => new TextDecoder().decode(e.data))).toEqual(["x"]);
    expect(rd.mustSync).toBe(true);
    expect(rn.hasReady()).toBe(false);
  });

  it("appends a proposed batch in order and sends it to each follower as one message", () => {
    const { rn, storage } = node(1, [1, 2, 3]);
    rn.campaign();
    handle(rn, storage);
    for (const from of [2, 3]) {
      rn.step(makeMessage({ type: MessageType.MsgVoteResp, from, to: 1, term: 2 }));
    }
    expect(rn.status().softState.raftState).toBe(StateType.Leader);
    handle(rn, storage);
    // Both followers take the leader's empty entry (index 2): they replicate now.
    for (const from of [2, 3]) {
      rn.step(makeMessage({ type: MessageType.MsgAppResp, from, to: 1, term: 2, index: 2 }));
    }
    handle(rn, storage);
    rn.proposeBatch(["a", "b", "c"].map((s) => new TextEncoder().encode(s)));
    const rd = handle(rn, storage);
    expect(rd.entries.map((e) => new TextDecoder().decode(e.data))).toEqual(["a", "b", "c"]);
    expect(rd.entries.map((e) => e.index)).toEqual([3, 4, 5]);
    const appends = rd.messages.filter((m) => m.type === MessageType.MsgApp);
    expect(appends.map((m) => m.to).sort()).toEqual([2, 3]);
    for (const m of appends) expect(m.entries.map((e) => e.index)).toEqual([3, 4, 5]);
  });

  it("answers a read index at once in a one-voter cluster", () => {
    const { rn, storage } = node(1, [1]);
    rn.campaign();
    handle(rn, storage);
    rn.readIndex(new TextEncoder().encode("r"));
    const rd = handle(rn, storage);
    expect(rd.readStates).toEqual([{ index: 2, requestCtx: new TextEncoder().encode("r") }]);
  });

  it("elects after the randomized timeout, which stays in [election, 2*election)", () => {
    const { rn } = node(1, [1, 2, 3]);
    let ticks = 0;
    while (rn.status().softState.raftState === StateType.Follower && ticks < 100) {
      rn.tick();
      ticks++;
    }
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(20);
    expect(rn.status().softState.raftState).toBe(StateType.Candidate);
  });

  it("is reproducible: the same seed gives the same timeout", () => {
    const timeouts = [1, 2].map(() => {
      const { rn } = node(7, [7, 8, 9]);
      return rn.raft.randomizedElectionTimeout;
    });
    expect(timeouts[0]).toBe(timeouts[1]);
  });

  it("drops proposals without a leader and refuses local messages from peers", () => {
    const { rn } = node(1, [1, 2, 3]);
    expect(() => rn.propose(new Uint8Array([1]))).toThrow(ErrProposalDropped);
    expect(() => rn.step(makeMessage({ type: MessageType.MsgHup, from: 2 }))).toThrow(
      ErrStepLocalMsg,
    );
    expect(() => rn.step(makeMessage({ type: MessageType.MsgAppResp, from: 9, term: 1 }))).toThrow(
      ErrStepPeerNotFound,
    );
  });

  it("serves lease-based reads without a heartbeat round", () => {
    const a = node(1, [1, 2], { checkQuorum: true, readOnlyOption: ReadOnlyOption.LeaseBased });
    const b = node(2, [1, 2], { checkQuorum: true, readOnlyOption: ReadOnlyOption.LeaseBased });
    const peers = new Map([
      [1, a],
      [2, b],
    ]);
    a.rn.campaign();
    // Exchange messages until quiet (bounded).
    for (let round = 0; round < 20; round++) {
      let busy = false;
      for (const p of peers.values()) {
        if (!p.rn.hasReady()) continue;
        busy = true;
        for (const m of handle(p.rn, p.storage).messages) peers.get(m.to)?.rn.step(m);
      }
      if (!busy) break;
    }
    expect(a.rn.status().softState.raftState).toBe(StateType.Leader);
    a.rn.readIndex(new TextEncoder().encode("lease"));
    const rd = handle(a.rn, a.storage);
    expect(rd.readStates.map((r) => r.index)).toEqual([a.rn.raft.raftLog.committed]);
    expect(rd.messages.filter((m) => m.type === MessageType.MsgHeartbeat)).toEqual([]);
  });

  it("rejects configs Raft cannot run with", () => {
    const storage = new MemoryStorage();
    const random = seededRandom(1);
    expect(
      () => new RawNode({ id: 0, electionTick: 10, heartbeatTick: 1, storage, random }),
    ).toThrow(/bad id/);
    expect(
      () => new RawNode({ id: 1, electionTick: 2, heartbeatTick: 2, storage, random }),
    ).toThrow(/electionTick/);
    expect(
      () =>
        new RawNode({
          id: 1,
          electionTick: 10,
          heartbeatTick: 1,
          storage,
          random,
          readOnlyOption: ReadOnlyOption.LeaseBased,
        }),
    ).toThrow(/checkQuorum/);
  });
});
