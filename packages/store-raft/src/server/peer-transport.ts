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
const MAX_QUEUED_MESSAGES = 4096;
/** One Send carries at most this many entry bytes (the peer reads up to 64 MiB). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

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

/** What waits for one peer, and whether a sender is draining it. */
interface Outbox {
  readonly messages: Message[];
  draining: boolean;
}

function entryBytes(message: Message): number {
  let bytes = 0;
  for (const entry of message.entries) bytes += entry.data.length + 16;
  return bytes;
}

/**
 * Sends Raft messages to peers over `kubekit.raft.v1`, keeping each peer's
 * messages in order. One Send is in flight per peer at a time; whatever
 * Raft hands over meanwhile waits in the peer's outbox and leaves as one
 * batch when that Send returns. (A Send per Ready, each waiting for the
 * one before, let the queue grow without bound once a round trip took
 * longer than a tick: on a loaded machine every message then sat behind
 * seconds of heartbeats.) Sends are fire-and-forget for the Raft loop:
 * failures are reported (unreachable, snapshot failed) and Raft's own
 * retries do the rest.
 */
export class PeerTransport {
  private readonly clients = new Map<number, Client<typeof RaftService>>();
  private readonly outboxes = new Map<number, Outbox>();

  constructor(
    peers: ReadonlyMap<number, string>,
    private readonly events: PeerTransportEvents,
  ) {
    for (const [id, url] of peers) this.addPeer(id, url);
  }

  /** Starts sending to a peer (a member joined, or its URL changed). */
  addPeer(id: number, url: string): void {
    this.clients.set(id, createClient(RaftService, createGrpcTransport({ baseUrl: url })));
    if (!this.outboxes.has(id)) this.outboxes.set(id, { messages: [], draining: false });
  }

  /** Stops sending to a peer (it left the cluster). */
  removePeer(id: number): void {
    this.clients.delete(id);
    this.outboxes.delete(id);
  }

  /** Queues messages for their peers. */
  send(messages: readonly Message[]): void {
    const touched = new Set<number>();
    for (const message of messages) {
      const outbox = this.outboxes.get(message.to);
      if (outbox === undefined || outbox.messages.length >= MAX_QUEUED_MESSAGES) continue;
      outbox.messages.push(message);
      touched.add(message.to);
    }
    for (const peer of touched) void this.drain(peer);
  }

  /** Empties a peer's outbox, one Send (or one snapshot) at a time. */
  private async drain(peer: number): Promise<void> {
    const outbox = this.outboxes.get(peer);
    const client = this.clients.get(peer);
    if (outbox === undefined || client === undefined || outbox.draining) return;
    outbox.draining = true;
    try {
      // Each turn takes at least one message off, so this ends once Raft stops sending.
      while (outbox.messages.length > 0) {
        const head = outbox.messages[0] as Message;
        if (head.type === MessageType.MsgSnap) {
          outbox.messages.shift();
          await this.sendSnapshot(client, head).catch(() => this.events.unreachable(peer));
          continue;
        }
        let count = 0;
        let bytes = 0;
        for (const message of outbox.messages) {
          if (message.type === MessageType.MsgSnap) break;
          bytes += entryBytes(message);
          if (count > 0 && bytes > MAX_BATCH_BYTES) break;
          count++;
        }
        const batch = outbox.messages.splice(0, count);
        const request = create(SendRequestSchema, { messages: batch.map(messageToWire) });
        await client
          .send(once(request), { timeoutMs: SEND_TIMEOUT_MS })
          .catch(() => this.events.unreachable(peer));
      }
    } finally {
      outbox.draining = false;
    }
  }

  private async sendSnapshot(client: Client<typeof RaftService>, message: Message): Promise<void> {
    try {
      const response = await client.sendSnapshot(snapshotChunks(message), { timeoutMs: 60_000 });
      this.events.snapshotSent(message.to, response.accepted);
    } catch (error) {
      this.events.snapshotSent(message.to, false);
      throw error;
    }
  }
}
