import type { ServiceImpl } from "@connectrpc/connect";
import { KV } from "@kubekit/proto/etcd";
import { validateDeleteRange, validatePut, validateRange, validateTxn } from "../kv/validate.js";
import { fillHeader, type ServerContext } from "./context.js";
import { type UnaryRoutes, unaryRoute } from "./grpc-unary-fast-path.js";

/** etcd's KV service over the replicated state machine. */
export function createKvService(context: ServerContext) {
  return {
    async range(request) {
      validateRange(request);
      // Linearizable unless the client accepts a possibly stale local read.
      if (!request.serializable) await context.replicator.readIndex();
      const response = context.stateMachine.range(request);
      fillHeader(context, response.header);
      return response;
    },
    async put(request) {
      validatePut(request);
      const result = await context.replicator.propose({ command: { case: "put", value: request } });
      if (result.case !== "put") throw new Error(`put answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },
    async deleteRange(request) {
      validateDeleteRange(request);
      const result = await context.replicator.propose({
        command: { case: "deleteRange", value: request },
      });
      if (result.case !== "deleteRange")
        throw new Error(`deleteRange answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },
    async txn(request) {
      validateTxn(request, context.maxTxnOps);
      const result = await context.replicator.propose({ command: { case: "txn", value: request } });
      if (result.case !== "txn") throw new Error(`txn answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },
    async compact(request) {
      const result = await context.replicator.propose({
        command: { case: "compaction", value: request },
      });
      if (result.case !== "compaction") throw new Error(`compact answered with ${result.case}`);
      fillHeader(context, result.value.header);
      return result.value;
    },
  } satisfies ServiceImpl<typeof KV>;
}

/**
 * The KV service's unary methods for the gRPC fast path (see
 * createUnaryFastPath): the same handlers as the Connect service, so both
 * paths answer alike.
 */
export function kvUnaryRoutes(context: ServerContext): UnaryRoutes {
  const kv = createKvService(context);
  const path = (name: string) => `/${KV.typeName}/${name}`;
  const m = KV.method;
  return new Map([
    [path(m.range.name), unaryRoute(m.range.input, m.range.output, kv.range)],
    [path(m.put.name), unaryRoute(m.put.input, m.put.output, kv.put)],
    [
      path(m.deleteRange.name),
      unaryRoute(m.deleteRange.input, m.deleteRange.output, kv.deleteRange),
    ],
    [path(m.txn.name), unaryRoute(m.txn.input, m.txn.output, kv.txn)],
    [path(m.compact.name), unaryRoute(m.compact.input, m.compact.output, kv.compact)],
  ]);
}
