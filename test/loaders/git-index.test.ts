import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLsFilesStage, readGitIndex } from "../../src/parsers/git-index.js";
import { toolAvailable } from "../support/tools.js";

const gitAvailable = toolAvailable("git", ["git", "--version"]);

describe.skipIf(!gitAvailable)("readGitIndex on real repositories", () => {
  let base = "";
  let repo = "";

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "dpl-gitindex-")));
    repo = join(base, "repo");
    mkdirSync(join(repo, "deploy", "sub dir"), { recursive: true });
    execFileSync("git", ["init", "-q", repo]);
    execFileSync("git", ["-C", repo, "config", "core.filemode", "true"]);
    const files: Record<string, string> = {
      "README.md": "x",
      ".env": "SECRET=1",
      "deploy/docker-compose.yml": "services: {}",
      "deploy/sub dir/with space.conf": "x",
      "deploy/żółć ☃.env": "A=1",
      "deploy/line\nbreak.txt": "x",
      "deploy/tab\there.txt": "x",
      'deploy/quote".txt': "x",
      "untracked.txt": "x",
    };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
    writeFileSync(join(repo, "deploy", "entrypoint.sh"), "#!/bin/sh\n");
    chmodSync(join(repo, "deploy", "entrypoint.sh"), 0o755);
    symlinkSync("docker-compose.yml", join(repo, "deploy", "compose.link.yml"));
    const toAdd = Object.keys(files).filter((p) => p !== "untracked.txt");
    execFileSync("git", ["-C", repo, "add", "--", ...toAdd, "deploy/entrypoint.sh", "deploy/compose.link.yml"]);
    mkdirSync(join(base, "not-a-repo"));
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("lists tracked files of the whole repository with their modes", () => {
    const index = readGitIndex(repo);
    expect(index?.repoRoot).toBe(repo);
    expect(Object.fromEntries([...index!.tracked].map(([p, v]) => [p, v.mode]))).toEqual({
      ".env": "100644",
      "README.md": "100644",
      "deploy/compose.link.yml": "120000",
      "deploy/docker-compose.yml": "100644",
      "deploy/entrypoint.sh": "100755",
      "deploy/line\nbreak.txt": "100644",
      'deploy/quote".txt': "100644",
      "deploy/sub dir/with space.conf": "100644",
      "deploy/tab\there.txt": "100644",
      "deploy/żółć ☃.env": "100644",
    });
  });

  it("gives paths relative to a root that is a subdirectory of the repository", () => {
    const index = readGitIndex(join(repo, "deploy"));
    expect(index?.repoRoot).toBe(repo);
    expect([...index!.tracked.keys()].sort()).toEqual([
      "compose.link.yml",
      "docker-compose.yml",
      "entrypoint.sh",
      "line\nbreak.txt",
      'quote".txt',
      "sub dir/with space.conf",
      "tab\there.txt",
      "żółć ☃.env",
    ]);
    expect(readGitIndex(join(repo, "deploy", "sub dir"))?.tracked).toEqual(new Map([["with space.conf", { mode: "100644" }]]));
  });

  it("is undefined outside a work tree, for a missing directory, and inside .git", () => {
    expect(readGitIndex(join(base, "not-a-repo"))).toBeUndefined();
    expect(readGitIndex(join(base, "does-not-exist"))).toBeUndefined();
    expect(readGitIndex(join(repo, ".git"))).toBeUndefined();
  });

  it("is undefined when git cannot be found", () => {
    const saved = process.env.PATH;
    process.env.PATH = join(base, "no-bin-here");
    try {
      expect(readGitIndex(repo)).toBeUndefined();
    } finally {
      process.env.PATH = saved;
    }
  });

  it("is not fooled by GIT_DIR pointing at another repository", () => {
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(base, "not-a-repo");
    try {
      expect(readGitIndex(repo)?.tracked.has(".env")).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });
});

describe("parseLsFilesStage", () => {
  it("reads records, keeps one entry per conflicted path, skips garbage", () => {
    const out = [
      "100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\ta.txt",
      "100755 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 1\tconflict.sh",
      "100755 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 2\tconflict.sh",
      "160000 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\tvendor/lib",
      "garbage without tab",
      "12 x 0\tbad-mode",
      "100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\t",
      "",
    ].join("\0");
    expect(parseLsFilesStage(out)).toEqual(
      new Map([
        ["a.txt", { mode: "100644" }],
        ["conflict.sh", { mode: "100755" }],
        ["vendor/lib", { mode: "160000" }],
      ]),
    );
    expect(parseLsFilesStage("")).toEqual(new Map());
  });
});
