import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  EntryType,
  MessageSchema,
  MessageType,
  RaftService,
  SendSnapshotRequestSchema,
} from "../src/raft.js";

describe("kubekit.raft.v1", () => {
  it("round-trips an append message with entries through the wire format", () => {
    const msg = create(MessageSchema, {
      type: MessageType.APP,
      to: 2n,
      from: 1n,
      term: 3n,
      logTerm: 2n,
      index: 41n,
      commit: 40n,
      entries: [{ term: 3n, index: 42n, type: EntryType.NORMAL, data: new Uint8Array([1, 2]) }],
    });
    const back = fromBinary(MessageSchema, toBinary(MessageSchema, msg));
    expect(back.type).toBe(MessageType.APP);
    expect(back.index).toBe(41n);
    expect(back.entries[0]?.data).toEqual(new Uint8Array([1, 2]));
  });

  it("carries a snapshot header only in the first chunk", () => {
    const first = create(SendSnapshotRequestSchema, {
      header: {
        type: MessageType.SNAP,
        snapshot: { index: 10n, term: 2n, confState: { voters: [1n, 2n, 3n] } },
      },
      chunk: new Uint8Array(8),
    });
    const back = fromBinary(SendSnapshotRequestSchema, toBinary(SendSnapshotRequestSchema, first));
    expect(back.header?.snapshot?.confState?.voters).toEqual([1n, 2n, 3n]);
    expect(back.final).toBe(false);
  });

  it("describes both streaming RPCs of RaftService", () => {
    expect(RaftService.method.send.methodKind).toBe("client_streaming");
    expect(RaftService.method.sendSnapshot.methodKind).toBe("client_streaming");
  });
});
