import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";
import { gitSpawns, readGitIndex, readGitIndexDirect, readGitIndexWithGit, type GitIndex } from "../../src/parsers/git-index.js";
import { toolAvailable } from "../support/tools.js";

/**
 * The direct index reader against its reference, `git ls-files -s -z` (readGitIndexWithGit):
 * on every fixture project, this repository, the real-world clones, and repositories built to
 * hit each index format feature and each case that must fall back to git.
 */

const gitAvailable = toolAvailable("git", ["git", "--version"]);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(REPO, "fixtures", "projects");
const RW = "/work/rw";

const sorted = (index: GitIndex | undefined) =>
  index && { repoRoot: index.repoRoot, tracked: [...index.tracked].map(([p, v]) => `${v.mode} ${p}`).sort() };

/** The direct read must answer by itself (no spawn) and agree with git. */
function expectDirectAgrees(root: string): GitIndex {
  const before = gitSpawns.count;
  const direct = readGitIndexDirect(root);
  expect(gitSpawns.count).toBe(before);
  expect(direct).not.toBe("ask-git");
  expect(direct).toBeDefined();
  expect(sorted(direct as GitIndex)).toEqual(sorted(readGitIndexWithGit(root)));
  return direct as GitIndex;
}

/** An unusual case: the direct read declines, and readGitIndex (through git) still agrees with git. */
function expectFallbackAgrees(root: string): GitIndex | undefined {
  expect(readGitIndexDirect(root)).toBe("ask-git");
  const viaGit = readGitIndexWithGit(root);
  expect(sorted(readGitIndex(root))).toEqual(sorted(viaGit));
  return viaGit;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "core.fileMode=true", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe.skipIf(!gitAvailable)("direct index reader agrees with git ls-files", () => {
  let base = "";
  const made: string[] = [];

  /** A repository with a few files in folders, committed once. */
  function makeRepo(name: string, files: Record<string, string> = { "a.txt": "a", "dir/b.txt": "b", "dir/sub/c.py": "c" }): string {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    git(dir, "init", "-q");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "init");
    return dir;
  }

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "dpl-gitoracle-")));
  });

  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("every fixture project, materialized", () => {
    const names = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(names.length).toBeGreaterThan(5);
    for (const entry of names) {
      const dir = materializeFixture(join(FIXTURES, entry.name)) as string;
      made.push(dir);
      const index = expectDirectAgrees(dir);
      expect(index.tracked.size).toBeGreaterThan(0);
    }
  });

  it("this repository, at its root and in a subfolder", () => {
    expect(expectDirectAgrees(REPO).tracked.has("package.json")).toBe(true);
    expect(expectDirectAgrees(join(REPO, "src")).tracked.has("cli.ts")).toBe(true);
    expect(expectDirectAgrees(join(REPO, "fixtures", "projects")).tracked.size).toBeGreaterThan(10);
  });

  const clones = existsSync(RW) ? readdirSync(RW).filter((n) => existsSync(join(RW, n, ".git"))) : [];
  it.skipIf(clones.length === 0)("the real-world clones under /work/rw", () => {
    for (const name of clones) expectDirectAgrees(join(RW, name));
  });

  it("index version 4 (prefix-compressed paths) and version 3 (intent-to-add forces extended flags)", () => {
    const files: Record<string, string> = {};
    for (const d of ["deploy", "deploy/nginx", "deploy/nginx/conf.d", "app/settings", "app/settings/prod"]) {
      for (const f of ["a.conf", "ab.conf", "abc.py", "b.txt"]) files[`${d}/${f}`] = f;
    }
    const v4 = makeRepo("v4", files);
    git(v4, "update-index", "--index-version", "4");
    expect(readFileSync(join(v4, ".git", "index")).readUInt32BE(4)).toBe(4);
    expect(expectDirectAgrees(v4).tracked.size).toBe(20);
    expect(expectDirectAgrees(join(v4, "deploy", "nginx")).tracked.size).toBe(8);

    const v3 = makeRepo("v3");
    writeFileSync(join(v3, "dir", "later.txt"), "x");
    git(v3, "add", "-N", "dir/later.txt");
    expect(readFileSync(join(v3, ".git", "index")).readUInt32BE(4)).toBe(3);
    expect(expectDirectAgrees(v3).tracked.has("dir/later.txt")).toBe(true);

    // Version 4 with an intent-to-add entry: extended flags and prefix compression together.
    git(v3, "update-index", "--index-version", "4");
    expect(expectDirectAgrees(join(v3, "dir")).tracked.has("later.txt")).toBe(true);
  });

  it("a conflicted merge: stages 1-3 give one tracked path", () => {
    const repo = makeRepo("conflict", { "settings.py": "DEBUG = False\n", "other.txt": "x" });
    git(repo, "checkout", "-q", "-b", "side");
    writeFileSync(join(repo, "settings.py"), "DEBUG = True\n");
    git(repo, "commit", "-q", "-am", "side");
    git(repo, "checkout", "-q", "main");
    writeFileSync(join(repo, "settings.py"), "DEBUG = 1\n");
    git(repo, "commit", "-q", "-am", "main");
    spawnSync("git", ["-C", repo, "merge", "side"], { stdio: "ignore" });
    expect(git(repo, "ls-files", "-s", "settings.py").trim().split("\n")).toHaveLength(3);
    const index = expectDirectAgrees(repo);
    expect(index.tracked.get("settings.py")).toEqual({ mode: "100644" });
  });

  it("executables, symlinks, a gitlink, non-ASCII and space-containing names", () => {
    const repo = makeRepo("modes", { "plain.txt": "x", "deploy/sub dir/with space.conf": "x", "deploy/żółć ☃.env": "A=1", "deploy/tab\there": "x" });
    writeFileSync(join(repo, "entrypoint.sh"), "#!/bin/sh\n");
    chmodSync(join(repo, "entrypoint.sh"), 0o755);
    symlinkSync("plain.txt", join(repo, "link.txt"));
    git(repo, "add", "entrypoint.sh", "link.txt");
    git(repo, "update-index", "--add", "--cacheinfo", "160000,e69de29bb2d1d6434b8b29ae775ad8c2e48c5391,vendor/lib");
    const index = expectDirectAgrees(repo);
    expect(Object.fromEntries([...index.tracked].map(([p, v]) => [p, v.mode]))).toMatchObject({
      "entrypoint.sh": "100755",
      "link.txt": "120000",
      "vendor/lib": "160000",
      "deploy/żółć ☃.env": "100644",
      "deploy/sub dir/with space.conf": "100644",
      "deploy/tab\there": "100644",
    });
    expect([...expectDirectAgrees(join(repo, "deploy", "sub dir")).tracked.keys()]).toEqual(["with space.conf"]);
  });

  it("a linked worktree reads its own index", () => {
    const repo = makeRepo("main-wt");
    const wt = join(base, "linked-wt");
    git(repo, "worktree", "add", "-q", "-b", "wt", wt);
    writeFileSync(join(wt, "only-in-wt.txt"), "x");
    git(wt, "add", "only-in-wt.txt");
    const index = expectDirectAgrees(wt);
    expect(index.repoRoot).toBe(wt);
    expect(index.tracked.has("only-in-wt.txt")).toBe(true);
    expect(expectDirectAgrees(repo).tracked.has("only-in-wt.txt")).toBe(false);
    expect(expectDirectAgrees(join(wt, "dir")).tracked.has("b.txt")).toBe(true);
  });

  it("a root that is a symlink to the repository, and a root inside a subfolder", () => {
    const repo = makeRepo("symlinked");
    const link = join(base, "link-to-repo");
    symlinkSync(repo, link);
    expect(expectDirectAgrees(link).repoRoot).toBe(repo);
    expect([...expectDirectAgrees(join(link, "dir")).tracked.keys()].sort()).toEqual(["b.txt", "sub/c.py"]);
    expect([...expectDirectAgrees(join(repo, "dir", "sub")).tracked.keys()]).toEqual(["c.py"]);
    // A folder with no tracked file under it, and one whose name is a prefix of a tracked folder's.
    mkdirSync(join(repo, "di"));
    expect(expectDirectAgrees(join(repo, "di")).tracked.size).toBe(0);
  });

  it("a nested repository (submodule-like checkout) is its own repository", () => {
    const outer = makeRepo("outer");
    const inner = makeRepo(join("outer", "inner"), { "x.txt": "x" });
    expect(expectDirectAgrees(inner).tracked.has("x.txt")).toBe(true);
    expect(expectDirectAgrees(outer).tracked.has("inner/x.txt")).toBe(false);
  });

  it("falls back to git for a split index, and agrees", () => {
    const repo = makeRepo("split");
    git(repo, "update-index", "--split-index");
    writeFileSync(join(repo, "new.txt"), "x");
    git(repo, "add", "new.txt");
    expect(expectFallbackAgrees(repo)?.tracked.has("new.txt")).toBe(true);
  });

  it("falls back for core.worktree, a bare flag, config includes and a .git file's odd target", () => {
    const repo = makeRepo("worktree-config");
    git(repo, "config", "core.worktree", repo);
    expectFallbackAgrees(repo);
    git(repo, "config", "--unset", "core.worktree");
    expectDirectAgrees(repo);
    git(repo, "config", "include.path", "other.cfg");
    expectFallbackAgrees(repo);

    // A .git file pointing nowhere: git says it is not a repository.
    const broken = join(base, "broken-gitfile");
    mkdirSync(broken);
    writeFileSync(join(broken, ".git"), "gitdir: ../nowhere\n");
    expect(expectFallbackAgrees(broken)).toBeUndefined();
  });

  it("leaves GIT_INDEX_FILE (set inside hooks) to git, which reads that index", () => {
    const repo = makeRepo("index-file-env");
    const other = join(base, "other-index");
    execFileSync("git", ["-C", repo, "read-tree", "HEAD"], { env: { ...process.env, GIT_INDEX_FILE: other } });
    execFileSync("git", ["-C", repo, "rm", "-q", "--cached", "a.txt"], { env: { ...process.env, GIT_INDEX_FILE: other } });
    const saved = process.env.GIT_INDEX_FILE;
    process.env.GIT_INDEX_FILE = other;
    try {
      expect(expectFallbackAgrees(repo)?.tracked.has("a.txt")).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.GIT_INDEX_FILE;
      else process.env.GIT_INDEX_FILE = saved;
    }
    expect(expectDirectAgrees(repo).tracked.has("a.txt")).toBe(true);
  });

  it("a fresh `git init` (no index file yet) tracks nothing", () => {
    const dir = join(base, "fresh");
    mkdirSync(dir);
    git(dir, "init", "-q");
    writeFileSync(join(dir, "a.txt"), "x");
    const index = expectFallbackAgrees(dir);
    expect(index).toEqual({ repoRoot: dir, tracked: new Map() });
  });

  it("is undefined without spawning outside a repository; inside .git it asks git, which says no", () => {
    const outside = join(base, "outside");
    mkdirSync(outside);
    const before = gitSpawns.count;
    expect(readGitIndex(outside)).toBeUndefined();
    expect(readGitIndex(join(base, "missing"))).toBeUndefined();
    expect(gitSpawns.count).toBe(before);
    const repo = makeRepo("dotgit");
    expect(expectFallbackAgrees(join(repo, ".git"))).toBeUndefined();
    expect(expectFallbackAgrees(join(repo, ".git", "objects"))).toBeUndefined();
  });

  it("a corrupted or truncated index never throws and gives what git gives", () => {
    const repo = makeRepo("corrupt", { "a.txt": "a", "dir/b.txt": "b", "dir/c.txt": "c" });
    const indexFile = join(repo, ".git", "index");
    const good = readFileSync(indexFile);
    const variants: Buffer[] = [
      Buffer.alloc(0),
      good.subarray(0, 11),
      good.subarray(0, 40),
      good.subarray(0, 100),
      good.subarray(0, good.length - 25),
      Buffer.concat([Buffer.from("DIRX"), good.subarray(4)]),
      Buffer.concat([good.subarray(0, 4), Buffer.from([0, 0, 0, 9]), good.subarray(8)]),
      // An entry count far beyond the file.
      Buffer.concat([good.subarray(0, 8), Buffer.from([0x7f, 0xff, 0xff, 0xff]), good.subarray(12)]),
    ];
    for (const variant of variants) {
      writeFileSync(indexFile, variant);
      const direct = readGitIndexDirect(repo);
      if (direct !== "ask-git") expect(sorted(direct)).toEqual(sorted(readGitIndexWithGit(repo)));
      expect(sorted(readGitIndex(repo))).toEqual(sorted(readGitIndexWithGit(repo)));
    }
  });

  it("never loads node:child_process on the direct path (fresh process)", () => {
    const built = join(REPO, "dist", "src", "parsers", "git-index.js");
    expect(existsSync(built), "build first: npm run build").toBe(true);
    const repo = makeRepo("no-spawn");
    const script = `
      const { readGitIndex } = await import(${JSON.stringify(built)});
      const index = readGitIndex(${JSON.stringify(repo)});
      const loaded = process.moduleLoadList.filter((m) => m.includes("child_process"));
      console.log(JSON.stringify({ size: index?.tracked.size, loaded }));`;
    const run = (root: string) =>
      JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script.replace(JSON.stringify(repo), JSON.stringify(root))], { encoding: "utf8" }));
    expect(run(repo)).toEqual({ size: 3, loaded: [] });
    // The check can fail: the fallback (a split index) does load it.
    git(repo, "update-index", "--split-index");
    const fallback = run(repo);
    expect(fallback.size).toBe(3);
    expect(fallback.loaded.length).toBeGreaterThan(0);
  });
});
