import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "@kubekit/proto/raft";
import type { Entry, HardState, SnapshotMetadata } from "../raft/types.js";
import {
  entryFromWire,
  entryToWire,
  hardStateFromWire,
  hardStateToWire,
  snapshotMetadataFromWire,
  snapshotMetadataToWire,
} from "../wire/raft-wire.js";

/** The kinds of record in the write-ahead log. */
enum RecordType {
  /** Member and cluster identity; the first record of a new log. */
  Metadata = 1,
  Entry = 2,
  HardState = 3,
  /** A snapshot at this index exists; earlier entries may be gone. */
  Snapshot = 4,
}

/** A record's header: payload length (type byte included) and CRC-32 of type + payload. */
const HEADER_BYTES = 8;
/** Segments are rotated past this size (etcd uses 64 MB too). */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** No single record may claim to be larger than this: a larger length means damage. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

/** Who wrote the log. */
export interface WalMetadata {
  readonly memberId: bigint;
  readonly clusterId: bigint;
}

/** What a log holds, as replayed on start. */
export interface WalContents {
  readonly metadata?: WalMetadata;
  /** The newest snapshot marker: entries up to its index live in a snapshot file. */
  readonly snapshot?: SnapshotMetadata;
  readonly hardState?: HardState;
  /** The entries after the snapshot, conflicting suffixes already replaced. */
  readonly entries: Entry[];
  /** Bytes cut from the end of the last segment because its last write was torn. */
  readonly truncatedBytes: number;
}

/** The log is damaged somewhere other than a torn last write: refuse to start. */
export class WalCorruptError extends Error {
  override readonly name = "WalCorruptError";
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`wal: ${file} is corrupt at byte ${offset}: ${reason}`);
  }
}

interface Segment {
  readonly seq: number;
  readonly firstIndex: number;
  readonly path: string;
}

function segmentName(seq: number, firstIndex: number): string {
  return `${seq.toString(16).padStart(16, "0")}-${firstIndex.toString(16).padStart(16, "0")}.wal`;
}

function listSegments(dir: string): Segment[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      seq: Number.parseInt(m[1] as string, 16),
      firstIndex: Number.parseInt(m[2] as string, 16),
      path: join(dir, m[0]),
    }))
    .sort((a, b) => a.seq - b.seq);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * store-raft's write-ahead log: every Raft entry and hard state is written
 * here, and synced, before the member sends a message or acknowledges a
 * write. Records carry a CRC-32; the log is a series of segment files.
 * Opening replays it: a torn last write (a crash mid-append) is cut off;
 * damage anywhere else stops the member with {@link WalCorruptError}, since
 * going on could lose acknowledged writes.
 */
export class Wal {
  private fd: number;
  private segment: Segment;
  private size: number;
  private lastIndex: number;
  private lastHardState: HardState | undefined;
  private lastSnapshot: SnapshotMetadata | undefined;
  private readonly segmentBytes: number;

  private constructor(
    private readonly dir: string,
    segment: Segment,
    size: number,
    state: { lastIndex: number; hardState?: HardState; snapshot?: SnapshotMetadata },
    segmentBytes: number,
  ) {
    this.segment = segment;
    this.fd = openSync(segment.path, "a");
    this.size = size;
    this.lastIndex = state.lastIndex;
    this.lastHardState = state.hardState;
    this.lastSnapshot = state.snapshot;
    this.segmentBytes = segmentBytes;
  }

  /** Whether a log exists in `dir`. */
  static exists(dir: string): boolean {
    return listSegments(dir).length > 0;
  }

  /** Creates a new log in `dir` (which must hold none) with its identity record. */
  static create(dir: string, metadata: WalMetadata, segmentBytes = DEFAULT_SEGMENT_BYTES): Wal {
    mkdirSync(dir, { recursive: true });
    if (Wal.exists(dir)) throw new Error(`wal: ${dir} already holds a log`);
    const segment = { seq: 0, firstIndex: 0, path: join(dir, segmentName(0, 0)) };
    const payload = Buffer.alloc(16);
    payload.writeBigUInt64BE(metadata.memberId, 0);
    payload.writeBigUInt64BE(metadata.clusterId, 8);
    const fd = openSync(segment.path, "wx");
    writeSync(fd, encodeRecord(RecordType.Metadata, payload));
    fsyncSync(fd);
    closeSync(fd);
    syncDir(dir);
    return new Wal(dir, segment, HEADER_BYTES + 17, { lastIndex: 0 }, segmentBytes);
  }

  /** Replays the log in `dir` and opens it for appending. */
  static open(
    dir: string,
    segmentBytes = DEFAULT_SEGMENT_BYTES,
  ): { wal: Wal; contents: WalContents } {
    const segments = listSegments(dir);
    const last = segments.at(-1);
    if (last === undefined) throw new Error(`wal: no log in ${dir}`);
    let metadata: WalMetadata | undefined;
    let snapshot: SnapshotMetadata | undefined;
    let hardState: HardState | undefined;
    let entries: Entry[] = [];
    let truncatedBytes = 0;
    let lastSize = 0;
    for (const segment of segments) {
      const isLast = segment === last;
      const data = readFileSync(segment.path);
      const { records, goodBytes, damage } = readRecords(data);
      if (damage !== undefined) {
        // Only a damaged tail of the last segment is a torn write; it ends
        // the file, with no intact record after it.
        if (!isLast || damage.followedByRecord) {
          throw new WalCorruptError(segment.path, damage.offset, damage.reason);
        }
        const fd = openSync(segment.path, "r+");
        ftruncateSync(fd, goodBytes);
        fsyncSync(fd);
        closeSync(fd);
        truncatedBytes = data.length - goodBytes;
      }
      if (isLast) lastSize = goodBytes;
      for (const { type, payload } of records) {
        switch (type) {
          case RecordType.Metadata:
            metadata = {
              memberId: payload.readBigUInt64BE(0),
              clusterId: payload.readBigUInt64BE(8),
            };
            break;
          case RecordType.Entry: {
            const entry = entryFromWire(fromBinary(pb.EntrySchema, payload));
            // A rewritten index replaces the old suffix (a new leader overwrote it).
            while (entries.length > 0 && (entries.at(-1)?.index ?? 0) >= entry.index) entries.pop();
            entries.push(entry);
            break;
          }
          case RecordType.HardState:
            hardState = hardStateFromWire(fromBinary(pb.HardStateSchema, payload));
            break;
          case RecordType.Snapshot: {
            const marker = snapshotMetadataFromWire(fromBinary(pb.SnapshotMetadataSchema, payload));
            if (snapshot === undefined || marker.index >= snapshot.index) snapshot = marker;
            break;
          }
          default:
            throw new WalCorruptError(segment.path, 0, `unknown record type ${type}`);
        }
      }
    }
    if (snapshot !== undefined) {
      const after = snapshot.index;
      entries = entries.filter((e) => e.index > after);
    }
    const lastIndex = entries.at(-1)?.index ?? snapshot?.index ?? 0;
    const wal = new Wal(dir, last, lastSize, { lastIndex, hardState, snapshot }, segmentBytes);
    return {
      wal,
      contents: {
        ...(metadata === undefined ? {} : { metadata }),
        ...(snapshot === undefined ? {} : { snapshot }),
        ...(hardState === undefined ? {} : { hardState }),
        entries,
        truncatedBytes,
      },
    };
  }

  /**
   * Appends entries and the hard state; with `sync`, returns only once they
   * are on disk. Rotates to a new segment past the size limit.
   */
  save(entries: readonly Entry[], hardState: HardState | undefined, sync: boolean): void {
    const buffers: Buffer[] = [];
    for (const entry of entries) {
      buffers.push(encodeRecord(RecordType.Entry, toBinary(pb.EntrySchema, entryToWire(entry))));
      this.lastIndex = entry.index;
    }
    if (hardState !== undefined) {
      buffers.push(
        encodeRecord(
          RecordType.HardState,
          toBinary(pb.HardStateSchema, hardStateToWire(hardState)),
        ),
      );
      this.lastHardState = hardState;
    }
    if (buffers.length === 0) return;
    this.write(Buffer.concat(buffers), sync);
    if (this.size >= this.segmentBytes) this.rotate();
  }

  /** Records that a snapshot up to `metadata.index` was saved; synced. */
  saveSnapshot(metadata: SnapshotMetadata): void {
    this.write(
      encodeRecord(
        RecordType.Snapshot,
        toBinary(pb.SnapshotMetadataSchema, snapshotMetadataToWire(metadata)),
      ),
      true,
    );
    this.lastSnapshot = metadata;
    if (metadata.index > this.lastIndex) this.lastIndex = metadata.index;
  }

  /**
   * Deletes segments that hold only entries below `index` (already in a
   * snapshot that is kept). The segment in use is never deleted.
   */
  releaseBefore(index: number): void {
    const segments = listSegments(this.dir);
    for (let i = 0; i + 1 < segments.length; i++) {
      const next = segments[i + 1];
      const current = segments[i];
      if (next === undefined || current === undefined || next.firstIndex > index) break;
      if (current.path === this.segment.path) break;
      unlinkSync(current.path);
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(buffer: Buffer, sync: boolean): void {
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    this.size += buffer.length;
    // fdatasync, as etcd's WAL: it flushes the data and the file size, all an
    // append needs to be read back; the inode's times are not worth a flush.
    if (sync) fdatasyncSync(this.fd);
  }

  /** Starts a new segment that repeats the latest snapshot marker and hard state. */
  private rotate(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    const segment = {
      seq: this.segment.seq + 1,
      firstIndex: this.lastIndex + 1,
      path: join(this.dir, segmentName(this.segment.seq + 1, this.lastIndex + 1)),
    };
    this.segment = segment;
    this.fd = openSync(segment.path, "wx");
    this.size = 0;
    syncDir(this.dir);
    if (this.lastSnapshot !== undefined) this.saveSnapshot(this.lastSnapshot);
    if (this.lastHardState !== undefined) this.save([], this.lastHardState, true);
  }
}

function encodeRecord(type: RecordType, payload: Uint8Array): Buffer {
  const body = Buffer.alloc(1 + payload.length);
  body[0] = type;
  body.set(payload, 1);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

interface Damage {
  readonly offset: number;
  readonly reason: string;
  /** Whether an intact record follows the damage (so it is not a torn tail). */
  readonly followedByRecord: boolean;
}

function recordAt(
  data: Buffer,
  offset: number,
): { type: number; payload: Buffer; end: number } | string {
  if (offset + HEADER_BYTES > data.length) return "header cut short";
  const length = data.readUInt32BE(offset);
  if (length === 0 || length > MAX_RECORD_BYTES) return `implausible record length ${length}`;
  const end = offset + HEADER_BYTES + length;
  if (end > data.length) return "record cut short";
  const body = data.subarray(offset + HEADER_BYTES, end);
  if (crc32(body) !== data.readUInt32BE(offset + 4)) return "checksum mismatch";
  return { type: body[0] ?? 0, payload: body.subarray(1), end };
}

/** Reads records until the end or the first damaged one. */
function readRecords(data: Buffer): {
  records: Array<{ type: number; payload: Buffer }>;
  goodBytes: number;
  damage?: Damage;
} {
  const records: Array<{ type: number; payload: Buffer }> = [];
  let offset = 0;
  while (offset < data.length) {
    const record = recordAt(data, offset);
    if (typeof record === "string") {
      return {
        records,
        goodBytes: offset,
        damage: { offset, reason: record, followedByRecord: anyRecordAfter(data, offset + 1) },
      };
    }
    records.push({ type: record.type, payload: record.payload });
    offset = record.end;
  }
  return { records, goodBytes: offset };
}

/** Whether an intact record starts anywhere after `from` (scans byte by byte). */
function anyRecordAfter(data: Buffer, from: number): boolean {
  for (let offset = from; offset + HEADER_BYTES < data.length; offset++) {
    if (typeof recordAt(data, offset) !== "string") return true;
  }
  return false;
}
