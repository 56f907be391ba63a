#!/usr/bin/env node
// The npm registry reachable from our build machines serves only the
// platform packages of this platform (linux-x64-gnu); asking for another
// platform's optional binary (@esbuild/darwin-arm64, ...) answers 404. npm
// then writes a package-lock.json without those entries, and `npm ci` refuses
// that lock file ("Missing: @biomejs/cli-darwin-x64@ from lock file").
//
// This script puts back an entry for every optional dependency the lock file
// names but lacks, marked optional (and dev where its dependent is), so the
// lock file is complete: `npm ci` accepts it, and on a machine of another
// platform npm fetches that platform's binary as usual. Run it after every
// `npm install` that changes the lock file (the root `postinstall` does).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const lockPath = join(import.meta.dirname, "..", "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // Hoisted install: the dependency lives next to its dependent or at the top.
    const nested = `${path === "" ? "" : `${path}/`}node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (packages[nested] || packages[top]) continue;
    packages[top] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added += 1;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) =>
    a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
if (added > 0) process.stdout.write(`lock-foreign-platforms: added ${added} platform entries\n`);
