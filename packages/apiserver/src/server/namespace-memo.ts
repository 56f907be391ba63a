import type { KubeObject } from "../types/object.js";

/** More namespaces than a cluster has: past it the memo starts over rather than grow. */
const MAX_REMEMBERED = 10_000;

/**
 * The last Namespace each create found live and admitted into, by name.
 * A create into a remembered namespace skips reading it again: the store
 * write is guarded by the namespace's resourceVersion (see `CreateGuard`),
 * so a namespace that has changed since (terminating, deleted) sends the
 * create back to a live read. Only namespaces that let creates through
 * are kept; a refusal always comes from a live read.
 */
export class NamespaceMemo {
  private readonly byName = new Map<string, KubeObject>();

  /** The namespace as last admitted into, if remembered. */
  get(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  remember(name: string, namespace: KubeObject): void {
    if (this.byName.size >= MAX_REMEMBERED && !this.byName.has(name)) this.byName.clear();
    this.byName.set(name, namespace);
  }

  forget(name: string): void {
    this.byName.delete(name);
  }
}
