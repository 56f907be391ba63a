import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runDataDriven } from "@kubekit/testkit";
import { describe } from "vitest";
import { ScenarioEnv } from "./scenario/env.js";

const dir = join(import.meta.dirname, "..", "testdata");

describe("scheduling scenarios", () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()) {
    const env = new ScenarioEnv();
    runDataDriven(join(dir, file), (tc) => env.handle(tc));
  }
});
