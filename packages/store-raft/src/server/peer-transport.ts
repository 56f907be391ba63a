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
/** A stream that takes no message for this long while messages wait has failed (the peer is unreachable). */
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

/** What waits for one peer, and the stream that carries it there. */
interface Outbox {
  readonly messages: Message[];
  /** Whether a Send stream to the peer is open. */
  streaming: boolean;
  /** Wakes the open stream when messages arrive. */
  wake: (() => void) | undefined;
  /** When the stream last took messages (performance.now()), or undefined while a snapshot goes out. */
  lastTaken: number | undefined;
  /** Ends the open stream (the peer left, or stopped taking messages). */
  abort: AbortController | undefined;
}

function entryBytes(message: Message): number {
  let bytes = 0;
  for (const entry of message.entries) bytes += entry.data.length + 16;
  return bytes;
}

/**
 * Sends Raft messages to peers over `kubekit.raft.v1`, keeping each peer's
 * messages in order. Each peer gets one long-lived `Send` stream: whatever
 * Raft hands over while the stream is writing waits in the peer's outbox
 * and leaves as the stream's next request, one batch. (A Send call per
 * batch cost a round trip and a new HTTP/2 stream on both members per
 * batch; with a commit needing a round trip each way, a 3-member cluster
 * spent most of its time waiting on them.) Sends are fire-and-forget for
 * the Raft loop: a stream that fails, or that takes nothing for
 * {@link SEND_TIMEOUT_MS} while messages wait (a hung peer), is reported
 * (unreachable), its waiting messages dropped, and the next send opens a
 * new one; Raft's own retries do the rest. MsgSnap goes out in its own
 * `SendSnapshot` call, in its place in the order.
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
    this.clients.set(
      id,
      createClient(RaftService, createGrpcTransport({ baseUrl: url, acceptCompression: [] })),
    );
    const outbox = this.outboxes.get(id);
    // A new URL: end the stream to the old one; the next send opens one to the new.
    if (outbox !== undefined) outbox.abort?.abort();
    else
      this.outboxes.set(id, {
        messages: [],
        streaming: false,
        wake: undefined,
        lastTaken: 0,
        abort: undefined,
      });
  }

  /** Stops sending to a peer (it left the cluster). */
  removePeer(id: number): void {
    this.outboxes.get(id)?.abort?.abort();
    this.clients.delete(id);
    this.outboxes.delete(id);
  }

  /** Ends every peer stream (the member is shutting down). */
  close(): void {
    for (const id of [...this.outboxes.keys()]) this.removePeer(id);
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
    for (const peer of touched) {
      const outbox = this.outboxes.get(peer);
      if (outbox === undefined) continue;
      if (outbox.streaming) outbox.wake?.();
      else void this.stream(peer, outbox);
    }
  }

  /** Runs one Send stream to a peer until it fails or is aborted. */
  private async stream(peer: number, outbox: Outbox): Promise<void> {
    const client = this.clients.get(peer);
    if (client === undefined || outbox.streaming) return;
    const abort = new AbortController();
    outbox.streaming = true;
    outbox.abort = abort;
    outbox.lastTaken = performance.now();
    // A peer that stops reading (hung, or its socket stalled) shows as a
    // stream that takes nothing while messages wait.
    const watchdog = setInterval(() => {
      const taken = outbox.lastTaken;
      if (
        outbox.messages.length > 0 &&
        taken !== undefined &&
        performance.now() - taken > SEND_TIMEOUT_MS
      )
        abort.abort();
    }, SEND_TIMEOUT_MS / 5);
    try {
      await client.send(this.requests(peer, outbox, abort.signal), { signal: abort.signal });
    } catch {
      if (this.outboxes.get(peer) === outbox) {
        outbox.messages.length = 0;
        this.events.unreachable(peer);
      }
    } finally {
      clearInterval(watchdog);
      outbox.streaming = false;
      outbox.wake = undefined;
      outbox.abort = undefined;
    }
  }

  /** The requests of one Send stream: a batch of what waits, each time the stream can take one. */
  private async *requests(
    peer: number,
    outbox: Outbox,
    signal: AbortSignal,
  ): AsyncGenerator<SendRequest> {
    // An abort must also wake a stream waiting for messages.
    signal.addEventListener("abort", () => outbox.wake?.(), { once: true });
    while (!signal.aborted) {
      outbox.lastTaken = performance.now();
      if (outbox.messages.length === 0) {
        await new Promise<void>((resolve) => {
          outbox.wake = resolve;
        });
        outbox.wake = undefined;
        continue;
      }
      const head = outbox.messages[0] as Message;
      const client = this.clients.get(peer);
      if (head.type === MessageType.MsgSnap && client !== undefined) {
        outbox.messages.shift();
        outbox.lastTaken = undefined;
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
      yield create(SendRequestSchema, { messages: batch.map(messageToWire) });
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
