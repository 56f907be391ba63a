import { create } from "@bufbuild/protobuf";
import {
  type Compare,
  Compare_CompareResult,
  Compare_CompareTarget,
  KeyValueSchema,
  type KeyValue as PbKeyValue,
  type RangeRequest,
  RangeRequest_SortOrder,
  RangeRequest_SortTarget,
  type ResponseHeader,
  ResponseHeaderSchema,
} from "@kubekit/proto/etcd";
import type { KeyValue, RangeOptions, SortOrder, SortTarget } from "../mvcc/types.js";

const SORT_ORDERS: Record<RangeRequest_SortOrder, SortOrder> = {
  [RangeRequest_SortOrder.NONE]: "none",
  [RangeRequest_SortOrder.ASCEND]: "ascend",
  [RangeRequest_SortOrder.DESCEND]: "descend",
};

const SORT_TARGETS: Record<RangeRequest_SortTarget, SortTarget> = {
  [RangeRequest_SortTarget.KEY]: "key",
  [RangeRequest_SortTarget.VERSION]: "version",
  [RangeRequest_SortTarget.CREATE]: "create",
  [RangeRequest_SortTarget.MOD]: "mod",
  [RangeRequest_SortTarget.VALUE]: "value",
};

/** The MVCC read options a RangeRequest asks for. */
export function rangeOptions(request: RangeRequest): RangeOptions {
  return {
    revision: Number(request.revision),
    limit: Number(request.limit),
    keysOnly: request.keysOnly,
    countOnly: request.countOnly,
    sortOrder: SORT_ORDERS[request.sortOrder] ?? "none",
    sortTarget: SORT_TARGETS[request.sortTarget] ?? "key",
    minModRevision: Number(request.minModRevision),
    maxModRevision: Number(request.maxModRevision),
    minCreateRevision: Number(request.minCreateRevision),
    maxCreateRevision: Number(request.maxCreateRevision),
  };
}

/** An MVCC key-value as the wire's mvccpb.KeyValue. */
export function toPbKeyValue(kv: KeyValue): PbKeyValue {
  return create(KeyValueSchema, {
    key: kv.key,
    createRevision: BigInt(kv.createRevision),
    modRevision: BigInt(kv.modRevision),
    version: BigInt(kv.version),
    value: kv.value,
    lease: kv.lease,
  });
}

/** A response header carrying the store revision; the server fills in the rest. */
export function header(revision: number): ResponseHeader {
  return create(ResponseHeaderSchema, { revision: BigInt(revision) });
}

function compareNumbers(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether one key-value satisfies a Txn compare, as etcd evaluates it. */
export function satisfies(kv: KeyValue | undefined, compare: Compare): boolean {
  let order: number;
  const target = compare.targetUnion;
  switch (compare.target) {
    case Compare_CompareTarget.VALUE: {
      // A missing key never satisfies a value comparison.
      if (kv === undefined) return false;
      const expected = target.case === "value" ? target.value : new Uint8Array();
      order = Math.sign(Buffer.compare(kv.value, expected));
      break;
    }
    case Compare_CompareTarget.VERSION:
      order = compareNumbers(
        BigInt(kv?.version ?? 0),
        target.case === "version" ? target.value : 0n,
      );
      break;
    case Compare_CompareTarget.CREATE:
      order = compareNumbers(
        BigInt(kv?.createRevision ?? 0),
        target.case === "createRevision" ? target.value : 0n,
      );
      break;
    case Compare_CompareTarget.MOD:
      order = compareNumbers(
        BigInt(kv?.modRevision ?? 0),
        target.case === "modRevision" ? target.value : 0n,
      );
      break;
    case Compare_CompareTarget.LEASE:
      order = compareNumbers(kv?.lease ?? 0n, target.case === "lease" ? target.value : 0n);
      break;
    default:
      return false;
  }
  switch (compare.result) {
    case Compare_CompareResult.EQUAL:
      return order === 0;
    case Compare_CompareResult.NOT_EQUAL:
      return order !== 0;
    case Compare_CompareResult.GREATER:
      return order > 0;
    case Compare_CompareResult.LESS:
      return order < 0;
    default:
      return false;
  }
}
