// Copies a fixture project into a fresh temporary git repository, the way a user's
// checkout looks: files the fixture's .gitignore ignores are untracked, and so are the
// files listed in `<fixture>.fixture.json` ("untracked": [...]); files listed there as
// "forceTracked" are tracked although .gitignore covers them. Fixtures cannot be linted
// in place because django-prod-lint's own repository tracks every fixture file (.env too).
//
// An overlay fixture names its base project there ("base": "../projects/seed-broken", relative
// to the folder holding the .fixture.json) and holds only the files it changes: the base is
// copied first, then the overlay's files over it. The overlay's .fixture.json is its whole
// metadata (the base's own .fixture.json is not read).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/** The parsed `<fixture>.fixture.json` next to `fixtureDir`, `{}` if there is none. @param {string} fixtureDir */
function fixtureMeta(fixtureDir) {
  const metaFile = `${fixtureDir}.fixture.json`;
  return existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, "utf8")) : {};
}

/** @param {string} fixtureDir absolute path of fixtures/<group>/<name> @param {{ git?: boolean }} [options] */
export function materializeFixture(fixtureDir, options = {}) {
  const meta = fixtureMeta(fixtureDir);
  const dir = mkdtempSync(join(tmpdir(), `dpl-${basename(fixtureDir)}-`));
  if (meta.base !== undefined) {
    const base = resolve(dirname(fixtureDir), meta.base);
    if (!existsSync(base) || !statSync(base).isDirectory()) throw new Error(`${fixtureDir}.fixture.json: base ${meta.base} is not a fixture folder`);
    cpSync(base, dir, { recursive: true });
  }
  cpSync(fixtureDir, dir, { recursive: true });
  if (options.git === false) return dir;
  const git = (...args) =>
    execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "core.fileMode=true", ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  git("init", "-q");
  git("add", "-A");
  for (const file of meta.untracked ?? []) git("rm", "-q", "--cached", "--", file);
  // Committed although .gitignore covers them: the state after `.env` was ignored only once committed.
  if (meta.forceTracked?.length) git("add", "-f", "--", ...meta.forceTracked);
  return dir;
}
