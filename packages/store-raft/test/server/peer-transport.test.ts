import { setTimeout as sleep } from "node:timers/promises";
import { RaftService } from "@kubekit/proto/raft";
import { afterEach, describe, expect, it } from "vitest";
import { type Message, MessageType, makeMessage } from "../../src/raft/message.js";
import { createRaftPeerService, PeerTransport } from "../../src/server/peer-transport.js";
import { type GrpcListener, serveGrpc } from "../../src/server/serve-grpc.js";

/**
 * The peer transport against a real gRPC peer that answers each Send
 * slowly, as a member on a loaded machine does: messages must keep their
 * order and must not queue up behind one round trip each.
 */

const ROUND_TRIP_MS = 150;

describe("PeerTransport", () => {
  let listener: GrpcListener | undefined;
  afterEach(async () => {
    await listener?.close();
  });

  it("batches what arrives while a Send is in flight, in order, instead of queueing a Send per call", async () => {
    const received: Message[] = [];
    let sends = 0;
    const base = createRaftPeerService((messages) => received.push(...messages));
    listener = await serveGrpc(
      (router) => {
        router.service(RaftService, {
          ...base,
          async send(requests, context) {
            sends++;
            await sleep(ROUND_TRIP_MS);
            return await base.send(requests, context);
          },
        });
      },
      { host: "127.0.0.1", port: 0, readMaxBytes: 4 * 1024 * 1024 },
    );
    const unreachable: number[] = [];
    const transport = new PeerTransport(new Map([[2, listener.url]]), {
      unreachable: (peer) => unreachable.push(peer),
      snapshotSent: () => {},
    });

    const count = 30;
    for (let i = 1; i <= count; i++) {
      transport.send([makeMessage({ type: MessageType.MsgHeartbeat, from: 1, to: 2, commit: i })]);
      await sleep(10);
    }
    const lastSentAt = performance.now();
    for (let waited = 0; received.length < count && waited < 100; waited++) await sleep(50);

    expect(received.map((m) => m.commit)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // A Send per call would take count * ROUND_TRIP_MS (4.5 s) to get through.
    expect(performance.now() - lastSentAt).toBeLessThan(3 * ROUND_TRIP_MS + 500);
    expect(sends).toBeLessThanOrEqual(6);
    expect(unreachable).toEqual([]);
  });
});
