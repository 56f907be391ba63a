import {
  type ConfChange,
  ConfChangeType,
  decodeConfChange,
  type Entry,
  EntryType,
  isRaftError,
  MemoryStorage,
  type Message,
  MessageType,
  type RandomSource,
  SnapshotStatus,
  StateType,
  seededRandom,
} from "../../src/index.js";
import { bootstrapStorage, NodeHost, type NodeOptions } from "../support/node-host.js";
import { InvariantChecker, InvariantViolation } from "./invariants.js";
import { chance, type NetworkFaults, RELIABLE, SimNetwork } from "./network.js";

/** The shape of one simulated run, all derived from its seed. */
export interface SimulationPlan {
  readonly seed: number;
  readonly size: number;
  /** Steps with faults. */
  readonly chaosSteps: number;
  /** Most fault-free steps allowed for the cluster to converge afterwards. */
  readonly calmSteps: number;
  /** Also change the membership: add two learners, promote one, remove a voter. */
  readonly membership: boolean;
}

const BOOTSTRAP_INDEX = 1;
const RETRY_EVERY = 15;
const TRACE_LIMIT = 40;

/**
 * A deterministic Raft cluster in one process. Each step delivers the
 * messages due, ticks every live node, lets clients propose, and handles
 * every node's Ready. During the chaos phase the network drops, delays,
 * duplicates and reorders messages, partitions come and go, and nodes crash
 * (keeping only their storage) and restart. Invariants are checked after
 * every step; the calm phase then demands progress.
 */
export class Simulation {
  private readonly random: RandomSource;
  private readonly network: SimNetwork;
  readonly checker = new InvariantChecker(BOOTSTRAP_INDEX);
  private readonly hosts = new Map<number, NodeHost>();
  private readonly down = new Map<number, number>(); // id → step to restart at
  private readonly proposed: string[] = [];
  private readonly appliedValues = new Set<string>();
  private readonly restarts = new Map<number, number>();
  private readonly trace: string[] = [];
  private step = 0;
  private partitionUntil = 0;
  private nextValue = 0;
  private readonly options: NodeOptions;
  /** Planned membership changes, in order; `changesDone` of them are committed. */
  private readonly changes: ConfChange[] = [];
  private changesDone = 0;
  /** Read requests in flight: context → the index every answer must reach. */
  private readonly pendingReads = new Map<string, number>();
  private nextRead = 0;
  private readsAnswered = 0;

  constructor(readonly plan: SimulationPlan) {
    this.random = seededRandom(plan.seed);
    this.network = new SimNetwork(seededRandom(plan.seed ^ 0x5eed));
    this.options = {
      electionTick: 10,
      heartbeatTick: 2,
      preVote: this.random.intn(2) === 1,
      checkQuorum: this.random.intn(2) === 1,
      maxSizePerMsg: 64,
      maxInflightMsgs: 4,
      // Half the runs also cap the bytes in flight per follower.
      maxInflightBytes: this.random.intn(2) === 1 ? 120 : 0,
    };
    const voters = Array.from({ length: plan.size }, (_, i) => i + 1);
    for (const id of voters) {
      const storage = bootstrapStorage({ voters, learners: [] }, BOOTSTRAP_INDEX);
      this.hosts.set(id, this.makeHost(id, storage));
    }
    if (plan.membership) {
      // Two spare machines with empty disks; they learn the cluster from a snapshot.
      const a = plan.size + 1;
      const b = plan.size + 2;
      for (const id of [a, b]) this.hosts.set(id, this.makeHost(id, new MemoryStorage()));
      this.changes.push(
        { type: ConfChangeType.AddLearnerNode, nodeId: a },
        { type: ConfChangeType.AddNode, nodeId: a },
        { type: ConfChangeType.RemoveNode, nodeId: 1 + this.random.intn(plan.size) },
        { type: ConfChangeType.AddLearnerNode, nodeId: b },
      );
    }
  }

  private makeHost(id: number, storage: MemoryStorage): NodeHost {
    return new NodeHost(
      id,
      storage,
      this.options,
      () => {
        // A fresh, seed-derived stream per (node, incarnation).
        const incarnation = this.restarts.get(id) ?? 0;
        return seededRandom((this.plan.seed * 131 + id * 17 + incarnation * 7919) | 0);
      },
      {
        applied: (node, e) => this.onApplied(node, e),
        persisted: (node, ents, storage) => {
          for (const e of ents) {
            let prev: number | undefined;
            try {
              prev = storage.term(e.index - 1);
            } catch {
              prev = undefined;
            }
            this.checker.observePersisted(node, e, prev);
          }
        },
        installedSnapshot: (node, snap, values) => {
          this.log(`${node} installed snapshot at ${snap.metadata.index}`);
          this.checker.observeSnapshot(node, snap, values);
          for (const v of values) this.appliedValues.add(v);
        },
      },
    );
  }

  private onApplied(node: number, e: Entry): void {
    this.checker.observeApplied(node, e);
    if (e.type === EntryType.ConfChange) {
      this.onConfChangeCommitted(decodeConfChange(e.data));
    } else if (e.data.byteLength > 0) {
      this.appliedValues.add(new TextDecoder().decode(e.data));
    }
  }

  /** The first node to apply a conf change proves it committed: move the plan on. */
  private onConfChangeCommitted(cc: ConfChange): void {
    const want = this.changes[this.changesDone];
    if (want === undefined || want.type !== cc.type || want.nodeId !== cc.nodeId) return;
    this.changesDone++;
    this.log(`conf change committed: ${ConfChangeType[cc.type]} ${cc.nodeId}`);
    if (cc.type === ConfChangeType.RemoveNode) {
      // The operator shuts a removed member down for good.
      this.down.set(cc.nodeId, Number.POSITIVE_INFINITY);
      this.log(`${cc.nodeId} decommissioned`);
    }
  }

  /** Forces an election: a leader transfer to a random voter, or a random node campaigning. */
  private disturbLeadership(): void {
    const up = [...this.hosts.keys()].filter((id) => !this.down.has(id));
    const target = up.length > 0 ? up[this.random.intn(up.length)] : undefined;
    if (target === undefined) return;
    const leader = this.leaders()[0];
    if (leader !== undefined && this.random.intn(2) === 0) {
      this.log(`transfer leadership ${leader} -> ${target}`);
      this.hosts.get(leader)?.rawNode.transferLeader(target);
    } else {
      this.log(`${target} campaigns`);
      this.hosts.get(target)?.rawNode.campaign();
    }
  }

  /**
   * Starts a linearizable read at a random live node. Every write a client
   * could have seen acknowledged (applied anywhere) before this moment must
   * be visible to the read, so its read index must reach the highest
   * index applied so far.
   */
  private issueRead(): void {
    const up = [...this.hosts.keys()].filter((id) => !this.down.has(id));
    if (up.length === 0) return;
    const at = up[this.random.intn(up.length)];
    if (at === undefined) return;
    const ctx = `read-${this.nextRead++}`;
    this.pendingReads.set(ctx, this.checker.maxApplied);
    this.hosts.get(at)?.rawNode.readIndex(new TextEncoder().encode(ctx));
  }

  private checkRead(node: number, index: number, rawCtx: Uint8Array): void {
    const ctx = new TextDecoder().decode(rawCtx);
    const min = this.pendingReads.get(ctx);
    if (min === undefined) return; // a duplicate answer
    if (index < min) {
      throw new InvariantViolation(
        `linearizable read: ${ctx} answered at ${node} with index ${index}, but ${min} was already applied when it was issued`,
      );
    }
    this.pendingReads.delete(ctx);
    this.readsAnswered++;
  }

  /** How many reads were answered (the test checks the path was exercised). */
  get answeredReads(): number {
    return this.readsAnswered;
  }

  /** Proposes the next planned membership change at the leader (never forwarded, so never stale). */
  private proposeNextChange(): void {
    const cc = this.changes[this.changesDone];
    const leader = this.leaders()[0];
    if (cc === undefined || leader === undefined) return;
    try {
      this.hosts.get(leader)?.rawNode.proposeConfChange(cc);
    } catch (e) {
      if (!isRaftError(e, "proposal-dropped")) throw e;
    }
  }

  /** Runs the whole plan; throws an InvariantViolation (or a core error) on failure. */
  run(): { steps: number; committed: number; proposals: number } {
    this.network.faults = {
      drop: 0.05 + this.random.intn(10) / 100,
      duplicate: 0.05,
      maxDelay: 1 + this.random.intn(4),
    } satisfies NetworkFaults;
    for (let i = 0; i < this.plan.chaosSteps; i++) {
      this.injectFaults();
      this.advanceOneStep(true);
    }
    // Calm: heal everything and require convergence.
    this.network.faults = RELIABLE;
    this.network.heal();
    for (const [id, at] of [...this.down]) if (at !== Number.POSITIVE_INFINITY) this.restart(id);
    for (let i = 0; i < this.plan.calmSteps; i++) {
      if (i % RETRY_EVERY === 0) {
        this.retryPending();
        this.proposeNextChange();
      }
      this.advanceOneStep(false);
      if (this.converged()) {
        return {
          steps: this.step,
          committed: this.checker.maxApplied,
          proposals: this.proposed.length,
        };
      }
    }
    throw new Error(
      `no progress: after ${this.plan.calmSteps} calm steps, ${this.pendingValues().length} of ${this.proposed.length} proposals uncommitted; leaders: ${this.leaders().join(",") || "none"}\n${this.describeNodes()}`,
    );
  }

  /** One line per node: role, term, log cursors, and the leader's view of its peers. */
  describeNodes(): string {
    const lines: string[] = [];
    for (const [id, h] of this.hosts) {
      const st = h.rawNode.status();
      const log = h.rawNode.raft.raftLog;
      const peers =
        st.progress === undefined
          ? ""
          : ` progress: ${[...st.progress].map(([p, pr]) => `${p}:${pr.state}/${pr.match}/${pr.next}${pr.recentActive ? "" : "(inactive)"}`).join(" ")}`;
      lines.push(
        `  ${id}${this.down.has(id) ? " DOWN" : ""} ${StateType[st.softState.raftState]} term:${st.hardState.term} lead:${st.softState.lead} first:${log.firstIndex()} last:${log.lastIndex()} commit:${log.committed} applied:${log.applied} values:${h.values.length}${peers}`,
      );
    }
    return lines.join("\n");
  }

  /** The last events, for the failure message. */
  recentTrace(): string {
    return this.trace.join("\n");
  }

  private advanceOneStep(chaos: boolean): void {
    this.step++;
    const arrivals = this.network.due(this.step);
    for (const m of arrivals.delivered) {
      const host = this.hosts.get(m.to);
      if (host === undefined || this.down.has(m.to)) {
        if (m.type === MessageType.MsgSnap) this.reportSnapshot(m, SnapshotStatus.Failure);
        continue;
      }
      try {
        host.rawNode.step(m);
      } catch (e) {
        // Responses from removed peers are refused; anything else is a bug.
        if (!isRaftError(e, "step-peer-not-found")) throw e;
      }
      if (m.type === MessageType.MsgSnap) this.reportSnapshot(m, SnapshotStatus.Finish);
    }
    for (const m of arrivals.failedSnapshots) this.reportSnapshot(m, SnapshotStatus.Failure);
    for (const [id, host] of this.hosts) {
      if (this.down.has(id)) continue;
      host.rawNode.tick();
    }
    if (chaos && chance(this.random, 0.3)) this.proposeNew();
    if (chaos && chance(this.random, 0.03)) this.proposeNextChange();
    if (chance(this.random, 0.1)) this.issueRead();
    if (chaos && chance(this.random, 0.01)) this.disturbLeadership();
    this.handleReadies();
    this.checkStep();
  }

  /** The snapshot stream's outcome, reported to the sender if it is up. */
  private reportSnapshot(m: Message, status: SnapshotStatus): void {
    if (this.down.has(m.from)) return;
    this.hosts.get(m.from)?.rawNode.reportSnapshot(m.to, status);
  }

  private handleReadies(): void {
    for (const [id, host] of this.hosts) {
      if (this.down.has(id)) continue;
      // A Ready can queue another (e.g. a conf change applied); a few rounds settle it.
      for (let round = 0; round < 3; round++) {
        const rd = host.handleReady();
        if (rd === undefined) break;
        if (rd.softState?.raftState === StateType.Leader) {
          this.log(`${id} became leader of term ${host.rawNode.raft.term}`);
          const log = host.rawNode.raft.raftLog;
          this.checker.checkLeaderCompleteness(id, log.firstIndex(), (i) => log.termOrUndefined(i));
        }
        for (const rs of rd.readStates) this.checkRead(id, rs.index, rs.requestCtx);
        this.network.send(this.step, rd.messages);
      }
      if (host.confChanged) {
        // Snapshot right after a membership change, so a new member can be
        // sent a snapshot that includes it.
        host.confChanged = false;
        host.compact(2);
      }
    }
  }

  private checkStep(): void {
    for (const [id, host] of this.hosts) {
      if (this.down.has(id)) continue;
      const r = host.rawNode.raft;
      if (r.state === StateType.Leader) this.checker.observeLeader(id, r.term);
    }
  }

  private injectFaults(): void {
    // Restart nodes whose downtime is over.
    for (const [id, at] of [...this.down]) if (at <= this.step) this.restart(id);
    // (Decommissioned nodes have an infinite restart step.)
    // Crash a node now and then, keeping a majority up most of the time.
    if (chance(this.random, 0.01)) {
      const up = [...this.hosts.keys()].filter((id) => !this.down.has(id));
      const victim = up.length > 0 ? up[this.random.intn(up.length)] : undefined;
      if (victim !== undefined) {
        this.down.set(victim, this.step + 5 + this.random.intn(40));
        this.log(`${victim} crashed`);
      }
    }
    if (this.network.isPartitioned() && this.step >= this.partitionUntil) {
      this.network.heal();
      this.log("partition healed");
    } else if (!this.network.isPartitioned() && chance(this.random, 0.02)) {
      const ids = [...this.hosts.keys()];
      const left = ids.filter(() => this.random.intn(2) === 0);
      const right = ids.filter((id) => !left.includes(id));
      this.network.partition([left, right]);
      this.partitionUntil = this.step + 10 + this.random.intn(60);
      this.log(`partition [${left}] [${right}]`);
    }
    // Compact a node's log now and then, so lagging followers need snapshots.
    if (chance(this.random, 0.03)) {
      const id = 1 + this.random.intn(this.plan.size);
      const host = this.hosts.get(id);
      if (host !== undefined && !this.down.has(id)) {
        host.compact(this.random.intn(4));
        this.log(`${id} compacted at ${host.appliedIndex}`);
      }
    }
  }

  private restart(id: number): void {
    this.down.delete(id);
    this.restarts.set(id, (this.restarts.get(id) ?? 0) + 1);
    this.hosts.get(id)?.restart();
    this.log(`${id} restarted`);
  }

  private proposeNew(): void {
    const value = `v${this.nextValue++}`;
    this.proposed.push(value);
    const up = [...this.hosts.keys()].filter((id) => !this.down.has(id));
    if (up.length === 0) return;
    const at = up[this.random.intn(up.length)];
    if (at !== undefined) this.proposeAt(at, value);
  }

  private proposeAt(id: number, value: string): void {
    try {
      this.hosts.get(id)?.rawNode.propose(new TextEncoder().encode(value));
    } catch (e) {
      // Dropped (no leader known): the client retries later.
      if (!isRaftError(e, "proposal-dropped")) throw e;
    }
  }

  private retryPending(): void {
    const leader = this.leaders()[0];
    const pending = this.pendingValues();
    for (const v of pending) this.proposeAt(leader ?? 1 + this.random.intn(this.plan.size), v);
  }

  private pendingValues(): string[] {
    return this.proposed.filter((v) => !this.appliedValues.has(v));
  }

  private leaders(): number[] {
    return [...this.hosts]
      .filter(([id, h]) => !this.down.has(id) && h.rawNode.raft.state === StateType.Leader)
      .map(([id]) => id);
  }

  private converged(): boolean {
    const leader = this.leaders();
    if (leader.length !== 1 || this.pendingValues().length > 0) return false;
    if (this.changesDone < this.changes.length) return false;
    const cs = this.hosts.get(leader[0] ?? 0)?.confState;
    const members = new Set([...(cs?.voters ?? []), ...(cs?.learners ?? [])]);
    // Every member holds every proposal in its state machine.
    for (const host of this.hosts.values()) {
      if (!members.has(host.id)) continue;
      const have = new Set(host.values);
      if (this.proposed.some((v) => !have.has(v))) return false;
    }
    return true;
  }

  private log(event: string): void {
    this.trace.push(`[${this.step}] ${event}`);
    if (this.trace.length > TRACE_LIMIT) this.trace.shift();
  }
}
