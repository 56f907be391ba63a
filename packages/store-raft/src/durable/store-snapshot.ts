import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { StoreSnapshotSchema } from "@kubekit/proto/store";
import { Lessor } from "../lease/lessor.js";
import { fromKeyString, toKeyString } from "../mvcc/key-range.js";
import { MvccStore } from "../mvcc/store.js";

/** A cluster member as snapshots record it. */
export interface MemberRecord {
  readonly id: number;
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
}

/** The replicated state a snapshot carries. */
export interface StoreState {
  readonly mvcc: MvccStore;
  readonly lessor: Lessor;
  /** The cluster's members, when the snapshot records them. */
  readonly members?: readonly MemberRecord[];
}

/** Encodes the whole replicated state as a kubekit.store.v1.StoreSnapshot. */
export function encodeStoreSnapshot(state: StoreState): Uint8Array {
  const mvcc = state.mvcc.exportState();
  const lessor = state.lessor.exportState();
  return toBinary(
    StoreSnapshotSchema,
    create(StoreSnapshotSchema, {
      revision: BigInt(mvcc.revision),
      compactRevision: BigInt(mvcc.compactRevision),
      keys: mvcc.keys.map(({ key, versions }) => ({
        key,
        versions: versions.map((v) => ({
          main: BigInt(v.main),
          sub: BigInt(v.sub),
          createRevision: BigInt(v.createRevision),
          version: BigInt(v.version),
          value: v.value,
          lease: v.lease,
          tombstone: v.tombstone,
        })),
      })),
      leases: lessor.leases.map((lease) => ({
        id: lease.id,
        ttl: BigInt(lease.ttl),
        keys: lease.keys.map(fromKeyString),
      })),
      members: (state.members ?? []).map((m) => ({
        id: BigInt(m.id),
        name: m.name,
        peerUrls: [...m.peerUrls],
        clientUrls: [...m.clientUrls],
      })),
    }),
  );
}

/** Decodes a snapshot into a fresh MVCC store and (non-primary) lease table. */
export function decodeStoreSnapshot(data: Uint8Array, minLeaseTtlSeconds?: number): StoreState {
  if (data.length === 0) return { mvcc: new MvccStore(), lessor: new Lessor(minLeaseTtlSeconds) };
  const snapshot = fromBinary(StoreSnapshotSchema, data);
  const mvcc = MvccStore.fromState({
    revision: Number(snapshot.revision),
    compactRevision: Number(snapshot.compactRevision),
    keys: snapshot.keys.map(({ key, versions }) => ({
      key,
      versions: versions.map((v) => ({
        main: Number(v.main),
        sub: Number(v.sub),
        createRevision: Number(v.createRevision),
        version: Number(v.version),
        value: v.value,
        lease: v.lease,
        tombstone: v.tombstone,
      })),
    })),
  });
  const lessor = Lessor.fromState(
    {
      leases: snapshot.leases.map((lease) => ({
        id: lease.id,
        ttl: Number(lease.ttl),
        keys: lease.keys.map(toKeyString),
      })),
    },
    minLeaseTtlSeconds,
  );
  const members = snapshot.members.map((m) => ({
    id: Number(m.id),
    name: m.name,
    peerUrls: m.peerUrls,
    clientUrls: m.clientUrls,
  }));
  return members.length > 0 ? { mvcc, lessor, members } : { mvcc, lessor };
}
