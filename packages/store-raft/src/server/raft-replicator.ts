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
import { type Message, MessageType } from "../raft/message.js";
import { seededRandom } from "../raft/random.js";
import { RawNode, type Ready, SnapshotStatus } from "../raft/rawnode.js";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type Snapshot,
  StateType,
} from "../raft/types.js";
import { memberIdOf } from "./member-id.js";
import type { MemberInfo, MembershipControl, RaftStatus, Replicator } from "./replicator.js";

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
  /**
   * Join an existing cluster (etcd's --initial-cluster-state existing): start
   * with an empty log and wait for the leader's snapshot instead of
   * bootstrapping a new cluster.
   */
  readonly join?: boolean;
  /** The cluster token, from which member IDs are derived (see memberIdOf). */
  readonly clusterToken?: string;
  /** Called after a membership change is applied (the transport adds or drops peers). */
  readonly onMembershipChange?: (change: MembershipChange) => void;
  readonly log?: (level: "info" | "warn" | "error", message: string, fields?: object) => void;
}

/** A membership change, as applied. */
export interface MembershipChange {
  readonly kind: "add" | "remove" | "promote";
  readonly member: ClusterMember;
  readonly isLearner: boolean;
}

/** What a membership change request asks for. */
export interface MembershipRequest {
  readonly kind: "add" | "remove" | "promote";
  readonly id: number;
  /** For "add": where the new member is reached by its peers. */
  readonly peerUrls?: readonly string[];
  /** For "add": join as a learner (non-voting). */
  readonly isLearner?: boolean;
}

/** The context a conf-change entry carries: who the member is, and who asked. */
interface ConfChangeContext {
  readonly name: string;
  readonly peerUrls: string[];
  readonly clientUrls: string[];
  /** `proposer:id`, so the proposing member can answer its client. */
  readonly request: string;
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
export class RaftReplicator implements Replicator, MembershipControl {
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
  /** Proposals waiting for the next Ready, to reach the node as one batch. */
  private queuedProposals: Array<{ id: bigint; data: Uint8Array }> = [];
  /** Reads waiting for a ReadIndex answer, then for it to be applied. */
  private readonly reads = new Map<string, ReadWaiter>();
  private nextReadWaiter = 0;
  private queuedReads: string[] = [];
  private readRound: { key: string; ids: string[]; timer: NodeJS.Timeout } | undefined;
  private readonly pendingChanges = new Map<string, Pending>();
  /** Every member's name and URLs: replicated through conf-change entries and snapshots. */
  private readonly registry = new Map<number, ClusterMember>();
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

  /** Membership changes through the log. */
  get membership(): MembershipControl {
    return this;
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
      for (const member of this.options.members) this.registry.set(member.id, member);
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
    } else if (this.options.join) {
      // A new member of a running cluster: nothing but its identity; the
      // leader sends it a snapshot, members included.
      this.wal = Wal.create(walDir, { memberId: this.memberId, clusterId: this.clusterId });
      for (const member of this.options.members) this.registry.set(member.id, member);
    } else {
      this.wal = Wal.create(walDir, { memberId: this.memberId, clusterId: this.clusterId });
      for (const member of this.options.members) this.registry.set(member.id, member);
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
        data: this.encodeSnapshotData(),
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
      this.queuedProposals.push({ id, data });
      this.scheduleReady();
    });
  }

  /**
   * Hands every proposal queued since the last Ready to the node as one
   * batch: one MsgProp, one append to each follower and one WAL write for
   * all of them, where a step per proposal sent a message per proposal to
   * every follower.
   */
  private flushProposals(): void {
    if (this.queuedProposals.length === 0) return;
    const batch = this.queuedProposals;
    this.queuedProposals = [];
    try {
      this.node.proposeBatch(batch.map((p) => p.data));
    } catch {
      for (const { id } of batch) {
        const pending = this.pending.get(id);
        if (pending === undefined) continue;
        this.pending.delete(id);
        clearTimeout(pending.timer);
        pending.reject(EtcdErrors.noLeader());
      }
    }
  }

  async readIndex(): Promise<void> {
    if (this.stopped) throw EtcdErrors.stopped();
    await this.waitForLeader();
    const id = String(this.nextReadWaiter++);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(id);
        reject(EtcdErrors.timeout());
      }, this.requestTimeoutMs());
      this.reads.set(id, { resolve, reject, timer });
      this.queuedReads.push(id);
      this.startReadRound();
    });
  }

  /**
   * Starts a ReadIndex round for every read queued since the last one, as
   * etcd batches them: one leadership confirmation serves them all. A round
   * whose answer never comes (leadership moved) is given up after two
   * election timeouts and its reads join the next one.
   */
  private startReadRound(): void {
    if (this.readRound !== undefined || this.queuedReads.length === 0 || this.stopped) return;
    const context = Buffer.alloc(16);
    context.writeBigUInt64BE(this.memberId, 0);
    context.writeBigUInt64BE(this.nextRead++, 8);
    const key = context.toString("hex");
    const ids = this.queuedReads;
    this.queuedReads = [];
    const timer = setTimeout(
      () => {
        if (this.readRound?.key !== key) return;
        this.readRound = undefined;
        this.queuedReads = [...ids.filter((id) => this.reads.has(id)), ...this.queuedReads];
        this.startReadRound();
      },
      2 * (this.options.tickMs ?? 100) * (this.options.electionTicks ?? 10),
    );
    this.readRound = { key, ids, timer };
    this.node.readIndex(new Uint8Array(context));
    this.scheduleReady();
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
    return [...this.registry.values()]
      .filter((m) => inConfig.has(m.id))
      .map((m) => ({
        id: BigInt(m.id),
        name: m.name,
        peerUrls: [m.peerUrl],
        clientUrls: [...m.clientUrls],
        isLearner: learners.has(m.id),
      }));
  }

  /**
   * Changes the membership through the log (one change at a time, as the
   * Raft core allows) and resolves with the members once it is applied here.
   */
  async changeMembership(request: MembershipRequest): Promise<MemberInfo[]> {
    if (this.stopped) throw EtcdErrors.stopped();
    await this.waitForLeader();
    const requestKey = `${this.memberId}:${this.nextProposal++}`;
    const existing = this.registry.get(request.id);
    const context: ConfChangeContext = {
      name: existing?.name ?? "",
      peerUrls: [...(request.peerUrls ?? (existing ? [existing.peerUrl] : []))],
      clientUrls: [...(existing?.clientUrls ?? [])],
      request: requestKey,
    };
    const type =
      request.kind === "remove"
        ? ConfChangeType.RemoveNode
        : request.kind === "add" && request.isLearner
          ? ConfChangeType.AddLearnerNode
          : ConfChangeType.AddNode;
    await new Promise<CommandResult | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingChanges.delete(requestKey);
        reject(EtcdErrors.timeout());
      }, this.requestTimeoutMs());
      this.pendingChanges.set(requestKey, { resolve: () => resolve(undefined), reject, timer });
      try {
        this.node.proposeConfChange({
          type,
          nodeId: request.id,
          context: new TextEncoder().encode(JSON.stringify(context)),
        });
      } catch {
        clearTimeout(timer);
        this.pendingChanges.delete(requestKey);
        reject(EtcdErrors.noLeader());
        return;
      }
      this.scheduleReady();
    });
    return this.members();
  }

  /** The ID a member reached at `peerUrl` has in this cluster. */
  memberIdFor(peerUrl: string): number {
    return memberIdOf(peerUrl, this.options.clusterToken ?? "kubekit-store");
  }

  /** The leader's view of how far a member's log is behind, or undefined off the leader. */
  lagOf(id: number): number | undefined {
    const status = this.node.status();
    const progress = status.progress?.get(id);
    if (progress === undefined) return undefined;
    return Math.max(0, status.hardState.commit - progress.match);
  }

  private applyMembershipChange(change: ConfChange): void {
    const wasMember = this.registry.has(change.nodeId);
    this.confState = this.node.applyConfChange(change);
    let context: ConfChangeContext | undefined;
    try {
      context =
        change.context && change.context.length > 0
          ? JSON.parse(new TextDecoder().decode(change.context))
          : undefined;
    } catch {
      context = undefined;
    }
    const id = change.nodeId;
    const isLearner = this.confState.learners.includes(id);
    if (change.type === ConfChangeType.RemoveNode) {
      const member = this.registry.get(id);
      this.registry.delete(id);
      if (member !== undefined)
        this.options.onMembershipChange?.({ kind: "remove", member, isLearner: false });
      if (id === this.options.self.id)
        this.log("warn", "store: this member was removed from the cluster");
    } else {
      const known = this.options.members.find((m) => m.id === id);
      const member: ClusterMember = {
        id,
        name: context?.name || this.registry.get(id)?.name || known?.name || "",
        peerUrl: context?.peerUrls[0] ?? this.registry.get(id)?.peerUrl ?? known?.peerUrl ?? "",
        clientUrls: context?.clientUrls ?? this.registry.get(id)?.clientUrls ?? [],
      };
      this.registry.set(id, member);
      if (id !== this.options.self.id) {
        this.options.onMembershipChange?.({
          kind: wasMember ? "promote" : "add",
          member,
          isLearner,
        });
      }
    }
    const pending = context === undefined ? undefined : this.pendingChanges.get(context.request);
    if (pending !== undefined && context !== undefined) {
      this.pendingChanges.delete(context.request);
      clearTimeout(pending.timer);
      pending.resolve(undefined as never);
    }
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
    this.queuedProposals = [];
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
    if (this.readRound !== undefined) clearTimeout(this.readRound.timer);
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
    if (!this.stopped) this.flushProposals();
    while (!this.stopped && this.node.hasReady()) {
      const ready = this.node.ready();
      this.persist(ready);
      this.options.send(
        ready.messages.map((m) => (m.type === MessageType.MsgSnap ? this.withFreshSnapshot(m) : m)),
      );
      this.apply(ready);
      this.node.advance(ready);
      this.maybeSnapshot();
    }
  }

  /**
   * Replaces the snapshot of an outgoing MsgSnap with one of the state as
   * applied now, with the membership as it is now (as etcd's leader merges
   * one for each send): the stored snapshot may predate the recipient's
   * joining, and a member never installs a snapshot whose configuration
   * leaves it out.
   */
  private withFreshSnapshot(message: Message): Message {
    const term = this.storage.term(this.applied);
    return {
      ...message,
      snapshot: {
        metadata: { index: this.applied, term, confState: this.confState },
        data: this.encodeSnapshotData(),
      },
    };
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
      const round = this.readRound;
      if (round === undefined || round.key !== Buffer.from(state.requestCtx).toString("hex"))
        continue;
      clearTimeout(round.timer);
      this.readRound = undefined;
      for (const id of round.ids) {
        const read = this.reads.get(id);
        if (read !== undefined) read.index = state.index;
      }
    }
    this.releaseReads();
    this.startReadRound();
  }

  private applyEntry(entry: Entry): void {
    if (entry.index <= this.applied) return;
    if (entry.type === EntryType.ConfChange) {
      this.applyMembershipChange(decodeConfChange(entry.data));
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

  private encodeSnapshotData(): Uint8Array {
    return encodeStoreSnapshot({
      mvcc: this.options.stateMachine.mvcc,
      lessor: this.options.stateMachine.lessor,
      members: [...this.registry.values()].map((m) => ({
        id: m.id,
        name: m.name,
        peerUrls: [m.peerUrl],
        clientUrls: [...m.clientUrls],
      })),
    });
  }

  private installSnapshotState(snapshot: Snapshot): void {
    const { mvcc, lessor, members } = decodeStoreSnapshot(
      snapshot.data,
      this.options.minLeaseTtlSeconds,
    );
    this.options.stateMachine.restore(mvcc, lessor, this.now());
    if (members !== undefined) {
      const before = new Set(this.registry.keys());
      this.registry.clear();
      for (const m of members) {
        const known = this.options.members.find((o) => o.id === m.id);
        this.registry.set(m.id, {
          id: m.id,
          name: m.name || known?.name || "",
          peerUrl: m.peerUrls[0] ?? known?.peerUrl ?? "",
          // A member knows its own client URLs better than an old snapshot.
          clientUrls: m.id === this.options.self.id ? this.options.self.clientUrls : m.clientUrls,
        });
        if (!before.has(m.id) && m.id !== this.options.self.id) {
          this.options.onMembershipChange?.({
            kind: "add",
            member: this.registry.get(m.id) as ClusterMember,
            isLearner: snapshot.metadata.confState.learners.includes(m.id),
          });
        }
      }
    }
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
      this.encodeSnapshotData(),
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
