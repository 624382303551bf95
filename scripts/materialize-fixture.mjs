// Copies a fixture project into a fresh temporary git repository, the way a user's
// checkout looks: files the fixture's .gitignore ignores are untracked, and so are the
// files listed in `<fixture>.fixture.json` ("untracked": [...]); files listed there as
// "forceTracked" are tracked although .gitignore covers them. Fixtures cannot be linted
// in place because django-prod-lint's own repository tracks every fixture file (.env too).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** @param {string} fixtureDir absolute path of fixtures/projects/<name> @param {{ git?: boolean }} [options] */
export function materializeFixture(fixtureDir, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), `dpl-${basename(fixtureDir)}-`));
  cpSync(fixtureDir, dir, { recursive: true });
  if (options.git === false) return dir;
  const metaFile = `${fixtureDir}.fixture.json`;
  const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, "utf8")) : {};
  const git = (...args) =>
    execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "core.fileMode=true", ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  git("init", "-q");
  git("add", "-A");
  for (const file of meta.untracked ?? []) git("rm", "-q", "--cached", "--", file);
  // Committed although .gitignore covers them: the state after `.env` was ignored only once committed.
  if (meta.forceTracked?.length) git("add", "-f", "--", ...meta.forceTracked);
  return dir;
}
