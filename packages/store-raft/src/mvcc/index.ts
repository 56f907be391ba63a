export { CompactedError, FutureRevisionError } from "./errors.js";
export type { StoredVersion } from "./key-history.js";
export type { KeyRange, KeyString } from "./key-range.js";
export { fromKeyString, inRange, keyRange, prefixEnd, toKeyString } from "./key-range.js";
export type { MvccState } from "./store.js";
export { MvccStore, WriteTxn } from "./store.js";
export type {
  KeyValue,
  MvccEvent,
  RangeOptions,
  RangeResult,
  SortOrder,
  SortTarget,
} from "./types.js";
