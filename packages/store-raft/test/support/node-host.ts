import {
  type ConfState,
  decodeConfChange,
  type Entry,
  EntryType,
  isEmptySnapshot,
  MemoryStorage,
  type RaftConfig,
  RawNode,
  type Ready,
  type Snapshot,
} from "../../src/index.js";

/** Options for the nodes tests build (everything except id, storage and randomness). */
export type NodeOptions = Omit<RaftConfig, "id" | "storage" | "random" | "applied">;

/** What a test may watch a node do. */
export interface NodeObserver {
  /** An entry was applied to the state machine, in index order. */
  applied?(nodeId: number, entry: Entry): void;
  /** Entries were written to the node's storage. */
  persisted?(nodeId: number, entries: readonly Entry[], storage: MemoryStorage): void;
  /** A snapshot from the leader was installed; `values` is the restored state machine. */
  installedSnapshot?(nodeId: number, snapshot: Snapshot, values: readonly string[]): void;
}

/**
 * A test "machine" around one RawNode: a MemoryStorage as its disk and a
 * list of applied values as its state machine. It handles Readys in the
 * documented order (persist, hand out messages, apply, advance) and can be
 * crashed and restarted from what it persisted.
 */
export class NodeHost {
  rawNode: RawNode;
  /** The state machine: data of every non-empty normal entry applied, in order. */
  values: string[] = [];
  appliedIndex = 0;
  confState: ConfState;
  /** Set when a conf change was applied; the owner may want a fresh snapshot carrying it. */
  confChanged = false;

  constructor(
    readonly id: number,
    readonly storage: MemoryStorage,
    private readonly options: NodeOptions,
    private readonly makeRandom: () => RaftConfig["random"],
    private readonly observer: NodeObserver = {},
  ) {
    this.confState = storage.initialState().confState;
    this.loadSnapshot(storage.snapshot());
    this.rawNode = this.newRawNode();
  }

  private newRawNode(): RawNode {
    return new RawNode({
      ...this.options,
      id: this.id,
      storage: this.storage,
      random: this.makeRandom(),
      applied: this.appliedIndex,
    });
  }

  private loadSnapshot(s: Snapshot): void {
    if (isEmptySnapshot(s)) {
      this.values = [];
      this.appliedIndex = 0;
      return;
    }
    this.values = decodeValues(s.data);
    this.appliedIndex = s.metadata.index;
    this.confState = s.metadata.confState;
  }

  /** Forgets everything not persisted and starts a new RawNode from storage. */
  restart(): void {
    this.confState = this.storage.initialState().confState;
    this.loadSnapshot(this.storage.snapshot());
    this.rawNode = this.newRawNode();
  }

  /** Persists, applies and advances one Ready; returns it (its messages are for the caller to send). */
  handleReady(): Ready | undefined {
    if (!this.rawNode.hasReady()) return undefined;
    const rd = this.rawNode.ready();
    // 1. persist
    if (rd.snapshot !== undefined) this.storage.applySnapshot(rd.snapshot);
    this.storage.append(rd.entries);
    if (rd.entries.length > 0) this.observer.persisted?.(this.id, rd.entries, this.storage);
    if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState);
    // 2. messages: returned to the caller.
    // 3. apply
    if (rd.snapshot !== undefined) {
      this.loadSnapshot(rd.snapshot);
      this.observer.installedSnapshot?.(this.id, rd.snapshot, this.values);
    }
    for (const e of rd.committedEntries) this.apply(e);
    // 4. advance
    this.rawNode.advance(rd);
    return rd;
  }

  private apply(e: Entry): void {
    if (e.index !== this.appliedIndex + 1) {
      throw new Error(`node ${this.id} applies ${e.index} after ${this.appliedIndex}`);
    }
    this.appliedIndex = e.index;
    if (e.type === EntryType.ConfChange) {
      this.confState = this.rawNode.applyConfChange(decodeConfChange(e.data));
      this.confChanged = true;
    } else if (e.data.byteLength > 0) {
      this.values.push(new TextDecoder().decode(e.data));
    }
    this.observer.applied?.(this.id, e);
  }

  /** Snapshots the state machine at the applied index and compacts the log up to it. */
  compact(keepEntries = 0): void {
    if (this.appliedIndex <= this.storage.snapshot().metadata.index) return;
    this.storage.createSnapshot(this.appliedIndex, this.confState, encodeValues(this.values));
    const upTo = this.appliedIndex - keepEntries;
    if (upTo > this.storage.firstIndex()) this.storage.compact(upTo);
  }
}

/** Bootstraps a disk holding a snapshot at `index` (term 1) with the given membership. */
export function bootstrapStorage(confState: ConfState, index = 1): MemoryStorage {
  const storage = new MemoryStorage();
  storage.applySnapshot({
    metadata: { index, term: 1, confState },
    data: encodeValues([]),
  });
  storage.setHardState({ term: 1, vote: 0, commit: index });
  return storage;
}

function encodeValues(values: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(values));
}

function decodeValues(data: Uint8Array): string[] {
  if (data.byteLength === 0) return [];
  const parsed: unknown = JSON.parse(new TextDecoder().decode(data));
  if (!Array.isArray(parsed)) throw new Error("snapshot data is not a list of values");
  return parsed.map(String);
}
