import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // one fast-check seed for every run (FC_SEED=random explores), see the file
    setupFiles: ["test/support/fast-check-seed.ts"],
  },
});
