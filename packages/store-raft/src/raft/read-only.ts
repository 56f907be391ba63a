import type { Message } from "./message.js";

/** How the leader answers read-index requests. */
export enum ReadOnlyOption {
  /**
   * Confirm leadership with a heartbeat round before answering: always
   * linearizable.
   */
  Safe = 0,
  /**
   * Answer from the leader's lease (no round trip). Linearizable only if
   * clocks drift less than the election timeout; requires CheckQuorum.
   */
  LeaseBased = 1,
}

/** One read-index request waiting for a quorum of heartbeat acknowledgements. */
export interface ReadIndexStatus {
  readonly req: Message;
  /** The leader's commit index when the request arrived. */
  readonly index: number;
  readonly acks: Map<number, boolean>;
}

/** A request's context as a map key (its bytes, one char each). */
function contextKey(ctx: Uint8Array): string {
  return Buffer.from(ctx).toString("latin1");
}

/** The context of a read-index request: its first entry's data. */
export function readIndexContext(m: Message): Uint8Array {
  return m.entries[0]?.data ?? new Uint8Array(0);
}

/**
 * The leader's queue of read-index requests in arrival order. A heartbeat
 * round acknowledged by a quorum confirms every request queued up to the
 * one whose context it carried.
 */
export class ReadOnly {
  private readonly pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  constructor(readonly option: ReadOnlyOption) {}

  /** Queues a request seen when the commit index was `index`; duplicates are ignored. */
  addRequest(index: number, m: Message): void {
    const key = contextKey(readIndexContext(m));
    if (this.pending.has(key)) return;
    this.pending.set(key, { req: m, index, acks: new Map() });
    this.queue.push(key);
  }

  /** Records `id`'s acknowledgement of the heartbeat carrying `ctx`; returns the acks so far. */
  recvAck(id: number, ctx: Uint8Array): ReadonlyMap<number, boolean> {
    const rs = this.pending.get(contextKey(ctx));
    if (rs === undefined) return new Map();
    rs.acks.set(id, true);
    return rs.acks;
  }

  /**
   * Dequeues and returns every request up to and including the one whose
   * context `m` carries (they were all queued before it, so they are all confirmed).
   */
  advance(m: Message): ReadIndexStatus[] {
    const key = contextKey(m.context);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const done = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: ReadIndexStatus[] = [];
    for (const k of done) {
      const rs = this.pending.get(k);
      if (rs !== undefined) out.push(rs);
      this.pending.delete(k);
    }
    return out;
  }

  /** The context of the newest pending request, carried by the next heartbeat round. */
  lastPendingRequestCtx(): Uint8Array {
    const key = this.queue[this.queue.length - 1];
    if (key === undefined) return new Uint8Array(0);
    return new Uint8Array(Buffer.from(key, "latin1"));
  }

  /** Number of requests waiting. */
  size(): number {
    return this.queue.length;
  }
}
