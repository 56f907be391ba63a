/**
 * A linearizability checker in the manner of Wing & Gong, with Lowe's
 * memoization, as Porcupine (anishathalye/porcupine) does it: walk the
 * history's call/return events in time order, try to linearize each pending
 * call against a sequential model, backtrack when a return is reached whose
 * call could not be placed, and never revisit a (linearized set, model
 * state) pair twice. Histories are split into independent partitions (one
 * per key for a key-value store; P-compositionality) and each partition is
 * searched on its own, with a step budget so a pathological history ends in
 * "unknown" instead of hanging the test.
 */

/**
 * One operation of a concurrent history. `output` is undefined and `return`
 * is `Infinity` when the outcome is unknown (the client timed out or got an
 * ambiguous error): the operation may or may not have taken effect, at any
 * time after `call`.
 */
export interface HistoryOp<Input, Output> {
  /** Who issued it; only for reports. */
  readonly client: number;
  readonly input: Input;
  /** Invocation time (any monotonic clock, the same for every op). */
  readonly call: number;
  /** Response time, or `Infinity` for an unknown outcome. */
  readonly return: number;
  /** What the client saw, or undefined for an unknown outcome. */
  readonly output: Output | undefined;
}

/**
 * A sequential specification. `step` may be nondeterministic: it returns
 * every state the object can be in after `input` answered `output` (an
 * empty list means that answer is impossible from `state`). Unknown
 * outcomes come with `output === undefined`.
 */
export interface SequentialModel<State, Input, Output> {
  init(): State;
  step(state: State, input: Input, output: Output | undefined): State[];
  /** A canonical string for a state: equal states, equal keys. */
  stateKey(state: State): string;
  /** Splits a history into parts that can be checked alone (by key, say). */
  partition?(history: ReadonlyArray<HistoryOp<Input, Output>>): Array<HistoryOp<Input, Output>[]>;
  /**
   * Whether dropping `op` from a history that has `rest` can only make it
   * easier to linearize (a read; a write nobody in `rest` observed). Lets
   * the checker shrink a violation to the operations that cause it; without
   * it, a violation is reported as the whole partition.
   */
  removable?(op: HistoryOp<Input, Output>, rest: ReadonlyArray<HistoryOp<Input, Output>>): boolean;
  /** One line for an operation in reports. */
  describe?(op: HistoryOp<Input, Output>): string;
}

/** The checker's answer. */
export type Verdict = "ok" | "illegal" | "unknown";

/** What {@link checkLinearizability} found. */
export interface LinearizabilityResult<Input, Output> {
  readonly verdict: Verdict;
  /** Search steps spent, over every partition. */
  readonly steps: number;
  readonly partitions: number;
  /** Partitions whose search ran out of budget. */
  readonly unknownPartitions: number;
  /** When illegal: a small set of operations that cannot be linearized together. */
  readonly violation?: {
    readonly ops: ReadonlyArray<HistoryOp<Input, Output>>;
    /** The ops, one a line, in call order. */
    readonly description: string;
  };
}

/** Options of {@link checkLinearizability}. */
export interface CheckOptions {
  /** Search steps allowed per partition before answering "unknown" (default 2,000,000). */
  readonly stepBudget?: number;
  /** Search steps allowed for shrinking a violation (default 2,000,000). */
  readonly shrinkBudget?: number;
}

interface EventNode {
  readonly op: number;
  readonly isCall: boolean;
  /** A call's return event; a return's call event. */
  match: EventNode | undefined;
  prev: EventNode | undefined;
  next: EventNode | undefined;
}

interface PartitionOutcome {
  readonly verdict: Verdict;
  readonly steps: number;
}

/** Builds the doubly linked list of call and return events, in time order. */
function buildEvents(ops: ReadonlyArray<HistoryOp<unknown, unknown>>): EventNode {
  const events: Array<{ time: number; node: EventNode }> = [];
  ops.forEach((op, index) => {
    if (!(op.return >= op.call)) {
      throw new RangeError(`op ${index} returns (${op.return}) before it is called (${op.call})`);
    }
    const call: EventNode = {
      op: index,
      isCall: true,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const ret: EventNode = {
      op: index,
      isCall: false,
      match: call,
      prev: undefined,
      next: undefined,
    };
    call.match = ret;
    events.push({ time: op.call, node: call }, { time: op.return, node: ret });
  });
  // At equal times calls go first: such ops count as concurrent, the
  // lenient reading when clocks have limited resolution.
  events.sort((a, b) => a.time - b.time || Number(b.node.isCall) - Number(a.node.isCall));
  const head: EventNode = {
    op: -1,
    isCall: false,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let tail = head;
  for (const { node } of events) {
    tail.next = node;
    node.prev = tail;
    tail = node;
  }
  return head;
}

/** Takes a call and its return out of the list (they keep their own links). */
function lift(call: EventNode): void {
  const ret = call.match as EventNode;
  (call.prev as EventNode).next = call.next;
  if (call.next !== undefined) call.next.prev = call.prev;
  (ret.prev as EventNode).next = ret.next;
  if (ret.next !== undefined) ret.next.prev = ret.prev;
}

/** Puts back what {@link lift} took out, in the reverse order. */
function unlift(call: EventNode): void {
  const ret = call.match as EventNode;
  (ret.prev as EventNode).next = ret;
  if (ret.next !== undefined) ret.next.prev = ret;
  (call.prev as EventNode).next = call;
  if (call.next !== undefined) call.next.prev = call;
}

/**
 * Searches one partition. The model is made deterministic by tracking the
 * set of states it could be in (Porcupine does the same for its
 * nondeterministic models).
 */
function searchPartition<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: ReadonlyArray<HistoryOp<I, O>>,
  budget: number,
): PartitionOutcome {
  const head = buildEvents(ops);
  const linearized = new Uint32Array(Math.ceil(ops.length / 32) + 1);
  const seen = new Set<string>();
  const stack: Array<{ call: EventNode; states: S[] }> = [];
  let states: S[] = [model.init()];
  let steps = 0;
  let event = head.next;
  while (head.next !== undefined) {
    if (++steps > budget) return { verdict: "unknown", steps };
    // Every call's return lies after it, so a walk meets a return before the end.
    if (event === undefined) throw new Error("linearizability: walked off the event list");
    if (event.isCall) {
      const op = ops[event.op] as HistoryOp<I, O>;
      const next = nextStates(model, states, op);
      if (next.length > 0) {
        linearized[event.op >>> 5]! |= 1 << (event.op & 31);
        const key = `${linearized.join(",")}|${next.map((s) => model.stateKey(s)).join("\u0001")}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ call: event, states });
          states = next;
          lift(event);
          event = head.next;
          continue;
        }
        linearized[event.op >>> 5]! &= ~(1 << (event.op & 31));
      }
      event = event.next;
    } else {
      // The op this return belongs to was never placed: undo the last choice.
      const top = stack.pop();
      if (top === undefined) return { verdict: "illegal", steps };
      states = top.states;
      linearized[top.call.op >>> 5]! &= ~(1 << (top.call.op & 31));
      unlift(top.call);
      event = top.call.next;
    }
  }
  return { verdict: "ok", steps };
}

/** Every state `op` can lead to from any of `states`, without duplicates, in a canonical order. */
function nextStates<S, I, O>(
  model: SequentialModel<S, I, O>,
  states: readonly S[],
  op: HistoryOp<I, O>,
): S[] {
  const byKey = new Map<string, S>();
  for (const state of states) {
    for (const next of model.step(state, op.input, op.output))
      byKey.set(model.stateKey(next), next);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as S);
}

/**
 * Shrinks an illegal partition, ddmin-style: drop chunks of operations the
 * model says are safe to drop (so the smaller history being illegal proves
 * the larger one is) while the rest stays illegal.
 */
function shrink<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: Array<HistoryOp<I, O>>,
  budget: number,
  perCheckBudget: number,
): Array<HistoryOp<I, O>> {
  const removable = model.removable;
  if (removable === undefined) return ops;
  let current = [...ops].sort((a, b) => a.call - b.call);
  let spent = 0;
  let chunk = Math.ceil(current.length / 2);
  // Single-op passes repeat while they still remove something (at most one pass per op).
  for (let pass = 0; chunk >= 1 && pass <= ops.length; pass++) {
    const before = current.length;
    // Latest ops first: later reads go, then the writes only they observed.
    for (let end = current.length; end > 0; end -= chunk) {
      if (spent >= budget) return current;
      const start = Math.max(0, end - chunk);
      const chunkOps = current.slice(start, end);
      const kept = [...current.slice(0, start), ...current.slice(end)];
      // Drop what is removable against everything that stays; recheck
      // against the chunk's own survivors until nothing changes.
      let safeDrop = new Set(chunkOps.filter((op) => removable(op, kept)));
      for (let round = 0; round < chunkOps.length; round++) {
        const stays = [...kept, ...chunkOps.filter((op) => !safeDrop.has(op))];
        const next = new Set([...safeDrop].filter((op) => removable(op, stays)));
        if (next.size === safeDrop.size) break;
        safeDrop = next;
      }
      if (safeDrop.size === 0) continue;
      const candidate = [
        ...current.slice(0, start),
        ...chunkOps.filter((op) => !safeDrop.has(op)),
        ...current.slice(end),
      ];
      const outcome = searchPartition(model, candidate, Math.min(perCheckBudget, budget - spent));
      spent += outcome.steps;
      if (outcome.verdict === "illegal") current = candidate;
    }
    if (chunk > 1) chunk = Math.floor(chunk / 2);
    else if (current.length === before) break;
  }
  return current;
}

function describeAll<I, O>(
  model: SequentialModel<unknown, I, O>,
  ops: ReadonlyArray<HistoryOp<I, O>>,
): string {
  const line =
    model.describe ??
    ((op: HistoryOp<I, O>) =>
      `client ${op.client} [${op.call}, ${op.return}] ${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)}`);
  return [...ops]
    .sort((a, b) => a.call - b.call)
    .map((op) => line(op))
    .join("\n");
}

/**
 * Decides whether `history` is linearizable with respect to `model`:
 * "ok", "illegal" (with a shrunk set of ops that cannot be linearized), or
 * "unknown" when a partition's search exceeded the step budget.
 */
export function checkLinearizability<S, I, O>(
  model: SequentialModel<S, I, O>,
  history: ReadonlyArray<HistoryOp<I, O>>,
  options: CheckOptions = {},
): LinearizabilityResult<I, O> {
  const budget = options.stepBudget ?? 2_000_000;
  const partitions = model.partition?.(history) ?? [[...history]];
  let steps = 0;
  let unknownPartitions = 0;
  for (const part of partitions) {
    const outcome = searchPartition(model, part, budget);
    steps += outcome.steps;
    if (outcome.verdict === "unknown") unknownPartitions++;
    if (outcome.verdict === "illegal") {
      const ops = shrink(model, part, options.shrinkBudget ?? 2_000_000, budget);
      return {
        verdict: "illegal",
        steps,
        partitions: partitions.length,
        unknownPartitions,
        violation: { ops, description: describeAll(model as SequentialModel<unknown, I, O>, ops) },
      };
    }
  }
  return {
    verdict: unknownPartitions > 0 ? "unknown" : "ok",
    steps,
    partitions: partitions.length,
    unknownPartitions,
  };
}
