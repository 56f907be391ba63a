import { CompactedError, FutureRevisionError } from "./errors.js";
import { KeyHistory, type StoredVersion } from "./key-history.js";
import {
  fromKeyString,
  inRange,
  type KeyRange,
  type KeyString,
  keyRange,
  toKeyString,
} from "./key-range.js";
import { SortedMap } from "./sorted-keys.js";
import type { KeyValue, MvccEvent, RangeOptions, RangeResult, SortTarget } from "./types.js";

/** Where a write landed: its revision and key, in revision order. */
interface ChangeRecord {
  readonly main: number;
  readonly sub: number;
  readonly key: KeyString;
}

/** The whole state of a store, for snapshots. */
export interface MvccState {
  readonly revision: number;
  readonly compactRevision: number;
  readonly keys: ReadonlyArray<{
    readonly key: Uint8Array;
    readonly versions: readonly StoredVersion[];
  }>;
}

const EMPTY = new Uint8Array(0);

function toKeyValue(key: KeyString, version: StoredVersion): KeyValue {
  return {
    key: fromKeyString(key),
    createRevision: version.createRevision,
    modRevision: version.main,
    version: version.version,
    value: version.value,
    lease: version.lease,
  };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function sortValue(kv: KeyValue, target: SortTarget): number | Uint8Array {
  switch (target) {
    case "key":
      return kv.key;
    case "value":
      return kv.value;
    case "version":
      return kv.version;
    case "create":
      return kv.createRevision;
    case "mod":
      return kv.modRevision;
  }
}

function compareBy(target: SortTarget): (a: KeyValue, b: KeyValue) => number {
  return (a, b) => {
    const x = sortValue(a, target);
    const y = sortValue(b, target);
    if (typeof x === "number" && typeof y === "number") return x - y;
    return compareBytes(x as Uint8Array, y as Uint8Array);
  };
}

/**
 * A multi-version key-value store with etcd's semantics: every write gets a
 * revision (main, sub) — one main revision per transaction, one sub revision
 * per write inside it — and reads can ask for any revision not yet
 * compacted. It is pure and in memory: the Raft log and snapshots make it
 * durable, by replaying the same writes in the same order.
 */
export class MvccStore {
  private readonly keys = new SortedMap<KeyHistory>();
  private changes: ChangeRecord[] = [];
  private revision = 1;
  private compacted = 0;

  /** The revision of the last write (1 for a new store, as etcd). */
  get currentRevision(): number {
    return this.revision;
  }

  /** The revision of the last compaction, 0 if none. */
  get compactRevision(): number {
    return this.compacted;
  }

  /** Reads a key or range, with etcd's RangeRequest semantics. */
  range(
    key: Uint8Array,
    rangeEnd: Uint8Array | undefined,
    options: RangeOptions = {},
  ): RangeResult {
    return this.readAt(keyRange(key, rangeEnd), this.revision, this.revision, options);
  }

  /**
   * Starts a write transaction at the next revision. Reads through it see its
   * own writes; `end()` makes them the current revision.
   */
  write(): WriteTxn {
    return new WriteTxn(this, this.revision + 1);
  }

  /**
   * Removes what no read at or after `revision` needs. Later reads below
   * `revision` fail with CompactedError, as do watches that start below it.
   */
  compact(revision: number): void {
    if (revision > this.revision) throw new FutureRevisionError(this.revision);
    if (revision <= this.compacted) throw new CompactedError(this.compacted);
    const emptied: KeyString[] = [];
    for (const [key, history] of this.keys.entries()) {
      if (history.compact(revision)) emptied.push(key);
    }
    for (const key of emptied) this.keys.delete(key);
    this.changes = this.changes.slice(this.firstChangeAtOrAfter(revision));
    this.compacted = revision;
  }

  /**
   * The events of every write at or after `startRevision` to a key in
   * `range`, in revision order: what a watch from that revision replays.
   */
  *eventsSince(startRevision: number, range: KeyRange): Generator<MvccEvent> {
    if (startRevision < this.compacted) throw new CompactedError(this.compacted);
    for (let i = this.firstChangeAtOrAfter(startRevision); i < this.changes.length; i++) {
      const change = this.changes[i];
      if (change === undefined || !inRange(range, change.key)) continue;
      const found = this.keys.get(change.key)?.versionAt(change.main, change.sub);
      if (found === undefined) continue;
      yield eventOf(change.key, found.version, found.previous);
    }
  }

  /** A copy of the whole state, for a snapshot. */
  exportState(): MvccState {
    const keys: Array<{ key: Uint8Array; versions: StoredVersion[] }> = [];
    for (const [key, history] of this.keys.entries()) {
      keys.push({ key: fromKeyString(key), versions: [...history.versions] });
    }
    return { revision: this.revision, compactRevision: this.compacted, keys };
  }

  /** Builds a store holding exactly `state`. */
  static fromState(state: MvccState): MvccStore {
    const store = new MvccStore();
    store.revision = state.revision;
    store.compacted = state.compactRevision;
    for (const { key, versions } of state.keys) {
      const keyString = toKeyString(key);
      const history = new KeyHistory(keyString);
      for (const version of versions) {
        history.append(version);
        store.changes.push({ main: version.main, sub: version.sub, key: keyString });
      }
      store.keys.set(keyString, history);
    }
    store.changes.sort((a, b) => a.main - b.main || a.sub - b.sub);
    return store;
  }

  // --- used by WriteTxn -------------------------------------------------

  /** @internal */
  readAt(
    range: KeyRange,
    atRevision: number,
    headerRevision: number,
    options: RangeOptions,
  ): RangeResult {
    const requested = options.revision ?? 0;
    const revision = requested > 0 ? requested : atRevision;
    if (requested > headerRevision) throw new FutureRevisionError(headerRevision);
    if (requested > 0 && requested < this.compacted) throw new CompactedError(this.compacted);

    const limit = options.limit ?? 0;
    const filtered =
      (options.minModRevision ?? 0) !== 0 ||
      (options.maxModRevision ?? 0) !== 0 ||
      (options.minCreateRevision ?? 0) !== 0 ||
      (options.maxCreateRevision ?? 0) !== 0;
    let sortOrder = options.sortOrder ?? "none";
    const sortTarget = options.sortTarget ?? "key";
    // Results come out in ascending key order; any other ordering asks for a
    // sort, and a non-key target with no order means ascending (as etcd).
    if (sortOrder === "none" && sortTarget !== "key") sortOrder = "ascend";
    const needsAll = filtered || sortOrder !== "none";
    // Without sorting or filters, collecting limit+1 keys tells `more`.
    const collectAtMost = needsAll || limit === 0 ? Number.POSITIVE_INFINITY : limit + 1;

    let count = 0;
    let kvs: KeyValue[] = [];
    const visit = (key: KeyString, history: KeyHistory) => {
      const version = history.liveAt(revision);
      if (version === undefined) return true;
      count++;
      if (!options.countOnly && kvs.length < collectAtMost) {
        kvs.push(toKeyValue(key, version));
      }
      return true;
    };
    if (range.end === undefined) {
      const history = this.keys.get(range.start);
      if (history !== undefined) visit(range.start, history);
    } else {
      this.keys.scan(range.start, range.end, visit);
    }

    if (filtered) {
      kvs = kvs.filter(
        (kv) =>
          (!options.minModRevision || kv.modRevision >= options.minModRevision) &&
          (!options.maxModRevision || kv.modRevision <= options.maxModRevision) &&
          (!options.minCreateRevision || kv.createRevision >= options.minCreateRevision) &&
          (!options.maxCreateRevision || kv.createRevision <= options.maxCreateRevision),
      );
    }
    if (sortOrder !== "none" && !(sortOrder === "ascend" && sortTarget === "key")) {
      const compare = compareBy(sortTarget);
      kvs.sort(sortOrder === "ascend" ? compare : (a, b) => compare(b, a));
    }
    let more = false;
    if (limit > 0 && kvs.length > limit) {
      kvs = kvs.slice(0, limit);
      more = true;
    }
    // Values go only after sorting: a keys-only read sorted by value is
    // still in value order, as etcd answers it.
    if (options.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
    return { kvs, count, more, revision: headerRevision };
  }

  /** @internal */
  history(key: KeyString): KeyHistory | undefined {
    return this.keys.get(key);
  }

  /** @internal */
  record(key: KeyString, version: StoredVersion): void {
    let history = this.keys.get(key);
    if (history === undefined) {
      history = new KeyHistory(key);
      this.keys.set(key, history);
    }
    history.append(version);
    this.changes.push({ main: version.main, sub: version.sub, key });
  }

  /** @internal */
  scanLive(range: KeyRange, visit: (key: KeyString, version: StoredVersion) => void): void {
    const onEntry = (key: KeyString, history: KeyHistory) => {
      const version = history.latestLive();
      if (version !== undefined) visit(key, version);
      return true;
    };
    if (range.end === undefined) {
      const history = this.keys.get(range.start);
      if (history !== undefined) onEntry(range.start, history);
    } else {
      this.keys.scan(range.start, range.end, onEntry);
    }
  }

  /** @internal */
  commit(revision: number): void {
    this.revision = revision;
  }

  private firstChangeAtOrAfter(revision: number): number {
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.changes[mid]?.main ?? 0) < revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function eventOf(key: KeyString, version: StoredVersion, previous?: StoredVersion): MvccEvent {
  const prevKv = previous === undefined ? undefined : toKeyValue(key, previous);
  if (version.tombstone) {
    const kv: KeyValue = {
      key: fromKeyString(key),
      createRevision: 0,
      modRevision: version.main,
      version: 0,
      value: EMPTY,
      lease: 0n,
    };
    return prevKv === undefined ? { type: "delete", kv } : { type: "delete", kv, prevKv };
  }
  const kv = toKeyValue(key, version);
  return prevKv === undefined ? { type: "put", kv } : { type: "put", kv, prevKv };
}

/**
 * The writes of one transaction, all at one main revision. Reads through
 * it see the writes made so far. Nothing is visible to other readers until
 * `end()`.
 */
export class WriteTxn {
  private sub = 0;
  private readonly events: MvccEvent[] = [];
  private ended = false;

  /** @internal */
  constructor(
    private readonly store: MvccStore,
    /** The main revision every write of this transaction gets. */
    readonly revision: number,
  ) {}

  /** Reads as the transaction sees the store now. */
  range(
    key: Uint8Array,
    rangeEnd: Uint8Array | undefined,
    options: RangeOptions = {},
  ): RangeResult {
    const view = this.sub > 0 ? this.revision : this.store.currentRevision;
    return this.store.readAt(keyRange(key, rangeEnd), view, view, options);
  }

  /** Writes `value` to `key`; returns the version it replaced, if any. */
  put(key: Uint8Array, value: Uint8Array, lease: bigint): { kv: KeyValue; prevKv?: KeyValue } {
    this.assertOpen();
    const keyString = toKeyString(key);
    const previous = this.store.history(keyString)?.latestLive();
    const version: StoredVersion = {
      main: this.revision,
      sub: this.sub++,
      createRevision: previous?.createRevision ?? this.revision,
      version: (previous?.version ?? 0) + 1,
      value,
      lease,
      tombstone: false,
    };
    this.store.record(keyString, version);
    const event = eventOf(keyString, version, previous);
    this.events.push(event);
    return event.prevKv === undefined ? { kv: event.kv } : { kv: event.kv, prevKv: event.prevKv };
  }

  /** Deletes every live key in the range; returns the deleted versions. */
  deleteRange(key: Uint8Array, rangeEnd: Uint8Array | undefined): KeyValue[] {
    this.assertOpen();
    const doomed: Array<[KeyString, StoredVersion]> = [];
    this.store.scanLive(keyRange(key, rangeEnd), (k, v) => doomed.push([k, v]));
    const deleted: KeyValue[] = [];
    for (const [keyString, previous] of doomed) {
      const tombstone: StoredVersion = {
        main: this.revision,
        sub: this.sub++,
        createRevision: 0,
        version: 0,
        value: EMPTY,
        lease: 0n,
        tombstone: true,
      };
      this.store.record(keyString, tombstone);
      this.events.push(eventOf(keyString, tombstone, previous));
      deleted.push(toKeyValue(keyString, previous));
    }
    return deleted;
  }

  /**
   * Ends the transaction: when it wrote anything, its revision becomes the
   * store's current revision. Returns its events in write order.
   */
  end(): MvccEvent[] {
    this.assertOpen();
    this.ended = true;
    if (this.sub > 0) this.store.commit(this.revision);
    return this.events;
  }

  private assertOpen(): void {
    if (this.ended) throw new Error("mvcc: write transaction already ended");
  }
}
