import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { type StoreCommand, StoreCommandSchema } from "@kubekit/proto/store";
import { Snapshotter } from "../durable/snapshotter.js";
import { decodeStoreSnapshot, encodeStoreSnapshot } from "../durable/store-snapshot.js";
import { Wal } from "../durable/wal.js";
import { EtcdErrors } from "../kv/etcd-errors.js";
import type { CommandResult, KvStateMachine } from "../kv/state-machine.js";
import { decodeConfChange } from "../raft/conf-change-codec.js";
import { MemoryStorage } from "../raft/memory-storage.js";
import type { Message } from "../raft/message.js";
import { seededRandom } from "../raft/random.js";
import { RawNode, type Ready, SnapshotStatus } from "../raft/rawnode.js";
import { type ConfState, type Entry, EntryType, type Snapshot, StateType } from "../raft/types.js";
import type { MemberInfo, RaftStatus, Replicator } from "./replicator.js";

/** One member of the initial cluster. */
export interface ClusterMember {
  /** Raft ID, the same on every member (derived from name and peer URL). */
  readonly id: number;
  readonly name: string;
  readonly peerUrl: string;
  readonly clientUrls: readonly string[];
}

/** Options of the Raft-backed replicator. */
export interface RaftReplicatorOptions {
  readonly self: ClusterMember;
  /** Every member of the initial cluster, this one included. */
  readonly members: readonly ClusterMember[];
  readonly clusterId: bigint;
  readonly dataDir: string;
  readonly stateMachine: KvStateMachine;
  /** Hands messages to the peer transport (set by the owner before start). */
  readonly send: (messages: readonly Message[]) => void;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Applied entries between snapshots (etcd's --snapshot-count). */
  readonly snapshotCount?: number;
  /** Entries kept in the log behind a snapshot, for slow followers. */
  readonly catchUpEntries?: number;
  readonly maxRequestBytes: number;
  /** How long a write or linearizable read may wait, in ms (etcd: 5 s + 2 election timeouts). */
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
  readonly minLeaseTtlSeconds?: number;
  readonly log?: (level: "info" | "warn" | "error", message: string, fields?: object) => void;
}

interface Pending {
  resolve(result: CommandResult): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

interface ReadWaiter {
  index?: number;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Runs a member's Raft node: ticks it, feeds it proposals and peer
 * messages, and handles each Ready in the order the core demands — persist
 * to the WAL (synced), send, apply committed commands to the state machine,
 * advance. Writes resolve on the member that proposed them once applied
 * there; linearizable reads wait for a ReadIndex round and its application.
 */
export class RaftReplicator implements Replicator {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  private readonly storage = new MemoryStorage();
  private readonly snapshotter: Snapshotter;
  private wal!: Wal;
  private node!: RawNode;
  private confState: ConfState = { voters: [], learners: [] };
  private applied = 0;
  private snapshotIndex = 0;
  private leader = 0;
  private term = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readyScheduled = false;
  private stopped = false;
  private nextProposal: bigint;
  private nextRead = 0n;
  private readonly pending = new Map<bigint, Pending>();
  private readonly reads = new Map<string, ReadWaiter>();
  private readonly leaderWaiters = new Set<() => void>();
  private readonly now: () => number;
  private readonly log: NonNullable<RaftReplicatorOptions["log"]>;

  constructor(private readonly options: RaftReplicatorOptions) {
    this.memberId = BigInt(options.self.id);
    this.clusterId = options.clusterId;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.snapshotter = new Snapshotter(join(options.dataDir, "snap"));
    // Proposal IDs only need to be unique among this member's proposals in
    // flight; starting from the clock keeps them apart from replayed ones.
    this.nextProposal = BigInt(Date.now()) * 1000n;
  }

  /** Recovers from the data dir (or bootstraps a new member) and starts ticking. */
  start(): void {
    const walDir = join(this.options.dataDir, "wal");
    let applied = 0;
    if (Wal.exists(walDir)) {
      const { wal, contents } = Wal.open(walDir);
      this.wal = wal;
      if (contents.truncatedBytes > 0) {
        this.log("warn", "wal: cut a torn write off the end of the log", {
          bytes: contents.truncatedBytes,
        });
      }
      const snapshot = this.snapshotter.loadNewest();
      if (
        contents.snapshot !== undefined &&
        (snapshot?.metadata.index ?? 0) < contents.snapshot.index
      ) {
        const have = snapshot?.metadata.index ?? 0;
        // An older snapshot is fine only if the WAL still reaches back to it.
        if ((contents.entries[0]?.index ?? Number.POSITIVE_INFINITY) > have + 1) {
          throw new Error(
            `store: snapshot at index ${contents.snapshot.index} is missing or damaged and the log does not reach back to index ${have}`,
          );
        }
      }
      if (snapshot !== undefined) {
        this.storage.applySnapshot(snapshot);
        this.installSnapshotState(snapshot);
        applied = snapshot.metadata.index;
      }
      this.storage.append(
        contents.entries.filter((e) => e.index > (snapshot?.metadata.index ?? 0)),
      );
      if (contents.hardState !== undefined) this.storage.setHardState(contents.hardState);
      this.log("info", "store: recovered from disk", {
        snapshotIndex: snapshot?.metadata.index ?? 0,
        entries: contents.entries.length,
        commit: contents.hardState?.commit ?? 0,
      });
    } else {
      this.wal = Wal.create(walDir, { memberId: this.memberId, clusterId: this.clusterId });
      // Every member of a new cluster starts from the same snapshot: index
      // 1, term 1, the initial members as voters, an empty store.
      const snapshot: Snapshot = {
        metadata: {
          index: 1,
          term: 1,
          confState: {
            voters: this.options.members.map((m) => m.id).sort((a, b) => a - b),
            learners: [],
          },
        },
        data: encodeStoreSnapshot(this.options.stateMachine),
      };
      this.snapshotter.save(snapshot);
      this.wal.saveSnapshot(snapshot.metadata);
      this.wal.save([], { term: 1, vote: 0, commit: 1 }, true);
      this.storage.applySnapshot(snapshot);
      this.storage.setHardState({ term: 1, vote: 0, commit: 1 });
      this.confState = snapshot.metadata.confState;
      this.snapshotIndex = 1;
      applied = 1;
    }
    this.applied = applied;
    const electionTicks = this.options.electionTicks ?? 10;
    this.node = new RawNode({
      id: this.options.self.id,
      electionTick: electionTicks,
      heartbeatTick: this.options.heartbeatTicks ?? 1,
      storage: this.storage,
      random: seededRandom(randomBytes(4).readUInt32BE()),
      applied,
      preVote: true,
      checkQuorum: true,
      maxSizePerMsg: 1024 * 1024,
      maxInflightMsgs: 256,
    });
    this.ticker = setInterval(() => {
      this.node.tick();
      this.processReady();
    }, this.options.tickMs ?? 100);
    this.processReady();
  }

  /** Hands messages from peers to the Raft node. */
  receive(messages: readonly Message[]): void {
    if (this.stopped) return;
    for (const message of messages) {
      try {
        this.node.step(message);
      } catch (error) {
        this.log("warn", "raft: dropped a message it could not step", {
          error: String(error),
          type: message.type,
        });
      }
    }
    this.scheduleReady();
  }

  /** Reports a peer unreachable (the transport could not deliver to it). */
  reportUnreachable(peerId: number): void {
    if (!this.stopped) this.node.reportUnreachable(peerId);
  }

  /** Reports how sending a snapshot to a peer went. */
  reportSnapshot(peerId: number, ok: boolean): void {
    if (!this.stopped)
      this.node.reportSnapshot(peerId, ok ? SnapshotStatus.Finish : SnapshotStatus.Failure);
  }

  async propose(command: Pick<StoreCommand, "command">): Promise<CommandResult> {
    if (this.stopped) throw EtcdErrors.stopped();
    const id = this.nextProposal++;
    const data = toBinary(
      StoreCommandSchema,
      create(StoreCommandSchema, { ...command, id, proposer: this.memberId }),
    );
    if (data.length > this.options.maxRequestBytes) throw EtcdErrors.requestTooLarge();
    await this.waitForLeader();
    return await new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(EtcdErrors.timeout());
      }, this.requestTimeoutMs());
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.node.propose(data);
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(EtcdErrors.noLeader());
        return;
      }
      this.scheduleReady();
    });
  }

  async readIndex(): Promise<void> {
    if (this.stopped) throw EtcdErrors.stopped();
    await this.waitForLeader();
    const context = Buffer.alloc(16);
    context.writeBigUInt64BE(this.memberId, 0);
    context.writeBigUInt64BE(this.nextRead++, 8);
    const key = context.toString("hex");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(key);
        reject(EtcdErrors.timeout());
      }, this.requestTimeoutMs());
      this.reads.set(key, { resolve, reject, timer });
      this.node.readIndex(new Uint8Array(context));
      this.scheduleReady();
    });
  }

  status(): RaftStatus {
    return {
      term: BigInt(this.term),
      leader: BigInt(this.leader),
      commitIndex: BigInt(this.node?.status().hardState.commit ?? 0),
      appliedIndex: BigInt(this.applied),
    };
  }

  members(): MemberInfo[] {
    const learners = new Set(this.confState.learners);
    const inConfig = new Set([...this.confState.voters, ...this.confState.learners]);
    return this.options.members
      .filter((m) => inConfig.has(m.id))
      .map((m) => ({
        id: BigInt(m.id),
        name: m.name,
        peerUrls: [m.peerUrl],
        clientUrls: [...m.clientUrls],
        isLearner: learners.has(m.id),
      }));
  }

  /** Whether this member is the leader now. */
  get isLeader(): boolean {
    return this.leader === this.options.self.id;
  }

  /** Stops ticking, fails what is waiting and closes the WAL. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(EtcdErrors.stopped());
      this.pending.delete(id);
    }
    for (const [key, read] of this.reads) {
      clearTimeout(read.timer);
      read.reject(EtcdErrors.stopped());
      this.reads.delete(key);
    }
    this.wal.close();
  }

  // --- the Ready loop ---------------------------------------------------

  private requestTimeoutMs(): number {
    return (
      this.options.requestTimeoutMs ??
      5000 + 2 * (this.options.tickMs ?? 100) * (this.options.electionTicks ?? 10)
    );
  }

  private async waitForLeader(): Promise<void> {
    if (this.leader !== 0) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.leaderWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.leaderWaiters.delete(done);
        reject(EtcdErrors.noLeader());
      }, this.requestTimeoutMs());
      this.leaderWaiters.add(done);
    });
  }

  private scheduleReady(): void {
    if (this.readyScheduled || this.stopped) return;
    this.readyScheduled = true;
    setImmediate(() => {
      this.readyScheduled = false;
      this.processReady();
    });
  }

  private processReady(): void {
    while (!this.stopped && this.node.hasReady()) {
      const ready = this.node.ready();
      this.persist(ready);
      this.options.send(ready.messages);
      this.apply(ready);
      this.node.advance(ready);
      this.maybeSnapshot();
    }
  }

  /** Step 1: make the Ready durable before anything leaves this member. */
  private persist(ready: Ready): void {
    if (ready.snapshot !== undefined) {
      this.snapshotter.save(ready.snapshot);
      this.wal.saveSnapshot(ready.snapshot.metadata);
      this.storage.applySnapshot(ready.snapshot);
    }
    this.wal.save(ready.entries, ready.hardState, ready.mustSync);
    this.storage.append(ready.entries);
    if (ready.hardState !== undefined) {
      this.storage.setHardState(ready.hardState);
      this.term = ready.hardState.term;
    }
  }

  /** Step 3: apply what committed, answer waiting clients, track the leader. */
  private apply(ready: Ready): void {
    if (ready.softState !== undefined)
      this.onSoftState(ready.softState.lead, ready.softState.raftState);
    if (ready.snapshot !== undefined) {
      this.installSnapshotState(ready.snapshot);
      this.applied = ready.snapshot.metadata.index;
      this.log("info", "store: installed a snapshot from the leader", { index: this.applied });
    }
    for (const entry of ready.committedEntries) this.applyEntry(entry);
    for (const state of ready.readStates) {
      const read = this.reads.get(Buffer.from(state.requestCtx).toString("hex"));
      if (read !== undefined) read.index = state.index;
    }
    this.releaseReads();
  }

  private applyEntry(entry: Entry): void {
    if (entry.index <= this.applied) return;
    if (entry.type === EntryType.ConfChange) {
      this.confState = this.node.applyConfChange(decodeConfChange(entry.data));
    } else if (entry.data.length > 0) {
      const command = fromBinary(StoreCommandSchema, entry.data);
      let result: CommandResult | undefined;
      let failure: unknown;
      try {
        result = this.options.stateMachine.apply(command, this.now());
      } catch (error) {
        failure = error;
      }
      if (command.proposer === this.memberId) {
        const pending = this.pending.get(command.id);
        if (pending !== undefined) {
          this.pending.delete(command.id);
          clearTimeout(pending.timer);
          if (result !== undefined) pending.resolve(result);
          else pending.reject(failure as ConnectError);
        }
      }
    }
    this.applied = entry.index;
  }

  private releaseReads(): void {
    for (const [key, read] of this.reads) {
      if (read.index !== undefined && read.index <= this.applied) {
        this.reads.delete(key);
        clearTimeout(read.timer);
        read.resolve();
      }
    }
  }

  private onSoftState(lead: number, raftState: StateType): void {
    const wasLeader = this.isLeader;
    this.leader = lead;
    const isLeader = raftState === StateType.Leader;
    if (isLeader && !wasLeader) {
      // A new leader gives every lease its full TTL again.
      this.options.stateMachine.lessor.promote(this.now());
      this.log("info", "raft: became leader", { term: this.term });
    } else if (!isLeader && wasLeader) {
      this.options.stateMachine.lessor.demote();
      this.log("info", "raft: lost leadership", { leader: lead });
    }
    if (lead !== 0) {
      for (const waiter of [...this.leaderWaiters]) waiter();
    }
  }

  private installSnapshotState(snapshot: Snapshot): void {
    const { mvcc, lessor } = decodeStoreSnapshot(snapshot.data, this.options.minLeaseTtlSeconds);
    this.options.stateMachine.restore(mvcc, lessor, this.now());
    this.confState = snapshot.metadata.confState;
    this.snapshotIndex = snapshot.metadata.index;
  }

  /** Takes a snapshot every `snapshotCount` applied entries and compacts the log behind it. */
  private maybeSnapshot(): void {
    const every = this.options.snapshotCount ?? 10_000;
    if (this.applied - this.snapshotIndex < every) return;
    const snapshot = this.storage.createSnapshot(
      this.applied,
      this.confState,
      encodeStoreSnapshot(this.options.stateMachine),
    );
    this.snapshotter.save(snapshot);
    this.wal.saveSnapshot(snapshot.metadata);
    this.snapshotIndex = this.applied;
    const keep = this.options.catchUpEntries ?? 5_000;
    if (this.applied - keep > this.storage.firstIndex()) this.storage.compact(this.applied - keep);
    const oldest = this.snapshotter.oldestIndex();
    if (oldest !== undefined) this.wal.releaseBefore(oldest);
    this.log("info", "store: took a snapshot", { index: this.applied });
  }
}
