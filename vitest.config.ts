import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "emulator/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/worker-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Ceilings, not targets: a test that passes in 10–20 s here must not fail on a CI machine that is
    // busier for a minute (performance lives in benchmarks). A hung test still fails.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
