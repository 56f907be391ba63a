import type { KubeObject } from "../meta/types.js";
import { type KeyFunc, metaNamespaceKeyFunc } from "./keys.js";

/** Computes the values under which an object is indexed (an object may have several). */
export type IndexFunc<T> = (obj: T) => string[];

/** Index name → index function. */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The name of the standard namespace index. */
export const NAMESPACE_INDEX = "namespace";

/** Indexes objects by their namespace. */
export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ""];
}

/**
 * An in-memory store of objects by key, with secondary indices kept in step
 * on every write: client-go's thread-safe store and Indexer. Objects are kept
 * as given; treat them as read-only (they are shared with every reader).
 */
export class Indexer<T> {
  readonly #keyFunc: KeyFunc<T>;
  readonly #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys. */
  readonly #indices = new Map<string, Map<string, Set<string>>>();

  constructor(keyFunc: KeyFunc<T>, indexers: Indexers<T> = {}) {
    this.#keyFunc = keyFunc;
    this.addIndexers(indexers);
  }

  /** The store key of `obj`. */
  keyOf(obj: T): string {
    return this.#keyFunc(obj);
  }

  /** Inserts or replaces `obj`. */
  add(obj: T): void {
    const key = this.#keyFunc(obj);
    const old = this.#items.get(key);
    this.#items.set(key, obj);
    this.#reindex(key, old, obj);
  }

  /** Same as {@link add}. */
  update(obj: T): void {
    this.add(obj);
  }

  /** Removes the object with `obj`'s key, if present. */
  delete(obj: T): void {
    this.deleteByKey(this.#keyFunc(obj));
  }

  /** Removes the object stored under `key`, if present. */
  deleteByKey(key: string): void {
    const old = this.#items.get(key);
    if (old === undefined) {
      return;
    }
    this.#items.delete(key);
    this.#reindex(key, old, undefined);
  }

  /** The stored object with `obj`'s key. */
  get(obj: T): T | undefined {
    return this.#items.get(this.#keyFunc(obj));
  }

  /** The stored object under `key`. */
  getByKey(key: string): T | undefined {
    return this.#items.get(key);
  }

  /** Every stored object. */
  list(): T[] {
    return [...this.#items.values()];
  }

  /** Every key. */
  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  /** Number of stored objects. */
  size(): number {
    return this.#items.size;
  }

  /** Replaces the whole contents with `items` and rebuilds the indices. */
  replace(items: readonly T[]): void {
    this.#items.clear();
    for (const index of this.#indices.values()) {
      index.clear();
    }
    for (const obj of items) {
      this.add(obj);
    }
  }

  /** Adds index functions; existing objects are indexed at once. Names must be new. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers.has(name)) {
        throw new Error(`indexer "${name}" already exists`);
      }
      this.#indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of this.#items) {
        for (const value of fn(obj)) {
          addToIndex(index, value, key);
        }
      }
    }
  }

  /** Objects that share any index value with `obj` under `indexName`. */
  index(indexName: string, obj: T): T[] {
    const fn = this.#indexFunc(indexName);
    const keys = new Set<string>();
    for (const value of fn(obj)) {
      for (const key of this.#indices.get(indexName)?.get(value) ?? []) {
        keys.add(key);
      }
    }
    return this.#resolve(keys);
  }

  /** Objects indexed under `value` by `indexName`. */
  byIndex(indexName: string, value: string): T[] {
    return this.#resolve(this.indexKeys(indexName, value));
  }

  /** Keys of objects indexed under `value` by `indexName`. */
  indexKeys(indexName: string, value: string): string[] {
    this.#indexFunc(indexName);
    return [...(this.#indices.get(indexName)?.get(value) ?? [])];
  }

  /** Every value present in index `indexName`. */
  listIndexFuncValues(indexName: string): string[] {
    this.#indexFunc(indexName);
    return [...(this.#indices.get(indexName)?.keys() ?? [])];
  }

  /** True when an index of that name exists. */
  hasIndex(indexName: string): boolean {
    return this.#indexers.has(indexName);
  }

  #indexFunc(indexName: string): IndexFunc<T> {
    const fn = this.#indexers.get(indexName);
    if (!fn) {
      throw new Error(`index "${indexName}" does not exist`);
    }
    return fn;
  }

  #resolve(keys: Iterable<string>): T[] {
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj !== undefined) {
        out.push(obj);
      }
    }
    return out;
  }

  #reindex(key: string, old: T | undefined, next: T | undefined): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name) as Map<string, Set<string>>;
      const oldValues = old === undefined ? [] : fn(old);
      const newValues = next === undefined ? [] : fn(next);
      for (const value of oldValues) {
        if (!newValues.includes(value)) {
          const keys = index.get(value);
          keys?.delete(key);
          if (keys?.size === 0) {
            index.delete(value);
          }
        }
      }
      for (const value of newValues) {
        addToIndex(index, value, key);
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) {
    keys = new Set();
    index.set(value, keys);
  }
  keys.add(key);
}

/** An indexer for Kubernetes objects keyed `namespace/name`, with the namespace index. */
export function createObjectIndexer<T extends KubeObject>(indexers: Indexers<T> = {}): Indexer<T> {
  return new Indexer<T>(metaNamespaceKeyFunc, {
    [NAMESPACE_INDEX]: metaNamespaceIndexFunc,
    ...indexers,
  });
}
