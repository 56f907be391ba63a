import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type Cluster,
  type Maintenance,
  MemberListResponseSchema,
  MemberSchema,
  StatusResponseSchema,
} from "@kubekit/proto/etcd";
import { header } from "../kv/convert.js";
import { fillHeader, type ServerContext } from "./context.js";

/** The size of the data the store holds, in bytes (keys and values of every version kept). */
function dataSize(context: ServerContext): number {
  let size = 0;
  for (const { key, versions } of context.stateMachine.mvcc.exportState().keys) {
    for (const version of versions) size += key.length + version.value.length;
  }
  return size;
}

/** etcd's Maintenance service (Status, for `etcdctl endpoint status`). */
export function createMaintenanceService(
  context: ServerContext,
): Partial<ServiceImpl<typeof Maintenance>> {
  return {
    async status() {
      const raft = context.replicator.status();
      const size = BigInt(dataSize(context));
      return create(StatusResponseSchema, {
        header: fillHeader(context, header(context.stateMachine.mvcc.currentRevision)),
        version: context.version,
        dbSize: size,
        dbSizeInUse: size,
        leader: raft.leader,
        raftIndex: raft.commitIndex,
        raftTerm: raft.term,
        raftAppliedIndex: raft.appliedIndex,
        isLearner:
          context.replicator.members().find((m) => m.id === context.replicator.memberId)
            ?.isLearner ?? false,
      });
    },
  };
}

/** etcd's Cluster service (MemberList; membership changes come with multi-member Raft). */
export function createClusterService(context: ServerContext): Partial<ServiceImpl<typeof Cluster>> {
  return {
    async memberList() {
      return create(MemberListResponseSchema, {
        header: fillHeader(context, header(context.stateMachine.mvcc.currentRevision)),
        members: context.replicator.members().map((member) =>
          create(MemberSchema, {
            ID: member.id,
            name: member.name,
            peerURLs: [...member.peerUrls],
            clientURLs: [...member.clientUrls],
            isLearner: member.isLearner,
          }),
        ),
      });
    },
  };
}
