import { crc32 } from "node:zlib";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient, type ServiceImpl } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  RaftService,
  type SendRequest,
  SendRequestSchema,
  type SendSnapshotRequest,
  SendSnapshotRequestSchema,
} from "@kubekit/proto/raft";
import { type Message, MessageType } from "../raft/message.js";
import { messageFromWire, messageToWire } from "../wire/raft-wire.js";

/** Snapshot data travels in chunks of this size. */
const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
/** A send that takes longer than this counts as a failure (the peer is unreachable). */
const SEND_TIMEOUT_MS = 5_000;
/** Messages waiting for one peer beyond this are dropped; Raft resends what matters. */
const MAX_QUEUED_BATCHES = 64;

/** The peer service: hands received messages to the local Raft node. */
export function createRaftPeerService(
  deliver: (messages: Message[]) => void,
): ServiceImpl<typeof RaftService> {
  return {
    async send(requests: AsyncIterable<SendRequest>) {
      let accepted = 0n;
      for await (const request of requests) {
        deliver(request.messages.map((m) => messageFromWire(m)));
        accepted += BigInt(request.messages.length);
      }
      return { accepted };
    },
    async sendSnapshot(requests: AsyncIterable<SendSnapshotRequest>) {
      let header: SendSnapshotRequest["header"];
      const chunks: Uint8Array[] = [];
      for await (const request of requests) {
        if (request.header !== undefined) header = request.header;
        chunks.push(request.chunk);
        if (request.final) {
          const data = Buffer.concat(chunks);
          if (header === undefined)
            return { accepted: false, error: "snapshot without a header message" };
          if (crc32(data) !== request.crc32)
            return { accepted: false, error: "snapshot checksum mismatch" };
          deliver([messageFromWire(header, new Uint8Array(data))]);
          return { accepted: true };
        }
      }
      return { accepted: false, error: "snapshot stream ended before its final chunk" };
    },
  };
}

/** What the transport reports back to Raft. */
export interface PeerTransportEvents {
  unreachable(peerId: number): void;
  snapshotSent(peerId: number, ok: boolean): void;
}

async function* once<T>(item: T): AsyncIterable<T> {
  yield item;
}

async function* snapshotChunks(message: Message): AsyncIterable<SendSnapshotRequest> {
  const data = message.snapshot?.data ?? new Uint8Array();
  const header = messageToWire(message);
  for (let offset = 0; offset < data.length || offset === 0; offset += SNAPSHOT_CHUNK_BYTES) {
    const chunk = data.subarray(offset, offset + SNAPSHOT_CHUNK_BYTES);
    const final = offset + SNAPSHOT_CHUNK_BYTES >= data.length;
    yield create(SendSnapshotRequestSchema, {
      ...(offset === 0 ? { header } : {}),
      chunk,
      final,
      ...(final ? { crc32: crc32(data) } : {}),
    });
    if (final) return;
  }
}

/**
 * Sends Raft messages to peers over `kubekit.raft.v1`, one gRPC client per
 * peer, keeping each peer's messages in order. Sends are fire-and-forget for
 * the Raft loop: failures are reported (unreachable, snapshot failed) and
 * Raft's own retries do the rest.
 */
export class PeerTransport {
  private readonly clients = new Map<number, Client<typeof RaftService>>();
  private readonly queues = new Map<number, { tail: Promise<void>; depth: number }>();

  constructor(
    peers: ReadonlyMap<number, string>,
    private readonly events: PeerTransportEvents,
  ) {
    for (const [id, url] of peers) this.addPeer(id, url);
  }

  /** Starts sending to a peer (a member joined, or its URL changed). */
  addPeer(id: number, url: string): void {
    this.clients.set(id, createClient(RaftService, createGrpcTransport({ baseUrl: url })));
  }

  /** Stops sending to a peer (it left the cluster). */
  removePeer(id: number): void {
    this.clients.delete(id);
    this.queues.delete(id);
  }

  /** Queues messages for their peers. */
  send(messages: readonly Message[]): void {
    const byPeer = new Map<number, Message[]>();
    for (const message of messages) {
      if (message.type === MessageType.MsgSnap) {
        this.enqueue(message.to, () => this.sendSnapshot(message));
        continue;
      }
      const list = byPeer.get(message.to) ?? [];
      list.push(message);
      byPeer.set(message.to, list);
    }
    for (const [peer, list] of byPeer) {
      const client = this.clients.get(peer);
      if (client === undefined) continue;
      const request = create(SendRequestSchema, { messages: list.map(messageToWire) });
      this.enqueue(peer, async () => {
        await client.send(once(request), { timeoutMs: SEND_TIMEOUT_MS });
      });
    }
  }

  private async sendSnapshot(message: Message): Promise<void> {
    const client = this.clients.get(message.to);
    if (client === undefined) return;
    try {
      const response = await client.sendSnapshot(snapshotChunks(message), { timeoutMs: 60_000 });
      this.events.snapshotSent(message.to, response.accepted);
    } catch (error) {
      this.events.snapshotSent(message.to, false);
      throw error;
    }
  }

  private enqueue(peer: number, work: () => Promise<void>): void {
    const queue = this.queues.get(peer) ?? { tail: Promise.resolve(), depth: 0 };
    if (queue.depth >= MAX_QUEUED_BATCHES) return;
    queue.depth++;
    queue.tail = queue.tail
      .then(work)
      .catch(() => this.events.unreachable(peer))
      .finally(() => {
        queue.depth--;
      });
    this.queues.set(peer, queue);
  }
}
