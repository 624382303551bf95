import { spawnSync } from "node:child_process";

/**
 * Real outside tools (nginx, docker-compose, Django, pre-commit, the SARIF validator)
 * check our behaviour against the real thing. On a laptop without the tool the test is
 * skipped with a visible message; in CI (`DPL_REQUIRE_TOOLS=1`, set by .ci/run) a
 * missing tool is a failure, so CI always runs them.
 */
export function toolAvailable(name: string, probe: string[]): boolean {
  const [cmd, ...args] = probe;
  const result = spawnSync(cmd ?? name, args, { stdio: "ignore" });
  const ok = result.status === 0 || (result.error === undefined && result.status !== 127);
  if (!ok) {
    if (process.env.DPL_REQUIRE_TOOLS === "1") {
      throw new Error(`required tool '${name}' is missing (DPL_REQUIRE_TOOLS=1); .ci/run should install it`);
    }
    console.warn(`[skip] '${name}' is not installed: tests that compare with real ${name} are skipped`);
  }
  return ok;
}
