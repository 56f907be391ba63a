#!/usr/bin/env node
// Fails when `buf generate` would change the checked-in generated code: the
// generated files must always be what the protos say (connect-es does the
// same in CI). Runs buf, then asks git whether anything under the output
// directory differs from the index or is new.
import { execFileSync } from "node:child_process";

const generated = "packages/proto/src/gen";
execFileSync("npx", ["buf", "generate"], { stdio: "inherit" });
// Changed against the index (so staged regenerations count as done) or new.
const status =
  execFileSync("git", ["diff", "--name-status", "--", generated], { encoding: "utf8" }) +
  execFileSync("git", ["ls-files", "--others", "--exclude-standard", "--", generated], {
    encoding: "utf8",
  });
if (status.trim() !== "") {
  process.stderr.write(
    `proto-diffcheck: \`buf generate\` changed ${generated}; run \`npm run proto:generate\` and commit the result:\n${status}`,
  );
  process.exit(1);
}
process.stdout.write("proto-diffcheck: generated code matches the protos\n");
