import { type ConfChange, ConfChangeType } from "./types.js";

/** Format version of the encoding below, so it can change without confusing old logs. */
const CODEC_VERSION = 1;
const HEADER_BYTES = 1 + 1 + 8;

/**
 * Encodes a conf change as the data of a ConfChange entry: a version byte,
 * the change type, the node id as a big-endian uint64, then the context.
 * The peer wire format (kubekit.raft.v1.ConfChange) carries the same
 * fields; entries hold this compact form so the core needs no protobuf runtime.
 */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const ctx = cc.context ?? new Uint8Array(0);
  const out = new Uint8Array(HEADER_BYTES + ctx.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, CODEC_VERSION);
  view.setUint8(1, cc.type);
  view.setBigUint64(2, BigInt(cc.nodeId));
  out.set(ctx, HEADER_BYTES);
  return out;
}

/** Decodes what {@link encodeConfChange} produced; throws on anything else. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  if (data.byteLength < HEADER_BYTES) throw new Error("conf change: too short");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint8(0);
  if (version !== CODEC_VERSION) throw new Error(`conf change: unknown version ${version}`);
  const type = view.getUint8(1);
  if (!(type in ConfChangeType)) throw new Error(`conf change: unknown type ${type}`);
  const nodeId = Number(view.getBigUint64(2));
  const context = data.slice(HEADER_BYTES);
  return { type: type as ConfChangeType, nodeId, context };
}
