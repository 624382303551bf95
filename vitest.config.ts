import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Hooks build and delete hundreds of temporary git checkouts (real-tools, rule tables); on a loaded
    // 2-core CI machine that takes far longer than vitest's 10 s default.
    hookTimeout: 180_000,
  },
});
