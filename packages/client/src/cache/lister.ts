import { parseLabelSelector, type Selector, selectorMatches } from "../meta/labels.js";
import type { KubeObject } from "../meta/types.js";
import { type Indexer, NAMESPACE_INDEX } from "./indexer.js";

/** A label selector as requirements or in its string form (`app=web,tier!=db`). */
export type SelectorInput = Selector | string;

/** Reads objects of one namespace from an informer's cache. */
export interface NamespaceLister<T extends KubeObject> {
  /** Objects in the namespace whose labels match `selector` (all when absent). */
  list(selector?: SelectorInput): T[];
  /** The object named `name` in the namespace. */
  get(name: string): T | undefined;
}

/** Reads objects from an informer's cache: what controllers use instead of GETs. */
export interface Lister<T extends KubeObject> {
  /** Objects in every namespace whose labels match `selector` (all when absent). */
  list(selector?: SelectorInput): T[];
  /** A cluster-scoped object by name. */
  get(name: string): T | undefined;
  /** A lister limited to one namespace. */
  namespace(namespace: string): NamespaceLister<T>;
}

function toSelector(input: SelectorInput | undefined): Selector {
  if (input === undefined) return [];
  return typeof input === "string" ? parseLabelSelector(input) : input;
}

function filter<T extends KubeObject>(items: T[], input: SelectorInput | undefined): T[] {
  const selector = toSelector(input);
  return selector.length === 0
    ? items
    : items.filter((obj) => selectorMatches(selector, obj.metadata?.labels));
}

/** A {@link Lister} over an indexer keyed `namespace/name`; uses the namespace index when present. */
export function createLister<T extends KubeObject>(indexer: Indexer<T>): Lister<T> {
  return {
    list: (selector) => filter(indexer.list(), selector),
    get: (name) => indexer.getByKey(name),
    namespace: (namespace) => ({
      list: (selector) =>
        filter(
          indexer.hasIndex(NAMESPACE_INDEX)
            ? indexer.byIndex(NAMESPACE_INDEX, namespace)
            : indexer.list().filter((obj) => (obj.metadata?.namespace ?? "") === namespace),
          selector,
        ),
      get: (name) => indexer.getByKey(namespace ? `${namespace}/${name}` : name),
    }),
  };
}
