import { join } from "node:path";
import { defineConfig, type UserConfig } from "vitest/config";

/**
 * The one vitest setup every package shares: resolve workspace packages to
 * their sources (the `@kubekit/source` export condition), so a package's
 * tests run without building its dependencies first; and write a JSON report
 * per package into its `.test-results.json` (an nx output of `test`, so a
 * cached run restores it), which `scripts/test-summary.mjs` adds up.
 */
export function kubekitVitestConfig(overrides: UserConfig["test"] = {}): UserConfig {
  const conditions = ["@kubekit/source", "module", "node", "development|production"];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@kubekit/source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      reporters: ["default", ["json", { outputFile: join(process.cwd(), ".test-results.json") }]],
      ...overrides,
    },
  });
}
