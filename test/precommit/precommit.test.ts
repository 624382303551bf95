import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";
import { toolAvailable } from "../support/tools.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

/**
 * The hook under real `pre-commit`, the way a user's `.pre-commit-config.yaml` uses it:
 * pre-commit clones this repository at a rev, installs it as a node package (`npm install`
 * in the clone, which needs the npm registry, then `npm pack` + `npm install -g`), and runs
 * `django-prod-lint` at the root of the user's repository.
 */
const hasPreCommit = toolAvailable("pre-commit", ["pre-commit", "--version"]);

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "user.name=dpl-test", "-c", "user.email=dpl-test@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

/** A throwaway git repository holding this working tree (tracked and new files, plus dist/) at one commit. */
function snapshotThisRepository(): { repo: string; rev: string } {
  const repo = mkdtempSync(join(tmpdir(), "dpl-hook-repo-"));
  const files = git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter((f) => f !== "");
  for (const file of files) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet in the index
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(from, join(repo, file));
  }
  cpSync(join(REPO_ROOT, "dist"), join(repo, "dist"), { recursive: true });
  git(repo, "init", "-q");
  git(repo, "add", "-A", "-f");
  git(repo, "commit", "-q", "-m", "snapshot for the pre-commit test");
  return { repo, rev: git(repo, "rev-parse", "HEAD").trim() };
}

/** Runs `pre-commit run --all-files` in a fresh git repository holding a fixture project. */
function runHook(fixture: string, hook: { repo: string; rev: string }, preCommitHome: string) {
  const dir = (materializeFixture as (d: string) => string)(fixturePath(`projects/${fixture}`));
  writeFileSync(
    join(dir, ".pre-commit-config.yaml"),
    `repos:\n  - repo: ${hook.repo}\n    rev: ${hook.rev}\n    hooks:\n      - id: django-prod-lint\n`,
  );
  git(dir, "add", ".pre-commit-config.yaml");
  const started = Date.now();
  // FORCE_COLOR (set by some CI systems) would win over NO_COLOR and colour the linter's text output.
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  const result = spawnSync("pre-commit", ["run", "--all-files", "--color", "never"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...inherited, PRE_COMMIT_HOME: preCommitHome, NO_COLOR: "1" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, seconds: (Date.now() - started) / 1000, dir };
}

describe.skipIf(!hasPreCommit)("pre-commit hook (real pre-commit)", () => {
  let hook: { repo: string; rev: string };
  let preCommitHome: string;

  beforeAll(() => {
    hook = snapshotThisRepository();
    preCommitHome = mkdtempSync(join(tmpdir(), "dpl-pre-commit-home-"));
  });

  // The first run installs the hook's node environment (npm install from the registry): allow minutes.
  it("fails on the broken seed twin and names its findings", () => {
    const run = runHook("seed-broken", hook, preCommitHome);
    console.info(`[pre-commit] seed-broken: ${run.seconds.toFixed(1)}s (includes installing the hook environment)`);
    expect(run.output).toMatch(/django-prod-lint\.+Failed/);
    expect(run.status).toBe(1);
    // The linter's own output, not an install error: the hook ran and reported findings.
    expect(run.output).toContain("- exit code: 1");
    expect(run.output).toContain("deploy/static-alias error");
    expect(run.output).toContain("git/env-tracked error");
    // The environment pre-commit built holds the linter as the package's bin.
    const envs = readdirSync(preCommitHome).filter((d) => d.startsWith("repo"));
    expect(envs.length).toBeGreaterThan(0);
  }, 600_000);

  it("passes on the correct seed twin", () => {
    const run = runHook("seed-skeleton", hook, preCommitHome);
    console.info(`[pre-commit] seed-skeleton: ${run.seconds.toFixed(1)}s (environment already installed)`);
    expect(run.output, run.output).toMatch(/django-prod-lint\.+Passed/);
    expect(run.status).toBe(0);
  }, 600_000);
});
