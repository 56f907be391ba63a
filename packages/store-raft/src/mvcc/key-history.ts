import type { KeyString } from "./key-range.js";

/** One stored version of a key: a put, or a deletion (tombstone). */
export interface StoredVersion {
  readonly main: number;
  readonly sub: number;
  readonly createRevision: number;
  readonly version: number;
  readonly value: Uint8Array;
  readonly lease: bigint;
  readonly tombstone: boolean;
}

/**
 * Every version of one key still kept, oldest first. A key's history is a
 * series of generations, each ending with a tombstone; a read at revision R
 * sees the newest version made at or before R, unless that is a tombstone.
 */
export class KeyHistory {
  readonly versions: StoredVersion[] = [];

  constructor(readonly key: KeyString) {}

  /** Appends a version; revisions only grow, so the list stays ordered. */
  append(version: StoredVersion): void {
    this.versions.push(version);
  }

  /** Index of the newest version with main revision ≤ `revision`, or -1. */
  private indexAt(revision: number): number {
    let lo = 0;
    let hi = this.versions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.versions[mid]?.main ?? Number.POSITIVE_INFINITY) <= revision) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The live version a read at `revision` sees, if any. */
  liveAt(revision: number): StoredVersion | undefined {
    const version = this.versions[this.indexAt(revision)];
    return version === undefined || version.tombstone ? undefined : version;
  }

  /** The newest live version, if the key exists now. */
  latestLive(): StoredVersion | undefined {
    const version = this.versions.at(-1);
    return version === undefined || version.tombstone ? undefined : version;
  }

  /** The version written at exactly (main, sub), and the live version before it. */
  versionAt(
    main: number,
    sub: number,
  ): { version: StoredVersion; previous?: StoredVersion } | undefined {
    let lo = 0;
    let hi = this.versions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.versions[mid];
      if (v === undefined) break;
      if (v.main === main && v.sub === sub) {
        const previous = this.versions[mid - 1];
        return previous === undefined || previous.tombstone
          ? { version: v }
          : { version: v, previous };
      }
      if (v.main < main || (v.main === main && v.sub < sub)) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * Drops what no read at or after `revision` can see and no watch from
   * `revision` on can replay: among the versions older than `revision`, all
   * but the newest, and that one too when it is a tombstone. Returns whether
   * the history is now empty.
   */
  compact(revision: number): boolean {
    let firstKept = 0;
    while (firstKept < this.versions.length && (this.versions[firstKept]?.main ?? 0) < revision) {
      firstKept++;
    }
    // firstKept is the first version at or after `revision`; keep the one
    // just before it as the base a read at `revision` sees, unless deleted.
    const base = this.versions[firstKept - 1];
    const dropUpTo = base !== undefined && !base.tombstone ? firstKept - 1 : firstKept;
    if (dropUpTo > 0) this.versions.splice(0, dropUpTo);
    return this.versions.length === 0;
  }
}
