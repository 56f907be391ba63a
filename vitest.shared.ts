import { defineConfig, type UserConfig } from "vitest/config";

/**
 * The one vitest setup every package shares: resolve workspace packages to
 * their sources (the `@kubekit/source` export condition), so a package's
 * tests run without building its dependencies first.
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
      ...overrides,
    },
  });
}
