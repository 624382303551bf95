import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Hooks build and delete hundreds of temporary git checkouts (real-tools, rule tables); on a loaded
    // 2-core CI machine that takes far longer than vitest's 10 s default.
    hookTimeout: 180_000,
    // Most tests wait on child processes (the CLI, git, nginx, docker-compose, Django, pre-commit):
    // vitest's default of one worker per core minus one left one of CI's two cores idle.
    maxWorkers: 3,
  },
});
