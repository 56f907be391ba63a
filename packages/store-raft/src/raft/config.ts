import type { RandomSource } from "./random.js";
import { ReadOnlyOption } from "./read-only.js";
import type { Storage } from "./storage.js";

/** How to build a Raft node. */
export interface RaftConfig {
  /** This node's id; never 0. */
  readonly id: number;
  /**
   * Ticks without hearing from a leader before a follower campaigns. The
   * actual timeout is drawn from `[electionTick, 2*electionTick)` each term.
   */
  readonly electionTick: number;
  /** Ticks between the leader's heartbeats; must be less than `electionTick`. */
  readonly heartbeatTick: number;
  /** The durable log, read-only to the core. */
  readonly storage: Storage;
  /** The election-timeout jitter source (see `seededRandom`). */
  readonly random: RandomSource;
  /** The last index the application applied before a restart (0: from the snapshot). */
  readonly applied?: number;
  /** Most bytes of entries in one MsgApp (always at least one entry). Default: unlimited. */
  readonly maxSizePerMsg?: number;
  /** Most committed-entry bytes handed to the application in one Ready. Default: unlimited. */
  readonly maxCommittedSizePerReady?: number;
  /** Most MsgApps in flight to a follower in replicate state. Default: 256. */
  readonly maxInflightMsgs?: number;
  /** Most entry bytes in flight to a follower; 0 for no byte limit. Default: 0. */
  readonly maxInflightBytes?: number;
  /** Leader steps down if it has not heard from a quorum within an election timeout. */
  readonly checkQuorum?: boolean;
  /** Run a pre-election before bumping the term, so a partitioned node cannot disrupt the cluster. */
  readonly preVote?: boolean;
  /** How read-index requests are answered. Default: {@link ReadOnlyOption.Safe}. */
  readonly readOnlyOption?: ReadOnlyOption;
  /** Drop proposals at followers instead of forwarding them to the leader. */
  readonly disableProposalForwarding?: boolean;
}

/** A config with every default filled in. */
export type ResolvedRaftConfig = Required<RaftConfig>;

/** Checks `c` and fills in defaults; throws on a config Raft cannot run with. */
export function resolveConfig(c: RaftConfig): ResolvedRaftConfig {
  if (!Number.isSafeInteger(c.id) || c.id <= 0) throw new Error(`raft config: bad id ${c.id}`);
  if (c.heartbeatTick <= 0) throw new Error("raft config: heartbeatTick must be > 0");
  if (c.electionTick <= c.heartbeatTick) {
    throw new Error("raft config: electionTick must be greater than heartbeatTick");
  }
  const r: ResolvedRaftConfig = {
    applied: 0,
    maxSizePerMsg: Number.MAX_SAFE_INTEGER,
    maxCommittedSizePerReady: Number.MAX_SAFE_INTEGER,
    maxInflightMsgs: 256,
    maxInflightBytes: 0,
    checkQuorum: false,
    preVote: false,
    readOnlyOption: ReadOnlyOption.Safe,
    disableProposalForwarding: false,
    ...c,
  };
  if (r.maxInflightMsgs <= 0) throw new Error("raft config: maxInflightMsgs must be > 0");
  if (r.readOnlyOption === ReadOnlyOption.LeaseBased && !r.checkQuorum) {
    throw new Error("raft config: lease-based reads need checkQuorum");
  }
  return r;
}
