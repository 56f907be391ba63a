import type { ListerWatcher, ListOptions, WatchOptions } from "../../src/cache/lister-watcher.js";
import type { KubeList, KubeObject, WatchEvent } from "../../src/meta/types.js";

/** One scripted watch: its events, then how it ends. */
export interface WatchScript<T extends KubeObject> {
  events: Array<WatchEvent<T>>;
  /** `close`: the server ends the watch; `hang`: it stays open until aborted; or an error. */
  end: "close" | "hang" | Error;
}

/**
 * A ListerWatcher that replays scripted list results and watch streams in
 * order and records the options of every call. When the watch scripts run
 * out, further watches stay open until aborted; when lists run out, list fails.
 */
export class ScriptedListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];

  constructor(
    readonly lists: Array<KubeList<T> | Error>,
    readonly watches: Array<WatchScript<T>>,
  ) {}

  async list(options: ListOptions): Promise<KubeList<T>> {
    this.listCalls.push(options);
    const step = this.lists.shift();
    if (step === undefined) {
      throw new Error("script: no more lists");
    }
    if (step instanceof Error) {
      throw step;
    }
    return step;
  }

  async *watch(options: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
    this.watchCalls.push(options);
    const script = this.watches.shift() ?? { events: [], end: "hang" };
    for (const event of script.events) {
      await Promise.resolve();
      if (signal.aborted) {
        return;
      }
      yield event;
    }
    if (script.end instanceof Error) {
      throw script.end;
    }
    if (script.end === "hang") {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  }
}

/** A minimal namespaced object for tests. */
export function pod(
  name: string,
  resourceVersion: string,
  labels: Record<string, string> = {},
  namespace = "default",
): KubeObject {
  return { kind: "Pod", metadata: { name, namespace, resourceVersion, labels } };
}

/** A list response. */
export function list(resourceVersion: string, items: KubeObject[], cont?: string): KubeList {
  return { items, metadata: { resourceVersion, ...(cont ? { continue: cont } : {}) } };
}
