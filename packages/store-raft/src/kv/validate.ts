import type {
  DeleteRangeRequest,
  PutRequest,
  RangeRequest,
  RequestOp,
  TxnRequest,
} from "@kubekit/proto/etcd";
import { inRange, keyRange } from "../mvcc/key-range.js";
import { EtcdErrors } from "./etcd-errors.js";

/** The most operations one Txn may hold (etcd's --max-txn-ops default). */
export const DEFAULT_MAX_TXN_OPS = 128;

/** Checks a Range request as etcd's gRPC layer does before serving it. */
export function validateRange(request: RangeRequest): void {
  if (request.key.length === 0) throw EtcdErrors.emptyKey();
}

/** Checks a Put request as etcd's gRPC layer does before proposing it. */
export function validatePut(request: PutRequest): void {
  if (request.key.length === 0) throw EtcdErrors.emptyKey();
  if (request.ignoreValue && request.value.length !== 0) throw EtcdErrors.valueProvided();
  if (request.ignoreLease && request.lease !== 0n) throw EtcdErrors.leaseProvided();
}

/** Checks a DeleteRange request as etcd's gRPC layer does. */
export function validateDeleteRange(request: DeleteRangeRequest): void {
  if (request.key.length === 0) throw EtcdErrors.emptyKey();
}

/**
 * Checks a Txn as etcd does: the op count (per branch, nested transactions
 * included), every op on its own, and that no key is written twice in one
 * branch (a put and a delete of overlapping ranges, or two puts of a key).
 */
export function validateTxn(request: TxnRequest, maxOps = DEFAULT_MAX_TXN_OPS): void {
  if (
    request.compare.length > maxOps ||
    request.success.length > maxOps ||
    request.failure.length > maxOps
  ) {
    throw EtcdErrors.tooManyOps();
  }
  for (const compare of request.compare) {
    if (compare.key.length === 0) throw EtcdErrors.emptyKey();
  }
  for (const branch of [request.success, request.failure]) {
    for (const op of branch) validateOp(op, maxOps);
    checkNoDuplicateWrites(branch);
  }
}

function validateOp(op: RequestOp, maxOps: number): void {
  const request = op.request;
  if (request.case === "requestRange") validateRange(request.value);
  else if (request.case === "requestPut") validatePut(request.value);
  else if (request.case === "requestDeleteRange") validateDeleteRange(request.value);
  else if (request.case === "requestTxn") validateTxn(request.value, maxOps);
}

/** The put keys and delete ranges of a branch, nested branches included. */
function collectWrites(
  ops: readonly RequestOp[],
  puts: Set<string>,
  deletes: Array<ReturnType<typeof keyRange>>,
): void {
  for (const op of ops) {
    if (op.request.case === "requestPut") {
      const key = keyRange(op.request.value.key, undefined).start;
      if (puts.has(key)) throw EtcdErrors.duplicateKey();
      puts.add(key);
    } else if (op.request.case === "requestDeleteRange") {
      deletes.push(keyRange(op.request.value.key, op.request.value.rangeEnd));
    } else if (op.request.case === "requestTxn") {
      // Only one branch of a nested txn runs, so each is checked against
      // this branch's writes separately.
      for (const branch of [op.request.value.success, op.request.value.failure]) {
        const nestedPuts = new Set(puts);
        const nestedDeletes = [...deletes];
        collectWrites(branch, nestedPuts, nestedDeletes);
        checkPutsOutsideDeletes(nestedPuts, nestedDeletes);
      }
    }
  }
}

function checkPutsOutsideDeletes(
  puts: Set<string>,
  deletes: Array<ReturnType<typeof keyRange>>,
): void {
  for (const key of puts) {
    if (deletes.some((range) => inRange(range, key))) throw EtcdErrors.duplicateKey();
  }
}

function checkNoDuplicateWrites(ops: readonly RequestOp[]): void {
  const puts = new Set<string>();
  const deletes: Array<ReturnType<typeof keyRange>> = [];
  collectWrites(ops, puts, deletes);
  checkPutsOutsideDeletes(puts, deletes);
}
