import { type Entry, EntryType, type Snapshot } from "../../src/index.js";

/** An invariant was broken; the message says which and where. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

const decoder = new TextDecoder();

function entryKey(e: Entry): string {
  return `${e.term}|${e.type}|${decoder.decode(e.data)}`;
}

/**
 * Raft's safety properties (Raft paper, figure 3), checked from what the
 * simulated nodes do:
 *
 * - election safety: at most one leader per term;
 * - log matching: an entry with a given index and term has the same
 *   content and the same predecessor term on every node that stores it
 *   (by induction, the logs agree on everything before it);
 * - leader completeness: a new leader holds every entry known committed;
 * - state machine safety: no two nodes apply different entries at an index,
 *   and installed snapshots agree with what was applied.
 */
export class InvariantChecker {
  private readonly leaders = new Map<number, number>();
  /** index/term → entry content and predecessor's term, as first persisted anywhere. */
  private readonly stored = new Map<string, { key: string; prevTerm: number | undefined }>();
  /** index → entry applied at it (by anyone). */
  readonly applied = new Map<number, Entry>();
  /** The highest index applied by anyone. */
  maxApplied = 0;

  /** @param baseIndex - the index of the snapshot every node was bootstrapped from */
  constructor(private readonly baseIndex: number) {}

  /** A node is leader in `term`. */
  observeLeader(id: number, term: number): void {
    const other = this.leaders.get(term);
    if (other !== undefined && other !== id) {
      throw new InvariantViolation(`election safety: ${other} and ${id} both lead term ${term}`);
    }
    this.leaders.set(term, id);
  }

  /** A node persisted `e`, right after an entry of term `prevTerm` (undefined if compacted). */
  observePersisted(node: number, e: Entry, prevTerm: number | undefined): void {
    const id = `${e.index}/${e.term}`;
    const seen = this.stored.get(id);
    const key = entryKey(e);
    if (seen === undefined) {
      this.stored.set(id, { key, prevTerm });
      return;
    }
    if (seen.key !== key) {
      throw new InvariantViolation(`log matching: node ${node} holds a different entry at ${id}`);
    }
    if (seen.prevTerm !== undefined && prevTerm !== undefined && seen.prevTerm !== prevTerm) {
      throw new InvariantViolation(
        `log matching: node ${node} has term ${prevTerm} before ${id}, another node ${seen.prevTerm}`,
      );
    }
    if (seen.prevTerm === undefined) seen.prevTerm = prevTerm;
  }

  /** A node applied `e`. */
  observeApplied(node: number, e: Entry): void {
    const prev = this.applied.get(e.index);
    if (prev === undefined) {
      this.applied.set(e.index, e);
      this.maxApplied = Math.max(this.maxApplied, e.index);
      return;
    }
    if (entryKey(prev) !== entryKey(e)) {
      throw new InvariantViolation(
        `state machine safety: node ${node} applied ${describe(e)} at ${e.index}, another node ${describe(prev)}`,
      );
    }
  }

  /** A new leader's log, as `termAt(i)` (undefined below its first index). */
  checkLeaderCompleteness(
    node: number,
    firstIndex: number,
    termAt: (i: number) => number | undefined,
  ): void {
    for (const [index, e] of this.applied) {
      if (index < firstIndex) continue; // covered by its snapshot
      const t = termAt(index);
      if (t !== e.term) {
        throw new InvariantViolation(
          `leader completeness: leader ${node} has term ${t} at committed index ${index}, want ${e.term}`,
        );
      }
    }
  }

  /** The values applied up to `index`, as known from all nodes' applies. */
  valuesUpTo(index: number): string[] | undefined {
    const out: string[] = [];
    for (let i = this.baseIndex + 1; i <= index; i++) {
      const e = this.applied.get(i);
      if (e === undefined) return undefined; // below everyone's first snapshot
      if (e.type === EntryType.Normal && e.data.byteLength > 0) out.push(decoder.decode(e.data));
    }
    return out;
  }

  /** A node installed a snapshot whose state machine holds `values`. */
  observeSnapshot(node: number, snap: Snapshot, values: readonly string[]): void {
    const want = this.valuesUpTo(snap.metadata.index);
    if (want === undefined) return;
    if (want.join("\n") !== values.join("\n")) {
      throw new InvariantViolation(
        `state machine safety: node ${node} installed a snapshot at ${snap.metadata.index} that disagrees with the applied log`,
      );
    }
  }
}

function describe(e: Entry): string {
  return `${e.term}/${e.index} ${JSON.stringify(decoder.decode(e.data))}`;
}
