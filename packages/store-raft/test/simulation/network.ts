import { type Message, MessageType, type RandomSource } from "../../src/index.js";

/** How unreliable the simulated network is. */
export interface NetworkFaults {
  /** Chance (0..1) a message is lost. */
  readonly drop: number;
  /** Chance (0..1) a message is delivered twice. */
  readonly duplicate: number;
  /** Most steps a message may be delayed; different delays reorder messages. */
  readonly maxDelay: number;
}

/** No faults at all. */
export const RELIABLE: NetworkFaults = { drop: 0, duplicate: 0, maxDelay: 0 };

interface InFlight {
  readonly at: number;
  readonly seq: number;
  readonly msg: Message;
  /** A lost snapshot: its sender learns of the failure when it was due. */
  readonly lost: boolean;
}

/** What arrives at one step. */
export interface Arrivals {
  readonly delivered: Message[];
  /** MsgSnaps that did not make it: the snapshot stream reports failure to the sender. */
  readonly failedSnapshots: Message[];
}

/**
 * A deterministic, lossy network: messages are queued with a random delay
 * and possibly dropped or duplicated; a partition cuts nodes in different
 * groups apart at delivery time.
 */
export class SimNetwork {
  private queue: InFlight[] = [];
  private seq = 0;
  private groups: Map<number, number> | undefined;
  faults: NetworkFaults = RELIABLE;

  constructor(private readonly random: RandomSource) {}

  /** Queues messages sent at step `now`. */
  send(now: number, msgs: readonly Message[]): void {
    for (const msg of msgs) {
      if (chance(this.random, this.faults.drop)) {
        // A snapshot goes over a stream that reports failure; other messages vanish.
        if (msg.type === MessageType.MsgSnap) {
          this.queue.push({ at: now + 1, seq: this.seq++, msg, lost: true });
        }
        continue;
      }
      const copies = chance(this.random, this.faults.duplicate) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const delay = this.faults.maxDelay > 0 ? this.random.intn(this.faults.maxDelay + 1) : 0;
        this.queue.push({ at: now + 1 + delay, seq: this.seq++, msg, lost: false });
      }
    }
  }

  /** Removes and returns the messages due at `now`, in (due step, send order); partitions drop messages. */
  due(now: number): Arrivals {
    const ready = this.queue.filter((f) => f.at <= now);
    this.queue = this.queue.filter((f) => f.at > now);
    ready.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const delivered: Message[] = [];
    const failedSnapshots: Message[] = [];
    for (const f of ready) {
      const ok = !f.lost && !this.cut(f.msg.from, f.msg.to);
      if (ok) delivered.push(f.msg);
      else if (f.msg.type === MessageType.MsgSnap) failedSnapshots.push(f.msg);
    }
    return { delivered, failedSnapshots };
  }

  /** Splits the nodes into groups that cannot talk to each other. */
  partition(groups: readonly (readonly number[])[]): void {
    this.groups = new Map();
    groups.forEach((g, n) => {
      for (const id of g) this.groups?.set(id, n);
    });
  }

  heal(): void {
    this.groups = undefined;
  }

  isPartitioned(): boolean {
    return this.groups !== undefined;
  }

  pending(): number {
    return this.queue.length;
  }

  private cut(a: number, b: number): boolean {
    return this.groups !== undefined && this.groups.get(a) !== this.groups.get(b);
  }
}

/** True with probability `p`, drawn from `random`. */
export function chance(random: RandomSource, p: number): boolean {
  if (p <= 0) return false;
  return random.intn(1_000_000) < p * 1_000_000;
}
