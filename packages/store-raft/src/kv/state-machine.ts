import { create } from "@bufbuild/protobuf";
import {
  type CompactionRequest,
  type CompactionResponse,
  CompactionResponseSchema,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  DeleteRangeResponseSchema,
  type LeaseGrantRequest,
  type LeaseGrantResponse,
  LeaseGrantResponseSchema,
  type LeaseRevokeRequest,
  type LeaseRevokeResponse,
  LeaseRevokeResponseSchema,
  type PutRequest,
  type PutResponse,
  PutResponseSchema,
  type RangeRequest,
  type RangeResponse,
  RangeResponseSchema,
  type RequestOp,
  type ResponseOp,
  ResponseOpSchema,
  type TxnRequest,
  type TxnResponse,
  TxnResponseSchema,
} from "@kubekit/proto/etcd";
import type { StoreCommand } from "@kubekit/proto/store";
import { LeaseExistsError, LeaseNotFoundError, LeaseTtlTooLargeError } from "../lease/errors.js";
import { Lessor } from "../lease/lessor.js";
import { CompactedError, FutureRevisionError } from "../mvcc/errors.js";
import { fromKeyString, toKeyString } from "../mvcc/key-range.js";
import { MvccStore, type WriteTxn } from "../mvcc/store.js";
import type { MvccEvent } from "../mvcc/types.js";
import { header, rangeOptions, satisfies, toPbKeyValue } from "./convert.js";
import { EtcdErrors } from "./etcd-errors.js";

/** What applying one replicated command produced. */
export type CommandResult =
  | { readonly case: "put"; readonly value: PutResponse }
  | { readonly case: "deleteRange"; readonly value: DeleteRangeResponse }
  | { readonly case: "txn"; readonly value: TxnResponse }
  | { readonly case: "compaction"; readonly value: CompactionResponse }
  | { readonly case: "leaseGrant"; readonly value: LeaseGrantResponse }
  | { readonly case: "leaseRevoke"; readonly value: LeaseRevokeResponse };

/** Called with the events of every write, in revision order. */
export type EventListener = (events: readonly MvccEvent[], revision: number) => void;

/** Options of the key-value state machine. */
export interface KvStateMachineOptions {
  /** Shortest lease TTL granted, in seconds (see Lessor). */
  readonly minLeaseTtlSeconds?: number;
  /** Start from this store (a restored snapshot) rather than an empty one. */
  readonly mvcc?: MvccStore;
  /** Start from this lease table (a restored snapshot). */
  readonly lessor?: Lessor;
}

/** The branch of each (nested) Txn that runs, decided before any write. */
interface TxnPath {
  readonly succeeded: boolean;
  readonly nested: TxnPath[];
}

/**
 * etcd's key-value semantics over the MVCC store and the lease table: the
 * state machine every store-raft member runs. Writes arrive as replicated
 * commands (`apply`) and are deterministic: the same commands in the same
 * order give the same state and the same responses on every member. The
 * clock passed in only moves lease expiry, which is not replicated.
 * Requests are expected to have passed `validate*` first; a command that
 * fails here throws a ConnectError with etcd's code and message and changes
 * nothing.
 */
export class KvStateMachine {
  readonly mvcc: MvccStore;
  readonly lessor: Lessor;
  private readonly listeners = new Set<EventListener>();

  constructor(options: KvStateMachineOptions = {}) {
    this.mvcc = options.mvcc ?? new MvccStore();
    this.lessor = options.lessor ?? new Lessor(options.minLeaseTtlSeconds);
  }

  /** Subscribes to the events of every write; returns the unsubscribe function. */
  onEvents(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serves a Range from local state (linearizable once the caller has a read index). */
  range(request: RangeRequest): RangeResponse {
    return mapStoreErrors(() => {
      const result = this.mvcc.range(
        request.key,
        nonEmpty(request.rangeEnd),
        rangeOptions(request),
      );
      return create(RangeResponseSchema, {
        header: header(result.revision),
        kvs: result.kvs.map(toPbKeyValue),
        count: BigInt(result.count),
        more: result.more,
      });
    });
  }

  /** Applies one replicated command. */
  apply(command: StoreCommand, nowMs: number): CommandResult {
    const c = command.command;
    switch (c.case) {
      case "put":
        return { case: "put", value: this.put(c.value) };
      case "deleteRange":
        return { case: "deleteRange", value: this.deleteRange(c.value) };
      case "txn":
        return { case: "txn", value: this.txn(c.value) };
      case "compaction":
        return { case: "compaction", value: this.compact(c.value) };
      case "leaseGrant":
        return { case: "leaseGrant", value: this.leaseGrant(c.value, nowMs) };
      case "leaseRevoke":
        return { case: "leaseRevoke", value: this.leaseRevoke(c.value) };
      default:
        throw new Error("store command without a command");
    }
  }

  put(request: PutRequest): PutResponse {
    const write = this.mvcc.write();
    this.checkPut(write, request);
    const response = this.execPut(write, request);
    this.finish(write);
    response.header = header(this.mvcc.currentRevision);
    return response;
  }

  deleteRange(request: DeleteRangeRequest): DeleteRangeResponse {
    const write = this.mvcc.write();
    const response = this.execDelete(write, request);
    this.finish(write);
    response.header = header(this.mvcc.currentRevision);
    return response;
  }

  txn(request: TxnRequest): TxnResponse {
    return mapStoreErrors(() => {
      const write = this.mvcc.write();
      // Like etcd, every compare (nested ones too) is evaluated against the
      // state before the transaction, and every op of the chosen path is
      // checked before the first write, so a failing txn changes nothing.
      const path = this.choosePath(write, request);
      this.checkPath(write, request, path);
      const response = this.execTxn(write, request, path);
      this.finish(write);
      setHeaders(response, this.mvcc.currentRevision);
      return response;
    });
  }

  compact(request: CompactionRequest): CompactionResponse {
    return mapStoreErrors(() => {
      this.mvcc.compact(Number(request.revision));
      return create(CompactionResponseSchema, { header: header(this.mvcc.currentRevision) });
    });
  }

  leaseGrant(request: LeaseGrantRequest, nowMs: number): LeaseGrantResponse {
    return mapStoreErrors(() => {
      const ttl = this.lessor.grant(request.ID, Number(request.TTL), nowMs);
      return create(LeaseGrantResponseSchema, {
        header: header(this.mvcc.currentRevision),
        ID: request.ID,
        TTL: BigInt(ttl),
      });
    });
  }

  leaseRevoke(request: LeaseRevokeRequest): LeaseRevokeResponse {
    return mapStoreErrors(() => {
      const keys = this.lessor.revoke(request.ID);
      if (keys.length > 0) {
        // All of the lease's keys go in one revision, as etcd does.
        const write = this.mvcc.write();
        for (const key of keys) write.deleteRange(fromKeyString(key), undefined);
        this.finish(write);
      }
      return create(LeaseRevokeResponseSchema, { header: header(this.mvcc.currentRevision) });
    });
  }

  // --- internals ----------------------------------------------------------

  private finish(write: WriteTxn): void {
    const events = write.end();
    if (events.length === 0) return;
    for (const listener of this.listeners) listener(events, this.mvcc.currentRevision);
  }

  private checkPut(write: WriteTxn, request: PutRequest): void {
    if (request.lease !== 0n && !this.lessor.has(request.lease)) throw EtcdErrors.leaseNotFound();
    if (request.ignoreValue || request.ignoreLease) {
      const existing = write.range(request.key, undefined).kvs[0];
      if (existing === undefined) throw EtcdErrors.keyNotFound();
    }
  }

  private execPut(write: WriteTxn, request: PutRequest): PutResponse {
    const keyString = toKeyString(request.key);
    const previous = write.range(request.key, undefined).kvs[0];
    const value = request.ignoreValue ? (previous?.value ?? new Uint8Array()) : request.value;
    const lease = request.ignoreLease ? (previous?.lease ?? 0n) : request.lease;
    write.put(request.key, value, lease);
    if (previous !== undefined && previous.lease !== 0n && previous.lease !== lease) {
      this.lessor.detach(previous.lease, keyString);
    }
    if (lease !== 0n) this.lessor.attach(lease, keyString);
    return create(
      PutResponseSchema,
      request.prevKv && previous ? { prevKv: toPbKeyValue(previous) } : {},
    );
  }

  private execDelete(write: WriteTxn, request: DeleteRangeRequest): DeleteRangeResponse {
    const deleted = write.deleteRange(request.key, nonEmpty(request.rangeEnd));
    for (const kv of deleted) {
      if (kv.lease !== 0n) this.lessor.detach(kv.lease, toKeyString(kv.key));
    }
    return create(DeleteRangeResponseSchema, {
      deleted: BigInt(deleted.length),
      prevKvs: request.prevKv ? deleted.map(toPbKeyValue) : [],
    });
  }

  private choosePath(write: WriteTxn, request: TxnRequest): TxnPath {
    const succeeded = request.compare.every((compare) => {
      const kvs = write.range(compare.key, nonEmpty(compare.rangeEnd)).kvs;
      return kvs.length === 0
        ? satisfies(undefined, compare)
        : kvs.every((kv) => satisfies(kv, compare));
    });
    const ops = succeeded ? request.success : request.failure;
    const nested = ops
      .filter((op) => op.request.case === "requestTxn")
      .map((op) => this.choosePath(write, op.request.value as TxnRequest));
    return { succeeded, nested };
  }

  private checkPath(write: WriteTxn, request: TxnRequest, path: TxnPath): void {
    let nestedIndex = 0;
    for (const op of path.succeeded ? request.success : request.failure) {
      if (op.request.case === "requestPut") this.checkPut(write, op.request.value);
      else if (op.request.case === "requestRange") {
        // A read at a compacted or future revision fails the whole txn.
        const range = op.request.value;
        if (range.revision !== 0n)
          write.range(range.key, nonEmpty(range.rangeEnd), rangeOptions(range));
      } else if (op.request.case === "requestTxn") {
        const nestedPath = path.nested[nestedIndex++];
        if (nestedPath !== undefined) this.checkPath(write, op.request.value, nestedPath);
      }
    }
  }

  private execTxn(write: WriteTxn, request: TxnRequest, path: TxnPath): TxnResponse {
    let nestedIndex = 0;
    const responses: ResponseOp[] = [];
    for (const op of path.succeeded ? request.success : request.failure) {
      responses.push(this.execOp(write, op, () => path.nested[nestedIndex++]));
    }
    return create(TxnResponseSchema, { succeeded: path.succeeded, responses });
  }

  private execOp(
    write: WriteTxn,
    op: RequestOp,
    nextNestedPath: () => TxnPath | undefined,
  ): ResponseOp {
    const r = op.request;
    switch (r.case) {
      case "requestRange": {
        const result = write.range(r.value.key, nonEmpty(r.value.rangeEnd), rangeOptions(r.value));
        return create(ResponseOpSchema, {
          response: {
            case: "responseRange",
            value: create(RangeResponseSchema, {
              kvs: result.kvs.map(toPbKeyValue),
              count: BigInt(result.count),
              more: result.more,
            }),
          },
        });
      }
      case "requestPut":
        return create(ResponseOpSchema, {
          response: { case: "responsePut", value: this.execPut(write, r.value) },
        });
      case "requestDeleteRange":
        return create(ResponseOpSchema, {
          response: { case: "responseDeleteRange", value: this.execDelete(write, r.value) },
        });
      case "requestTxn": {
        const path = nextNestedPath();
        if (path === undefined) throw new Error("txn path out of step with its ops");
        return create(ResponseOpSchema, {
          response: { case: "responseTxn", value: this.execTxn(write, r.value, path) },
        });
      }
      default:
        return create(ResponseOpSchema, {});
    }
  }
}

function nonEmpty(bytes: Uint8Array): Uint8Array | undefined {
  return bytes.length === 0 ? undefined : bytes;
}

/** Gives a Txn response, and the responses nested in it, the final revision. */
function setHeaders(response: TxnResponse, revision: number): void {
  response.header = header(revision);
  for (const op of response.responses) {
    const r = op.response;
    if (r.case === "responseTxn") setHeaders(r.value, revision);
    else if (r.case !== undefined) r.value.header = header(revision);
  }
}

/** Turns the store's domain errors into etcd's gRPC errors. */
function mapStoreErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CompactedError) throw EtcdErrors.compacted();
    if (error instanceof FutureRevisionError) throw EtcdErrors.futureRevision();
    if (error instanceof LeaseNotFoundError) throw EtcdErrors.leaseNotFound();
    if (error instanceof LeaseExistsError) throw EtcdErrors.leaseExists();
    if (error instanceof LeaseTtlTooLargeError) throw EtcdErrors.leaseTtlTooLarge();
    throw error;
  }
}
