import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "@kubekit/proto/raft";
import type { Snapshot } from "../raft/types.js";
import { snapshotMetadataFromWire, snapshotMetadataToWire } from "../wire/raft-wire.js";

/** How many snapshot files are kept; the WAL is kept back to the oldest. */
export const SNAPSHOTS_KEPT = 2;

function fileName(term: number, index: number): string {
  return `${term.toString(16).padStart(16, "0")}-${index.toString(16).padStart(16, "0")}.snap`;
}

function parseName(name: string): { term: number; index: number } | undefined {
  const m = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/.exec(name);
  if (m === null) return undefined;
  return { term: Number.parseInt(m[1] as string, 16), index: Number.parseInt(m[2] as string, 16) };
}

/**
 * Snapshot files: `[crc32][metadata length][metadata][data]`, written to a
 * temporary name, synced and renamed, so a crash leaves either the old set
 * or the new file whole. A file whose checksum fails (a truncated copy) is
 * renamed `.broken` and the next newest is used, as etcd does.
 */
export class Snapshotter {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes a snapshot durably and drops all but the newest few. */
  save(snapshot: Snapshot): void {
    const metadata = toBinary(pb.SnapshotMetadataSchema, snapshotMetadataToWire(snapshot.metadata));
    const body = Buffer.alloc(4 + metadata.length + snapshot.data.length);
    body.writeUInt32BE(metadata.length, 0);
    body.set(metadata, 4);
    body.set(snapshot.data, 4 + metadata.length);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(crc32(body), 0);
    const name = fileName(snapshot.metadata.term, snapshot.metadata.index);
    const temporary = join(this.dir, `${name}.tmp`);
    const fd = openSync(temporary, "w");
    try {
      const data = Buffer.concat([header, body]);
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(this.dir, name));
    const dirFd = openSync(this.dir, "r");
    fsyncSync(dirFd);
    closeSync(dirFd);
    this.prune();
  }

  /** The newest intact snapshot, if any. */
  loadNewest(): Snapshot | undefined {
    for (const { name } of this.list().reverse()) {
      const path = join(this.dir, name);
      const snapshot = decode(readFileSync(path));
      if (snapshot !== undefined) return snapshot;
      renameSync(path, `${path}.broken`);
    }
    return undefined;
  }

  /** The index of the oldest snapshot file kept (the WAL must reach back to it). */
  oldestIndex(): number | undefined {
    return this.list()[0]?.index;
  }

  private list(): Array<{ name: string; index: number }> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => ({ name, parsed: parseName(name) }))
      .filter(
        (f): f is { name: string; parsed: { term: number; index: number } } =>
          f.parsed !== undefined,
      )
      .map((f) => ({ name: f.name, index: f.parsed.index }))
      .sort((a, b) => a.index - b.index);
  }

  private prune(): void {
    const files = this.list();
    for (const file of files.slice(0, Math.max(0, files.length - SNAPSHOTS_KEPT))) {
      unlinkSync(join(this.dir, file.name));
    }
  }
}

function decode(file: Buffer): Snapshot | undefined {
  if (file.length < 8) return undefined;
  const body = file.subarray(4);
  if (crc32(body) !== file.readUInt32BE(0)) return undefined;
  const metadataLength = body.readUInt32BE(0);
  if (4 + metadataLength > body.length) return undefined;
  const metadata = snapshotMetadataFromWire(
    fromBinary(pb.SnapshotMetadataSchema, body.subarray(4, 4 + metadataLength)),
  );
  return { metadata, data: new Uint8Array(body.subarray(4 + metadataLength)) };
}
