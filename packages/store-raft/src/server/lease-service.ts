import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import {
  type Lease,
  LeaseGrantRequestSchema,
  type LeaseKeepAliveRequest,
  LeaseKeepAliveResponseSchema,
  LeaseLeasesResponseSchema,
  LeaseRevokeRequestSchema,
  LeaseStatusSchema,
  LeaseTimeToLiveResponseSchema,
} from "@kubekit/proto/etcd";
import { header } from "../kv/convert.js";
import { LeaseNotFoundError } from "../lease/errors.js";
import { fromKeyString } from "../mvcc/key-range.js";
import { fillHeader, type ServerContext } from "./context.js";

/** etcd's Lease service: grants and revokes replicated, keep-alives on the leader. */
export function createLeaseService(context: ServerContext): ServiceImpl<typeof Lease> {
  const { stateMachine } = context;
  const currentHeader = () => fillHeader(context, header(stateMachine.mvcc.currentRevision));

  return {
    async leaseGrant(request) {
      // The proposer picks the ID, so every member grants the same one.
      let id = request.ID;
      while (id === 0n || stateMachine.lessor.has(id)) {
        if (request.ID !== 0n) break;
        id = context.randomId();
      }
      const result = await context.replicator.propose({
        command: {
          case: "leaseGrant",
          value: create(LeaseGrantRequestSchema, { TTL: request.TTL, ID: id }),
        },
      });
      if (result.case !== "leaseGrant") throw new Error(`leaseGrant answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },

    async leaseRevoke(request) {
      const result = await context.replicator.propose({
        command: { case: "leaseRevoke", value: request },
      });
      if (result.case !== "leaseRevoke")
        throw new Error(`leaseRevoke answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },

    async *leaseKeepAlive(
      requests: AsyncIterable<LeaseKeepAliveRequest>,
      _handler: HandlerContext,
    ) {
      for await (const request of requests) {
        let ttl = 0n;
        try {
          ttl = BigInt(stateMachine.lessor.renew(request.ID, context.now()));
        } catch (error) {
          // etcd answers a keep-alive for an unknown lease with TTL 0.
          if (!(error instanceof LeaseNotFoundError)) throw error;
        }
        yield create(LeaseKeepAliveResponseSchema, {
          header: currentHeader(),
          ID: request.ID,
          TTL: ttl,
        });
      }
    },

    async leaseTimeToLive(request) {
      await context.replicator.readIndex();
      if (!stateMachine.lessor.has(request.ID)) {
        return create(LeaseTimeToLiveResponseSchema, {
          header: currentHeader(),
          ID: request.ID,
          TTL: -1n,
        });
      }
      const info = stateMachine.lessor.timeToLive(request.ID, context.now());
      return create(LeaseTimeToLiveResponseSchema, {
        header: currentHeader(),
        ID: request.ID,
        TTL: BigInt(info.remainingTtl),
        grantedTTL: BigInt(info.grantedTtl),
        keys: request.keys ? info.keys.map(fromKeyString) : [],
      });
    },

    async leaseLeases() {
      await context.replicator.readIndex();
      return create(LeaseLeasesResponseSchema, {
        header: currentHeader(),
        leases: stateMachine.lessor.list().map((ID) => create(LeaseStatusSchema, { ID })),
      });
    },
  };
}

/**
 * Revokes expired leases through the log, on the member whose lessor is
 * primary. Returns a stop function. The interval is etcd's default check
 * period (500 ms).
 */
export function startLeaseExpiry(context: ServerContext, intervalMs = 500): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const id of context.stateMachine.lessor.expired(context.now())) {
        await context.replicator
          .propose({
            command: { case: "leaseRevoke", value: create(LeaseRevokeRequestSchema, { ID: id }) },
          })
          .catch(() => undefined); // already revoked, or leadership moved: the next round decides
      }
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
