#!/usr/bin/env node
// Adds up the vitest JSON reports that every package writes into its
// .test-results.json (see vitest.shared.ts; nx restores them for cached test
// runs) and prints one closing line for the whole run:
// "tests: N passed, N failed, N skipped". With --reset it removes the reports
// of an earlier run first. Exits 1 when a test failed or when none ran.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const reports = ["packages", "examples"]
  .map((dir) => join(root, dir))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name, ".test-results.json")))
  .filter((file) => existsSync(file));

if (process.argv.includes("--reset")) {
  for (const file of reports) rmSync(file);
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of reports) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === "failed") failures.push(`${suite.name}: ${test.fullName}`);
    }
  }
}
for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
