import { type DataDrivenCase, dd } from "@kubekit/testkit";
import {
  ConfChangeType,
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  MemoryStorage,
  type Message,
  MessageType,
  ProgressState,
  ReadOnlyOption,
  SnapshotStatus,
  StateType,
  seededRandom,
} from "../../src/index.js";
import { bootstrapStorage, NodeHost, type NodeOptions } from "../support/node-host.js";

/** Most rounds `stabilize` runs before giving up (a livelock would otherwise hang the test). */
const MAX_STABILIZE_ROUNDS = 200;

/**
 * The state behind an interaction script: a few nodes, the messages in
 * flight between them, and an optional network partition. Each command
 * returns the text the script expects.
 */
export class InteractionEnv {
  private readonly nodes = new Map<number, NodeHost>();
  private inFlight: Message[] = [];
  /** Node id → partition group; nodes in different groups cannot talk. */
  private groups: Map<number, number> | undefined;

  handle(tc: DataDrivenCase): string {
    const out: string[] = [];
    switch (tc.command) {
      case "add-nodes":
        this.addNodes(tc);
        break;
      case "campaign":
        this.node(tc).rawNode.campaign();
        break;
      case "propose":
        this.propose(tc, out);
        break;
      case "propose-conf-change":
        this.proposeConfChange(tc);
        break;
      case "read-index":
        this.node(tc).rawNode.readIndex(new TextEncoder().encode(dd.positional(tc)[1] ?? "ctx"));
        break;
      case "transfer-leader":
        this.node(tc).rawNode.transferLeader(requireInt(tc, "to"));
        break;
      case "tick-election":
        this.ticks(tc, (n) => n.rawNode.raft.cfg.electionTick);
        break;
      case "tick-heartbeat":
        this.ticks(tc, (n) => n.rawNode.raft.cfg.heartbeatTick);
        break;
      case "process-ready":
        for (const id of this.ids(tc)) this.processReady(id, out);
        break;
      case "deliver-msgs":
        this.deliver(tc, out);
        break;
      case "stabilize":
        this.stabilize(this.ids(tc), out);
        break;
      case "raft-state":
        for (const n of this.nodes.values()) {
          const st = n.rawNode.status();
          out.push(
            `${n.id}: ${StateType[st.softState.raftState]} ${describeHardState(st.hardState)} lead:${st.softState.lead}`,
          );
        }
        break;
      case "status":
        this.status(tc, out);
        break;
      case "log":
        this.log(tc, out);
        break;
      case "compact":
        this.node(tc).compact(dd.int(tc, "keep", 0));
        out.push(`snapshot index:${this.node(tc).storage.snapshot().metadata.index}`);
        break;
      case "partition":
        this.partition(tc);
        break;
      case "heal":
        this.groups = undefined;
        break;
      case "restart":
        this.node(tc).restart();
        break;
      default:
        throw new Error(`${tc.pos}: unknown command ${tc.command}`);
    }
    return out.join("\n") || "ok";
  }

  private addNodes(tc: DataDrivenCase): void {
    const count = Number(dd.positional(tc)[0] ?? "1");
    const voters = (dd.values(tc, "voters") ?? []).map(Number);
    const learners = (dd.values(tc, "learners") ?? []).map(Number);
    const options: NodeOptions = {
      electionTick: dd.int(tc, "election", 10) ?? 10,
      heartbeatTick: dd.int(tc, "heartbeat", 1) ?? 1,
      preVote: dd.string(tc, "prevote") === "true",
      checkQuorum: dd.string(tc, "checkquorum") === "true",
      readOnlyOption:
        dd.string(tc, "read-only") === "lease" ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
      maxSizePerMsg: dd.int(tc, "max-size", Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER,
      maxInflightMsgs: dd.int(tc, "max-inflight", 256) ?? 256,
    };
    for (let i = 0; i < count; i++) {
      const id = this.nodes.size + 1;
      const storage =
        voters.length > 0
          ? bootstrapStorage({ voters, learners }, dd.int(tc, "index", 1))
          : new MemoryStorage();
      // A fixed seed per node keeps the scripts' timing reproducible.
      this.nodes.set(id, new NodeHost(id, storage, options, () => seededRandom(id)));
    }
  }

  private propose(tc: DataDrivenCase, out: string[]): void {
    try {
      this.node(tc).rawNode.propose(new TextEncoder().encode(dd.positional(tc)[1] ?? ""));
    } catch (e) {
      out.push(`error: ${(e as Error).message}`);
    }
  }

  private proposeConfChange(tc: DataDrivenCase): void {
    const kinds: [string, ConfChangeType][] = [
      ["add-voter", ConfChangeType.AddNode],
      ["add-learner", ConfChangeType.AddLearnerNode],
      ["remove", ConfChangeType.RemoveNode],
    ];
    for (const [key, type] of kinds) {
      const nodeId = dd.int(tc, key);
      if (nodeId !== undefined) {
        this.node(tc).rawNode.proposeConfChange({ type, nodeId });
        return;
      }
    }
    throw new Error(`${tc.pos}: propose-conf-change needs add-voter=, add-learner= or remove=`);
  }

  private ticks(tc: DataDrivenCase, count: (n: NodeHost) => number): void {
    for (const id of this.ids(tc)) {
      const n = this.nodeById(id);
      for (let i = 0; i < count(n); i++) n.rawNode.tick();
    }
  }

  private processReady(id: number, out: string[]): boolean {
    const rd = this.nodeById(id).handleReady();
    out.push(`> ${id} handling Ready`);
    if (rd === undefined) {
      out.push("  <empty Ready>");
      return false;
    }
    for (const line of describeReady(rd)) out.push(`  ${line}`);
    this.inFlight.push(...rd.messages);
    return true;
  }

  /** Delivers the queued messages addressed to the given nodes (all if none), dropping those to `drop`. */
  private deliver(tc: DataDrivenCase, out: string[]): void {
    const to = new Set(dd.positional(tc).map(Number));
    const drop = new Set((dd.values(tc, "drop") ?? []).map(Number));
    this.deliverTo((m) => to.size === 0 || to.has(m.to) || drop.has(m.to), drop, out);
  }

  private deliverTo(select: (m: Message) => boolean, drop: Set<number>, out: string[]): number {
    const now = this.inFlight.filter(select);
    this.inFlight = this.inFlight.filter((m) => !select(m));
    let delivered = 0;
    for (const m of now) {
      if (drop.has(m.to)) {
        out.push(`${describeMessage(m)} DROPPED`);
        continue;
      }
      if (this.cut(m.from, m.to)) {
        out.push(`${describeMessage(m)} PARTITIONED`);
        continue;
      }
      const target = this.nodes.get(m.to);
      if (target === undefined) continue;
      out.push(describeMessage(m));
      try {
        target.rawNode.step(m);
      } catch (e) {
        out.push(`  error: ${(e as Error).message}`);
      }
      if (m.type === MessageType.MsgSnap) {
        // A real transport reports the outcome of streaming a snapshot.
        this.nodes.get(m.from)?.rawNode.reportSnapshot(m.to, SnapshotStatus.Finish);
      }
      delivered++;
    }
    return delivered;
  }

  private stabilize(ids: number[], out: string[]): void {
    const set = new Set(ids);
    for (let round = 0; round < MAX_STABILIZE_ROUNDS; round++) {
      let progressed = false;
      for (const id of ids) {
        if (this.nodeById(id).rawNode.hasReady())
          progressed = this.processReady(id, out) || progressed;
      }
      const pending = this.inFlight.some((m) => set.has(m.to));
      if (pending) {
        this.deliverTo((m) => set.has(m.to), new Set(), out);
        progressed = true;
      }
      if (!progressed) return;
    }
    throw new Error(`stabilize did not settle in ${MAX_STABILIZE_ROUNDS} rounds`);
  }

  private status(tc: DataDrivenCase, out: string[]): void {
    const st = this.node(tc).rawNode.status();
    if (st.progress === undefined) {
      out.push(`${st.id} is ${StateType[st.softState.raftState]}, no progress`);
      return;
    }
    for (const [id, pr] of st.progress) {
      const learner = pr.isLearner ? " learner" : "";
      out.push(
        `${id}: ${ProgressState[pr.state]} match=${pr.match} next=${pr.next}${learner}${pr.inflight > 0 ? ` inflight=${pr.inflight}` : ""}`,
      );
    }
  }

  private log(tc: DataDrivenCase, out: string[]): void {
    const n = this.node(tc);
    const log = n.rawNode.raft.raftLog;
    out.push(
      `first:${log.firstIndex()} last:${log.lastIndex()} committed:${log.committed} applied:${log.applied}`,
    );
    for (const e of log.allEntries()) out.push(describeEntry(e));
    out.push(`state machine: [${n.values.join(" ")}]`);
  }

  private partition(tc: DataDrivenCase): void {
    this.groups = new Map();
    dd.positional(tc).forEach((group, g) => {
      for (const id of group.split(",")) this.groups?.set(Number(id), g);
    });
  }

  private cut(a: number, b: number): boolean {
    if (this.groups === undefined) return false;
    return this.groups.get(a) !== this.groups.get(b);
  }

  private ids(tc: DataDrivenCase): number[] {
    const given = dd.positional(tc).map(Number);
    return given.length > 0 ? given : [...this.nodes.keys()];
  }

  private node(tc: DataDrivenCase): NodeHost {
    return this.nodeById(Number(dd.positional(tc)[0]));
  }

  private nodeById(id: number): NodeHost {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }
}

function requireInt(tc: DataDrivenCase, key: string): number {
  const v = dd.int(tc, key);
  if (v === undefined) throw new Error(`${tc.pos}: missing ${key}=`);
  return v;
}
