/**
 * In-process plugins by npm package name: a package (or any module
 * specifier) that exports `NAME` and `create(args, handle)`, the same shape
 * as the in-tree plugin folders, is imported and registered.
 */
import type { PluginFactory, Registry } from "../framework/registry.js";

/** A module that could not be loaded as a scheduler plugin. */
export class PluginLoadError extends Error {
  override readonly name = "PluginLoadError";
}

/** Imports a module; injectable so tests and bundlers can supply their own. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/** Imports one plugin module and returns its registry entry. */
export async function loadPluginPackage(
  specifier: string,
  importer: ModuleImporter = defaultImporter,
): Promise<readonly [string, PluginFactory]> {
  let mod: unknown;
  try {
    mod = await importer(specifier);
  } catch (e) {
    throw new PluginLoadError(
      `cannot import scheduler plugin "${specifier}": ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
  const m = (mod ?? {}) as {
    NAME?: unknown;
    create?: unknown;
    default?: { NAME?: unknown; create?: unknown };
  };
  const source = typeof m.NAME === "string" ? m : (m.default ?? {});
  if (typeof source.NAME !== "string" || source.NAME === "") {
    throw new PluginLoadError(`scheduler plugin "${specifier}" does not export a NAME string`);
  }
  if (typeof source.create !== "function") {
    throw new PluginLoadError(
      `scheduler plugin "${specifier}" does not export a create(args, handle) function`,
    );
  }
  return [source.NAME, source.create as PluginFactory] as const;
}

/** Loads each module and registers it; a name clash with a registered plugin throws. */
export async function registerPluginPackages(
  registry: Registry,
  specifiers: readonly string[],
  importer: ModuleImporter = defaultImporter,
): Promise<string[]> {
  const names: string[] = [];
  for (const specifier of specifiers) {
    const [name, factory] = await loadPluginPackage(specifier, importer);
    registry.register(name, factory);
    names.push(name);
  }
  return names;
}
