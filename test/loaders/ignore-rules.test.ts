import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDockerIgnoreMatcher, buildGitIgnoreMatcher } from "../../src/parsers/ignore-rules.js";
import { toolAvailable } from "../support/tools.js";

const gitAvailable = toolAvailable("git", ["git", "--version"]);

// Nested .gitignore files, each line written for one git rule: anchoring, directory-only
// patterns, negations, `**`, re-inclusion under an excluded directory, deeper files winning.
const IGNORE_FILES: { file: string; text: string }[] = [
  {
    file: ".gitignore",
    text: [
      "# comment",
      "*.log",
      "!important.log",
      "/build/",
      "!build/keep.me",
      "secrets/",
      ".env",
      ".env.*",
      "!.env.example",
      "docs/**/*.tmp",
      "node_modules",
      "cache/",
      "",
      "\\#literal",
    ].join("\n"),
  },
  { file: "sub/.gitignore", text: "!debug.log\nlocal/\n/only-here.txt\n*.bak\n!keep/\n!cache/\n!.env\n" },
  { file: "sub/deep/.gitignore", text: "*.txt\r\n!readme.txt\r\n" },
  { file: "we[ird] dir/.gitignore", text: "*.tmp\n/anch\n" },
];

// [path as our callers pass it, is it a directory]
const PATHS: [string, boolean][] = [
  ["app.log", false],
  ["APP.LOG", false],
  ["important.log", false],
  ["sub/debug.log", false],
  ["sub/other.log", false],
  ["sub/deep/x.log", false],
  ["sub/deep/notes.txt", false],
  ["sub/deep/readme.txt", false],
  ["sub/notes.txt", false],
  ["build", true],
  ["build/out.js", false],
  ["build/keep.me", false],
  ["sub/build/out.js", false],
  ["secrets/key.pem", false],
  ["sub/secrets/key.pem", false],
  [".env", false],
  [".env.prod", false],
  [".env.example", false],
  ["config/.env", false],
  ["sub/.env", false],
  ["docs/a/b/c.tmp", false],
  ["docs/c.tmp", false],
  ["c.tmp", false],
  ["node_modules/x/index.js", false],
  ["sub/node_modules", true],
  ["sub/local/file", false],
  ["local/file", false],
  ["sub/only-here.txt", false],
  ["sub/x/only-here.txt", false],
  ["sub/file.bak", false],
  ["sub/keep/file.bak", false],
  ["cache", true],
  ["cache/x", false],
  ["sub/cache/x", false],
  ["sub/cache/y.log", false],
  ["#literal", false],
  ["we[ird] dir/a.tmp", false],
  ["we[ird] dir/x/b.tmp", false],
  ["wd/a.tmp", false],
  ["we[ird] dir/anch", false],
  ["we[ird] dir/x/anch", false],
  ["settings.py", false],
];

describe("buildGitIgnoreMatcher on the nested tree", () => {
  it("ignores exactly these paths (what git 2.39 check-ignore says)", () => {
    const m = buildGitIgnoreMatcher(IGNORE_FILES);
    const ignored = PATHS.filter(([p, isDir]) => m.check(isDir ? `${p}/` : p).ignored).map(([p]) => p);
    expect(ignored).toEqual([
      "app.log", "sub/other.log", "sub/deep/x.log", "sub/deep/notes.txt", "build", "build/out.js", "build/keep.me",
      "secrets/key.pem", "sub/secrets/key.pem", ".env", ".env.prod", "config/.env", "docs/a/b/c.tmp", "docs/c.tmp",
      "node_modules/x/index.js", "sub/node_modules", "sub/local/file", "sub/only-here.txt", "sub/file.bak",
      "sub/keep/file.bak", "cache", "cache/x", "sub/cache/y.log", "#literal", "we[ird] dir/a.tmp",
      "we[ird] dir/x/b.tmp", "we[ird] dir/anch",
    ]);
  });
});

describe.skipIf(!gitAvailable)("buildGitIgnoreMatcher against git check-ignore", () => {
  let repo = "";
  let oracle = new Map<string, { source: string; line: number; pattern: string }>();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "dpl-gitignore-"));
    execFileSync("git", ["init", "-q", repo]);
    execFileSync("git", ["-C", repo, "config", "core.ignorecase", "false"]);
    for (const { file, text } of IGNORE_FILES) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    for (const [path, isDir] of PATHS) {
      if (isDir) mkdirSync(join(repo, path), { recursive: true });
      else {
        mkdirSync(dirname(join(repo, path)), { recursive: true });
        writeFileSync(join(repo, path), "x");
      }
    }
    // -z output: <source> NUL <line> NUL <pattern> NUL <path> NUL; empty source = no rule.
    const out = execFileSync("git", ["-C", repo, "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"], {
      input: PATHS.map(([p]) => p).join("\0") + "\0",
    }).toString("utf8");
    const fields = out.split("\0");
    oracle = new Map();
    for (let i = 0; i + 3 < fields.length; i += 4) {
      oracle.set(fields[i + 3]!, { source: fields[i]!, line: Number(fields[i + 1]), pattern: fields[i + 2]! });
    }
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  const matcher = buildGitIgnoreMatcher(IGNORE_FILES);

  it("reads every file, shallow ones first", () => {
    expect(matcher.files).toEqual([".gitignore", "sub/.gitignore", "we[ird] dir/.gitignore", "sub/deep/.gitignore"]);
  });

  it.each(PATHS)("%s", (path, isDir) => {
    const truth = oracle.get(path);
    expect(truth).toBeDefined();
    const gitIgnored = truth!.source !== "" && !truth!.pattern.startsWith("!");
    const ours = matcher.check(isDir ? `${path}/` : path);
    if (gitIgnored) {
      expect(ours).toEqual({ ignored: true, rule: { file: truth!.source, line: truth!.line, pattern: truth!.pattern } });
    } else {
      expect(ours).toEqual({ ignored: false });
    }
  });
});

describe("buildGitIgnoreMatcher: exact verdicts", () => {
  const m = buildGitIgnoreMatcher([
    { file: ".gitignore", text: "\uFEFF.env\nlogs/\n" },
    { file: "app/.gitignore", text: "!.env\n" },
  ]);

  it("points at the deciding line", () => {
    expect(m.check("deploy/.env")).toEqual({ ignored: true, rule: { file: ".gitignore", line: 1, pattern: ".env" } });
    expect(m.check("logs/a/b.txt")).toEqual({ ignored: true, rule: { file: ".gitignore", line: 2, pattern: "logs/" } });
  });

  it("lets a deeper file re-include", () => {
    expect(m.check("app/.env")).toEqual({ ignored: false });
  });

  it("treats a directory pattern as matching directories only", () => {
    expect(m.check("logs")).toEqual({ ignored: false });
    expect(m.check("logs/")).toEqual({ ignored: true, rule: { file: ".gitignore", line: 2, pattern: "logs/" } });
  });

  it("accepts ./ and leading slashes, and never throws on odd paths", () => {
    expect(m.check("./deploy/.env").ignored).toBe(true);
    expect(m.check("/deploy/.env").ignored).toBe(true);
    expect(m.check("")).toEqual({ ignored: false });
    expect(m.check(".")).toEqual({ ignored: false });
    expect(m.check("../outside/.env")).toEqual({ ignored: false });
  });

  it("ignores nothing without files, or with garbage", () => {
    expect(buildGitIgnoreMatcher([]).check(".env")).toEqual({ ignored: false });
    const junk = buildGitIgnoreMatcher([{ file: ".gitignore", text: "\u0000\u0001\n[\n\\\n!\n" }]);
    expect(junk.check(".env")).toEqual({ ignored: false });
    expect(junk.check("[")).toEqual({ ignored: false });
  });
});

describe("buildDockerIgnoreMatcher", () => {
  const text = [
    "# comment",
    "**/*.pyc",
    "*.md",
    "!README.md",
    "/.env",
    "node_modules",
    "docs/*",
    "!docs/keep/",
    "  # indented: a pattern, not a comment",
    ".git",
    "media/**",
    "!media/**/*.keep",
  ].join("\n");
  const m = buildDockerIgnoreMatcher(".dockerignore", text);
  const rule = (line: number, pattern: string) => ({ file: ".dockerignore", line, pattern });

  it.each([
    // `*` does not cross `/`; patterns are relative to the context root, no implicit depth
    ["CHANGES.md", true, rule(3, "*.md")],
    ["docs/guide.md", true, rule(7, "docs/*")],
    ["app/notes.md", false, undefined],
    ["README.md", false, rule(4, "!README.md")],
    // `**` crosses directories, including none
    ["a.pyc", true, rule(2, "**/*.pyc")],
    ["app/x/y.pyc", true, rule(2, "**/*.pyc")],
    // leading slash ignored; no match in subdirectories
    [".env", true, rule(5, "/.env")],
    ["config/.env", false, undefined],
    // a pattern covers what is under a directory it matches
    ["node_modules/pkg/index.js", true, rule(6, "node_modules")],
    ["app/node_modules/x", false, undefined],
    [".git/HEAD", true, rule(10, ".git")],
    // exceptions re-include, even inside an excluded directory (unlike git)
    ["docs/keep/a.txt", false, rule(8, "!docs/keep/")],
    ["media/a/b.keep", false, rule(12, "!media/**/*.keep")],
    ["media/a/b.png", true, rule(11, "media/**")],
    ["# indented: a pattern, not a comment", true, rule(9, "# indented: a pattern, not a comment")],
    ["manage.py", false, undefined],
    ["./CHANGES.md", true, rule(3, "*.md")],
    ["/CHANGES.md", true, rule(3, "*.md")],
    ["docs/", false, undefined],
    ["docs/sub/", true, rule(7, "docs/*")],
  ] as const)("%s → ignored %s", (path, ignored, expectedRule) => {
    expect(m.check(path)).toEqual(expectedRule ? { ignored, rule: expectedRule } : { ignored });
  });

  it("is case-sensitive like Docker on Linux", () => {
    expect(m.check("NOTES.MD")).toEqual({ ignored: false });
  });

  it("keeps its file name, and ignores nothing without a file", () => {
    expect(m.file).toBe(".dockerignore");
    const none = buildDockerIgnoreMatcher(undefined, undefined);
    expect(none.file).toBeUndefined();
    expect(none.check(".env")).toEqual({ ignored: false });
  });

  it("survives garbage and CRLF", () => {
    const g = buildDockerIgnoreMatcher(".dockerignore", "\u0000\r\n[\r\n!\r\n.env\r\n");
    expect(g.check(".env")).toEqual({ ignored: true, rule: { file: ".dockerignore", line: 4, pattern: ".env" } });
    expect(g.check("")).toEqual({ ignored: false });
  });
});

describe("buildDockerIgnoreMatcher on a pattern its package cannot compile (found by the fuzzer)", () => {
  it("skips the line instead of throwing when a path is checked", () => {
    const matcher = buildDockerIgnoreMatcher(".dockerignore", "((((x\n.env\n");
    expect(() => matcher.check("app/settings.py")).not.toThrow();
    expect(matcher.check(".env")).toMatchObject({ ignored: true, rule: { line: 2 } });
  });
});

describe("buildGitIgnoreMatcher on a pattern too large for a RegExp (found by the fuzzer)", () => {
  it("skips the line instead of throwing when a path is checked", () => {
    const matcher = buildGitIgnoreMatcher([{ file: ".gitignore", text: `nginx/${"{".repeat(100_000)}\n.env\n` }]);
    expect(() => matcher.check("app/settings.py")).not.toThrow();
    expect(matcher.check(".env")).toMatchObject({ ignored: true, rule: { line: 2 } });
  });
});
