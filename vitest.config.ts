import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The package's own name resolves to the sources, so examples and tests import it as users do.
    alias: {
      "jobcache/orchestrator": fileURLToPath(new URL("./src/orchestrator.ts", import.meta.url)),
      "jobcache/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      jobcache: fileURLToPath(new URL("./src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Separate processes: SQL tests hold pools and child processes; a crash stays in its file.
    pool: "forks",
    // Most tests wait on databases rather than CPU, so a few more workers than the 2 cores pay off.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Fixed seed so failures replay; property tests print their own fast-check seed and path.
    sequence: { seed: 20261125 },
  },
});
