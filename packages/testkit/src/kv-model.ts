import type { HistoryOp, SequentialModel } from "./linearizability.js";

/** An operation on a map of registers: one key each. */
export type KvInput =
  | { readonly kind: "put"; readonly key: string; readonly value: string }
  | { readonly kind: "get"; readonly key: string }
  /** Sets `value` if the key holds `expected` (undefined: the key is missing). */
  | {
      readonly kind: "cas";
      readonly key: string;
      readonly expected: string | undefined;
      readonly value: string;
    };

/** What a client saw: `get`'s value (undefined when missing), whether `cas` swapped. */
export type KvOutput =
  | { readonly kind: "put" }
  | { readonly kind: "get"; readonly value: string | undefined }
  | { readonly kind: "cas"; readonly ok: boolean };

/** One operation of a key-value history. */
export type KvOp = HistoryOp<KvInput, KvOutput>;

/** A key's value, or undefined when the key is missing. */
type Register = string | undefined;

function step(state: Register, input: KvInput, output: KvOutput | undefined): Register[] {
  switch (input.kind) {
    case "put":
      // Unknown outcome: applied or not.
      return output === undefined ? [input.value, state] : [input.value];
    case "get":
      if (output === undefined) return [state];
      return output.kind === "get" && output.value === state ? [state] : [];
    case "cas": {
      const swaps = state === input.expected;
      if (output === undefined) return swaps ? [input.value, state] : [state];
      if (output.kind !== "cas" || output.ok !== swaps) return [];
      return [swaps ? input.value : state];
    }
  }
}

function show(value: string | undefined): string {
  return value === undefined ? "<missing>" : JSON.stringify(value);
}

/** One line for a KV op: client, interval, call and answer. */
export function describeKvOp(op: KvOp): string {
  const { input, output } = op;
  const call =
    input.kind === "put"
      ? `put(${input.key}, ${show(input.value)})`
      : input.kind === "get"
        ? `get(${input.key})`
        : `cas(${input.key}, ${show(input.expected)} -> ${show(input.value)})`;
  const answer =
    output === undefined
      ? "unknown"
      : output.kind === "get"
        ? show(output.value)
        : output.kind === "cas"
          ? String(output.ok)
          : "ok";
  const end = Number.isFinite(op.return) ? op.return.toFixed(1) : "inf";
  return `client ${op.client} [${op.call.toFixed(1)}, ${end}] ${call} -> ${answer}`;
}

/** Whether `op` lets a later op see `value` (a read of it, or a swap expecting it). */
function observes(op: KvOp, key: string, value: string): boolean {
  if (op.input.key !== key) return false;
  if (op.input.kind === "cas") return true; // a failed swap observes too: keep them all
  return op.input.kind === "get" && op.output?.kind === "get" && op.output.value === value;
}

/**
 * An unknown-outcome put whose value nobody read may as well not have
 * happened (were it applied, no read fell between it and the next write),
 * so dropping it keeps the verdict and spares the search a branch per
 * timeout. Sound when puts write distinct values and no swap depends on
 * the key (a failed swap observes a value without naming it).
 */
function dropUnobservedUnknownPuts(ops: KvOp[]): KvOp[] {
  if (ops.some((op) => op.input.kind === "cas")) return ops;
  const read = new Set<string | undefined>();
  for (const op of ops) if (op.output?.kind === "get") read.add(op.output.value);
  return ops.filter(
    (op) => !(op.input.kind === "put" && op.output === undefined && !read.has(op.input.value)),
  );
}

/**
 * A map of registers (put, get, compare-and-set), checked key by key.
 * Writes of values no remaining op reads may be dropped when shrinking a
 * violation, which is sound when every put writes a distinct value.
 */
export const kvModel: SequentialModel<Register, KvInput, KvOutput> = {
  init: () => undefined,
  step,
  stateKey: (state) => (state === undefined ? "\u0000" : `=${state}`),
  partition(history) {
    const byKey = new Map<string, KvOp[]>();
    for (const op of history) {
      const list = byKey.get(op.input.key) ?? [];
      list.push(op);
      byKey.set(op.input.key, list);
    }
    return [...byKey.values()].map(dropUnobservedUnknownPuts);
  },
  removable(op, rest) {
    if (op.input.kind === "get") return true;
    if (op.input.kind === "cas") return false;
    const { key, value } = op.input;
    return !rest.some((other) => other !== op && observes(other, key, value));
  },
  describe: describeKvOp,
};
