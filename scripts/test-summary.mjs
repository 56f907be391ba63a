#!/usr/bin/env node
// Adds up the vitest JSON reports that every package writes into
// .test-results/ (see vitest.shared.ts) and prints one closing line for the
// whole run: "tests: N passed, N failed, N skipped". With --reset it clears
// the reports of an earlier run first. Exits 1 when a test failed or when no
// test ran at all.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dirname, "..", ".test-results");
if (process.argv.includes("--reset")) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === "failed")
        failures.push(`${file.replace(/\.json$/, "")}: ${test.fullName}`);
    }
  }
}
for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
