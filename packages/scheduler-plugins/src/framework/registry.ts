/**
 * Plugin name → factory. The scheduler builds each profile's plugins from a
 * registry; out-of-tree plugins are merged in, and a name may be registered
 * only once.
 */
import type { Handle } from "./handle.js";
import type { Plugin } from "./interfaces.js";

/** Builds a plugin from its pluginConfig args (undefined when none) and the handle. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** A duplicate or unknown plugin name. */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

/** A set of plugin factories by name. */
export class Registry {
  private readonly factories = new Map<string, PluginFactory>();

  constructor(entries: Iterable<readonly [string, PluginFactory]> = []) {
    for (const [name, factory] of entries) this.register(name, factory);
  }

  /** Adds a factory; throws when the name is taken. */
  register(name: string, factory: PluginFactory): void {
    if (this.factories.has(name)) {
      throw new RegistryError(`a plugin named "${name}" already exists`);
    }
    this.factories.set(name, factory);
  }

  /** Removes a factory; throws when absent. */
  unregister(name: string): void {
    if (!this.factories.delete(name)) {
      throw new RegistryError(`no plugin named "${name}" exists`);
    }
  }

  /** Adds every factory of another registry (out-of-tree plugins); throws on a clash. */
  merge(other: Registry): void {
    for (const [name, factory] of other.factories) this.register(name, factory);
  }

  /** True when a factory is registered under the name. */
  has(name: string): boolean {
    return this.factories.has(name);
  }

  /** The factory for the name, or undefined. */
  get(name: string): PluginFactory | undefined {
    return this.factories.get(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }
}
