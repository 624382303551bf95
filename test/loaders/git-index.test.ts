import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIndexFile } from "../../src/parsers/git-index-file.js";
import { parseLsFilesStage, readGitIndex, readGitIndexWithGit } from "../../src/parsers/git-index.js";
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

  it("reads the index without git on the PATH; the git fallback is then undefined", () => {
    const saved = process.env.PATH;
    process.env.PATH = join(base, "no-bin-here");
    try {
      expect(readGitIndex(repo)?.tracked.get("deploy/entrypoint.sh")).toEqual({ mode: "100755" });
      expect(readGitIndexWithGit(repo)).toBeUndefined();
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

interface FakeEntry {
  path: string;
  mode?: number;
  stage?: number;
  /** Extended flags word (v3+): 0x2000 intent-to-add, 0x4000 skip-worktree. */
  extended?: number;
  /** Version 4: bytes to strip from the previous path (default: the real common prefix). */
  strip?: number;
}

/** Writes an index file the way gitformat-index(5) describes it (SHA-1, zero hashes). */
function buildIndex(version: number, entries: FakeEntry[], extensions: Array<[string, Buffer]> = []): Buffer {
  const parts: Buffer[] = [Buffer.from("DIRC"), u32(version), u32(entries.length)];
  let previous = Buffer.alloc(0);
  for (const entry of entries) {
    const path = Buffer.from(entry.path, "utf8");
    const fixed = Buffer.alloc(62);
    fixed.writeUInt32BE(entry.mode ?? 0o100644, 24);
    const flags = ((entry.stage ?? 0) << 12) | Math.min(path.length, 0xfff) | (entry.extended !== undefined ? 0x4000 : 0);
    fixed.writeUInt16BE(flags, 60);
    const head = entry.extended !== undefined ? Buffer.concat([fixed, u16(entry.extended)]) : fixed;
    if (version === 4) {
      let common = 0;
      while (common < previous.length && common < path.length && previous[common] === path[common]) common++;
      const strip = entry.strip ?? previous.length - common;
      parts.push(head, varint(strip), path.subarray(previous.length - strip), Buffer.from([0]));
    } else {
      const size = (head.length + path.length + 8) & ~7;
      parts.push(head, path, Buffer.alloc(size - head.length - path.length));
    }
    previous = path;
  }
  for (const [signature, data] of extensions) parts.push(Buffer.from(signature, "latin1"), u32(data.length), data);
  parts.push(Buffer.alloc(20)); // checksum, not verified
  return Buffer.concat(parts);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
/** git's offset varint (varint.c encode_varint). */
function varint(value: number): Buffer {
  const bytes = [value & 0x7f];
  while ((value >>= 7)) bytes.unshift(0x80 | (--value & 0x7f));
  return Buffer.from(bytes);
}

const asObject = (m: Map<string, { mode: string }> | undefined) => m && Object.fromEntries([...m].map(([p, v]) => [p, v.mode]));

describe("parseIndexFile", () => {
  const entries: FakeEntry[] = [
    { path: "a.txt" },
    { path: "deploy/conflict.py", mode: 0o100755, stage: 1 },
    { path: "deploy/conflict.py", mode: 0o100644, stage: 2 },
    { path: "deploy/conflict.py", mode: 0o100644, stage: 3 },
    { path: "deploy/link", mode: 0o120000 },
    { path: "deploy/vendor", mode: 0o160000 },
    { path: "deployment.txt" },
    { path: "żółć ☃.env" },
  ];
  const all = {
    "a.txt": "100644",
    "deploy/conflict.py": "100755",
    "deploy/link": "120000",
    "deploy/vendor": "160000",
    "deployment.txt": "100644",
    "żółć ☃.env": "100644",
  };

  it("reads versions 2, 3 and 4 alike, stages collapsed, filtered and keyed by the prefix", () => {
    for (const version of [2, 3, 4]) {
      const list = version === 2 ? entries : entries.map((e, i) => (i === 4 ? { ...e, extended: 0x2000 } : e));
      const buf = buildIndex(version, list, [["TREE", Buffer.from("junk")]]);
      expect(asObject(parseIndexFile(buf, ""))).toEqual(all);
      expect(asObject(parseIndexFile(buf, "deploy/"))).toEqual({ "conflict.py": "100755", link: "120000", vendor: "160000" });
      expect(parseIndexFile(buf, "nothing/")).toEqual(new Map());
    }
  });

  it("reads a name of 0xFFF bytes or more (length field saturated) in versions 2 and 4", () => {
    const long = `${"d/".repeat(2100)}x.txt`;
    for (const version of [2, 4]) {
      expect(asObject(parseIndexFile(buildIndex(version, [{ path: "a" }, { path: long }, { path: "z" }]), ""))).toEqual({ a: "100644", [long]: "100644", z: "100644" });
    }
  });

  it("version 4: ignores the first entry's strip count, as git does; rejects a strip longer than the previous path", () => {
    expect(asObject(parseIndexFile(buildIndex(4, [{ path: "abc", strip: 7 }, { path: "abd" }]), ""))).toEqual({ abc: "100644", abd: "100644" });
    expect(parseIndexFile(buildIndex(4, [{ path: "abc" }, { path: "abd", strip: 4 }]), "")).toBeUndefined();
  });

  it("declines what it must leave to git: split and sparse indexes, unknown versions and flags, directory entries", () => {
    const ok = [{ path: "a.txt" }];
    expect(parseIndexFile(buildIndex(2, ok, [["link", Buffer.alloc(20)]]), "")).toBeUndefined();
    expect(parseIndexFile(buildIndex(3, ok, [["sdir", Buffer.alloc(0)]]), "")).toBeUndefined();
    expect(parseIndexFile(buildIndex(1, ok), "")).toBeUndefined();
    expect(parseIndexFile(buildIndex(5, ok), "")).toBeUndefined();
    // Extended flags in version 2, and an extended bit git does not know.
    expect(parseIndexFile(buildIndex(2, [{ path: "a.txt", extended: 0x2000 }]), "")).toBeUndefined();
    expect(parseIndexFile(buildIndex(3, [{ path: "a.txt", extended: 0x1000 }]), "")).toBeUndefined();
    expect(parseIndexFile(buildIndex(3, [{ path: "dir/", mode: 0o040000 }]), "")).toBeUndefined();
  });

  it("never throws or loops on truncated or corrupted input", () => {
    const good = buildIndex(4, entries.map((e) => ({ ...e, extended: 0x4000 })), [["TREE", Buffer.from("x")]]);
    expect(parseIndexFile(good, "")).toBeDefined();
    for (let n = 0; n < good.length - 20; n++) expect(parseIndexFile(good.subarray(0, n), "")).toBeUndefined();
    // Seeded byte flips: any answer is fine, an exception or a hang is not.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const version of [2, 3, 4]) {
      const base = buildIndex(version, version === 2 ? entries : entries.map((e) => ({ ...e, extended: 0x2000 })));
      for (let round = 0; round < 300; round++) {
        const copy = Buffer.from(base);
        for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
        expect(() => parseIndexFile(copy, "deploy/")).not.toThrow();
      }
    }
  });
});
