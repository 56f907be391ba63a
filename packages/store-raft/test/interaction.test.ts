import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runDataDriven } from "@kubekit/testkit";
import { describe } from "vitest";
import { InteractionEnv } from "./interaction/env.js";

const dir = join(import.meta.dirname, "..", "testdata");

describe("raft interactions", () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()) {
    const env = new InteractionEnv();
    runDataDriven(join(dir, file), (tc) => env.handle(tc));
  }
});
