import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Cluster,
  type Maintenance,
  type Member,
  MemberAddResponseSchema,
  MemberListResponseSchema,
  MemberPromoteResponseSchema,
  MemberRemoveResponseSchema,
  MemberSchema,
  StatusResponseSchema,
} from "@kubekit/proto/etcd";
import { header } from "../kv/convert.js";
import { EtcdErrors } from "../kv/etcd-errors.js";
import { fillHeader, type ServerContext } from "./context.js";
import type { MemberInfo, MembershipControl } from "./replicator.js";

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

/** Members may be promoted once this close to the leader's log (etcd uses 90% of it). */
const PROMOTABLE_LAG = 1000;

function toPbMember(member: MemberInfo): Member {
  return create(MemberSchema, {
    ID: member.id,
    name: member.name,
    peerURLs: [...member.peerUrls],
    clientURLs: [...member.clientUrls],
    isLearner: member.isLearner,
  });
}

function membershipOf(context: ServerContext): MembershipControl {
  const membership = context.replicator.membership;
  if (membership === undefined) {
    throw new ConnectError("membership changes need a Raft-replicated member", Code.Unimplemented);
  }
  return membership;
}

/** etcd's Cluster service: list, add, remove and promote members. */
export function createClusterService(context: ServerContext): Partial<ServiceImpl<typeof Cluster>> {
  const currentHeader = () =>
    fillHeader(context, header(context.stateMachine.mvcc.currentRevision));
  const find = (id: bigint) => context.replicator.members().find((m) => m.id === id);
  return {
    async memberList() {
      return create(MemberListResponseSchema, {
        header: currentHeader(),
        members: context.replicator.members().map(toPbMember),
      });
    },
    async memberAdd(request) {
      const membership = membershipOf(context);
      const peerUrl = request.peerURLs[0];
      if (peerUrl === undefined)
        throw new ConnectError("etcdserver: peer URLs are required", Code.InvalidArgument);
      if (
        context.replicator
          .members()
          .some((m) => m.peerUrls.some((u) => request.peerURLs.includes(u)))
      ) {
        throw EtcdErrors.peerUrlExists();
      }
      const id = membership.memberIdFor(peerUrl);
      const members = await membership.changeMembership({
        kind: "add",
        id,
        peerUrls: request.peerURLs,
        isLearner: request.isLearner,
      });
      const added = members.find((m) => m.id === BigInt(id));
      return create(MemberAddResponseSchema, {
        header: currentHeader(),
        ...(added === undefined ? {} : { member: toPbMember(added) }),
        members: members.map(toPbMember),
      });
    },
    async memberRemove(request) {
      const membership = membershipOf(context);
      if (find(request.ID) === undefined) throw EtcdErrors.memberNotFound();
      const members = await membership.changeMembership({ kind: "remove", id: Number(request.ID) });
      return create(MemberRemoveResponseSchema, {
        header: currentHeader(),
        members: members.map(toPbMember),
      });
    },
    async memberPromote(request) {
      const membership = membershipOf(context);
      const member = find(request.ID);
      if (member === undefined) throw EtcdErrors.memberNotFound();
      if (!member.isLearner) throw EtcdErrors.memberNotLearner();
      const lag = membership.lagOf(Number(request.ID));
      if (lag !== undefined && lag > PROMOTABLE_LAG) throw EtcdErrors.learnerNotReady();
      const members = await membership.changeMembership({
        kind: "promote",
        id: Number(request.ID),
      });
      return create(MemberPromoteResponseSchema, {
        header: currentHeader(),
        members: members.map(toPbMember),
      });
    },
  };
}
