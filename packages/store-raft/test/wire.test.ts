import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "@kubekit/proto/raft";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfChangeType, type Entry, EntryType, type Message, MessageType } from "../src/index.js";
import {
  confChangeFromWire,
  confChangeToWire,
  hardStateFromWire,
  hardStateToWire,
  messageFromWire,
  messageToWire,
  WireFormatError,
} from "../src/wire.js";

const id = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const small = fc.nat({ max: 1_000_000 });
const bytes = fc.uint8Array({ maxLength: 16 });

const entry: fc.Arbitrary<Entry> = fc.record({
  term: small,
  index: small,
  type: fc.constantFrom(EntryType.Normal, EntryType.ConfChange),
  data: bytes,
});

const messageType = fc.constantFrom(
  ...Object.values(MessageType).filter((v): v is MessageType => typeof v === "number"),
);

const message: fc.Arbitrary<Message> = fc.record(
  {
    type: messageType,
    to: id,
    from: id,
    term: small,
    logTerm: small,
    index: small,
    entries: fc.array(entry, { maxLength: 3 }),
    commit: small,
    snapshot: fc.record({
      metadata: fc.record({
        index: small,
        term: small,
        confState: fc.record({
          voters: fc.array(id, { maxLength: 5 }),
          learners: fc.array(id, { maxLength: 2 }),
        }),
      }),
      data: bytes,
    }),
    reject: fc.boolean(),
    rejectHint: small,
    context: bytes,
  },
  {
    requiredKeys: [
      "type",
      "to",
      "from",
      "term",
      "logTerm",
      "index",
      "entries",
      "commit",
      "reject",
      "rejectHint",
      "context",
    ],
  },
);

describe("kubekit.raft.v1 mapping", () => {
  it("round-trips any core message through the binary wire format", () => {
    fc.assert(
      fc.property(message, (m) => {
        const wire = toBinary(pb.MessageSchema, messageToWire(m));
        const back = messageFromWire(fromBinary(pb.MessageSchema, wire), m.snapshot?.data);
        expect(back).toEqual(m);
      }),
    );
  });

  it("numbers enums as the core's value + 1, name for name", () => {
    for (const [name, value] of Object.entries(MessageType)) {
      if (typeof value !== "number") continue;
      const wireName = name
        .replace(/^Msg/, "")
        .replace(/([a-z])([A-Z])/g, "$1_$2")
        .toUpperCase();
      expect(pb.MessageType[wireName as keyof typeof pb.MessageType]).toBe(value + 1);
    }
    expect(pb.EntryType.NORMAL).toBe(EntryType.Normal + 1);
    expect(pb.EntryType.CONF_CHANGE).toBe(EntryType.ConfChange + 1);
    expect(pb.ConfChange_Type.ADD_LEARNER_NODE).toBe(ConfChangeType.AddLearnerNode + 1);
  });

  it("round-trips hard states and conf changes", () => {
    const hs = { term: 7, vote: 3, commit: 99 };
    expect(hardStateFromWire(hardStateToWire(hs))).toEqual(hs);
    const cc = { type: ConfChangeType.RemoveNode, nodeId: 12, context: new Uint8Array([1]) };
    expect(confChangeFromWire(confChangeToWire(cc))).toEqual(cc);
  });

  it("refuses unspecified enums and ids beyond 2^53", () => {
    const unspecified = messageToWire({ ...sampleMessage(), type: MessageType.MsgApp });
    unspecified.type = pb.MessageType.UNSPECIFIED;
    expect(() => messageFromWire(unspecified)).toThrow(WireFormatError);
    const huge = messageToWire(sampleMessage());
    huge.term = 2n ** 60n;
    expect(() => messageFromWire(huge)).toThrow(/2\^53/);
  });
});

function sampleMessage(): Message {
  return {
    type: MessageType.MsgHeartbeat,
    to: 2,
    from: 1,
    term: 3,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 5,
    reject: false,
    rejectHint: 0,
    context: new Uint8Array(0),
  };
}
