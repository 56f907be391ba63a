import type { ServiceImpl } from "@connectrpc/connect";
import type { KV } from "@kubekit/proto/etcd";
import { validateDeleteRange, validatePut, validateRange, validateTxn } from "../kv/validate.js";
import { fillHeader, type ServerContext } from "./context.js";

/** etcd's KV service over the replicated state machine. */
export function createKvService(context: ServerContext): ServiceImpl<typeof KV> {
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
  };
}
