// The bad-input matrix (issue 7, item 1): one kind of bad input per case, planted in a copy of the seed
// skeleton, linted through the built CLI. Every case must end in exit 0 or 1 with a valid JSON report, the
// located parse/problem for the bad file, the unrelated planted findings still there, and within seconds.
//
// fixtures/robustness/<kind>/ holds only the files a case changes: the test copies seed-skeleton, then
// fixtures/robustness/common/ (the skeleton with db's port 5432 published: compose/exposed-backing-port),
// then the case's files. Binary, huge, deep, symlinked and special files are generated here.
import { Ajv } from "ajv";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "docs", "report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

const SKELETON = join(REPO_ROOT, "fixtures", "projects", "seed-skeleton");
const OVERLAYS = join(REPO_ROOT, "fixtures", "robustness");
const PROD = "django_prod_skeleton/django_prod_skeleton/settings/prod.py";
const COMPOSE = "docker-compose.yml";
const NGINX = "config/nginx/default.conf.template";
/** No case may take longer than this (a 10 MB file included), even on a loaded 2-core machine. */
const TIME_LIMIT_MS = 5_000;

/** The planted unrelated findings: .env is force-tracked (git/env-tracked), db publishes 5432. */
const ENV_TRACKED: Row = ["git/env-tracked", ".env", 1];
const PUBLISHED_PORT: Row = ["compose/exposed-backing-port", COMPOSE, 6];

type Row = [rule: string, file: string, line: number];

interface Case {
  kind: string;
  /** Generates the bad file(s) in the checkout, after the overlay (if any) is copied. */
  plant?: (dir: string) => void;
  /** parse/problem findings that must be reported: [file, line]. */
  problems: [file: string, line: number][];
  /** Other findings that must be reported (the unrelated ones are added unless `compose` is broken). */
  expected?: Row[];
  /** The compose file itself is unusable, so the published port cannot be reported. */
  composeLost?: boolean;
  /** .env itself is the bad file, so git/env-tracked (which needs its secrets) cannot be reported. */
  envLost?: boolean;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** seed-skeleton + common + the case's overlay, in a fresh git repository with .env tracked. */
function checkout(kind: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dpl-bad-${kind}-`));
  dirs.push(dir);
  cpSync(SKELETON, dir, { recursive: true });
  cpSync(join(OVERLAYS, "common"), dir, { recursive: true });
  if (existsSync(join(OVERLAYS, kind))) cpSync(join(OVERLAYS, kind), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  git("init", "-q");
  git("add", "-A");
  git("add", "-f", ".env");
  return dir;
}

/** Fills `bytes` with copies of `line`. */
function huge(line: string, bytes = 10 * 1024 * 1024): string {
  return line.repeat(Math.ceil(bytes / line.length));
}

function replaceFile(dir: string, file: string, make: (path: string) => void): void {
  rmSync(join(dir, file), { recursive: true, force: true });
  make(join(dir, file));
}

const DEPTH = 10_000;

const CASES: Case[] = [
  { kind: "yaml-tabs", problems: [[COMPOSE, 14]] },
  { kind: "yaml-unclosed-flow", problems: [[COMPOSE, 23]] },
  { kind: "yaml-root-list", problems: [[COMPOSE, 1]], composeLost: true },
  // A "billion laughs" (9^10 nodes) used as cache's command: aliases are resolved lazily and capped, never
  // expanded; the problem points at the anchored list a command item cannot be.
  { kind: "yaml-alias-bomb", problems: [[COMPOSE, 7], [COMPOSE, 9]], expected: [["compose/exposed-backing-port", COMPOSE, 16]] },
  { kind: "compose-ports-mapping", problems: [[COMPOSE, 40]] },
  { kind: "compose-services-list", problems: [[COMPOSE, 2]], composeLost: true },
  { kind: "compose-environment-number", problems: [[COMPOSE, 27]] },
  { kind: "nginx-unbalanced-braces", problems: [[NGINX, 12], [NGINX, 31]] },
  { kind: "nginx-include-loop", problems: [["config/nginx/loop.inc", 1]] },
  { kind: "python-syntax-error", problems: [[PROD, 3]] },
  {
    kind: "python-binary",
    plant: (dir) => writeFileSync(join(dir, PROD), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0x0a])),
    problems: [[PROD, 1]],
  },
  // Read as Latin-1: the rest of the file still counts (DEBUG = True on line 3).
  { kind: "python-latin1", problems: [[PROD, 1]], expected: [["django/debug-enabled", PROD, 3]] },
  // A BOM is no problem at all: the file is read as if it were not there.
  { kind: "utf8-bom", problems: [], expected: [["django/debug-enabled", PROD, 2]] },
  { kind: "python-star-import-cycle", problems: [["django_prod_skeleton/django_prod_skeleton/settings/base.py", 1]] },
  {
    kind: "deep-python",
    plant: (dir) => writeFileSync(join(dir, PROD), `from .base import *\nX = ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}\n`),
    problems: [[PROD, 2]],
  },
  {
    kind: "deep-yaml",
    plant: (dir) => writeFileSync(join(dir, COMPOSE), `${readFileSync(join(dir, COMPOSE), "utf8")}x-deep: ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}\n`),
    problems: [[COMPOSE, 44]],
  },
  {
    kind: "deep-nginx",
    plant: (dir) => writeFileSync(join(dir, NGINX), `${"location / {\n".repeat(DEPTH)}${"}\n".repeat(DEPTH)}`),
    problems: [[NGINX, 101]],
  },
  ...(
    [
      ["huge-compose", COMPOSE, "x-pad: 1\n"],
      ["huge-nginx", NGINX, "# pad\n"],
      ["huge-python", PROD, "X = 1\n"],
      ["huge-env", ".env", "A=1\n"],
      ["huge-uwsgi", "config/uwsgi/uwsgi.ini", "; pad\n"],
      ["huge-dockerfile", "Dockerfile", "# pad\n"],
    ] as const
  ).map(([kind, file, line]): Case => ({
    kind,
    plant: (dir) => writeFileSync(join(dir, file), huge(line)),
    problems: [[file, 1]],
    composeLost: file === COMPOSE,
    envLost: file === ".env",
  })),
  { kind: "env-garbage", problems: [[".env", 1], [".env", 2], [".env", 5]], envLost: true },
  { kind: "uwsgi-ini-garbage", problems: [["config/uwsgi/uwsgi.ini", 1], ["config/uwsgi/uwsgi.ini", 7]] },
  { kind: "dockerfile-junk", problems: [["Dockerfile", 1], ["Dockerfile", 3], ["Dockerfile", 8]] },
  {
    kind: "symlink-loop",
    plant: (dir) => {
      symlinkSync("loop", join(dir, "config/loop"));
      symlinkSync("..", join(dir, "config/up"));
    },
    problems: [["config/loop", 1], ["config/up", 1]],
  },
  { kind: "dangling-symlink", plant: (dir) => symlinkSync("nowhere.conf", join(dir, "config/nginx/extra.conf")), problems: [["config/nginx/extra.conf", 1]] },
  { kind: "compose-is-directory", plant: (dir) => replaceFile(dir, COMPOSE, (p) => mkdirSync(p)), problems: [[COMPOSE, 1]], composeLost: true },
  // Reading a FIFO blocks until someone writes to it: the lint must never open one.
  { kind: "compose-is-fifo", plant: (dir) => replaceFile(dir, COMPOSE, (p) => execFileSync("mkfifo", [p])), problems: [[COMPOSE, 1]], composeLost: true },
  { kind: "env-is-fifo", plant: (dir) => replaceFile(dir, ".env", (p) => execFileSync("mkfifo", [p])), problems: [[".env", 1]], envLost: true },
  { kind: "dockerfile-is-fifo", plant: (dir) => replaceFile(dir, "Dockerfile", (p) => execFileSync("mkfifo", [p])), problems: [["Dockerfile", 1]] },
];

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

function lint(dir: string) {
  const started = Date.now();
  const run = runCli([dir, "--format", "json"]);
  const elapsed = Date.now() - started;
  return { run, elapsed };
}

describe("bad input never stops the lint (built CLI, --format json)", () => {
  it.each(CASES)("$kind", (c) => {
    const dir = checkout(c.kind);
    c.plant?.(dir);
    const { run, elapsed } = lint(dir);
    expect(run.stderr).toBe("");
    expect([0, 1]).toContain(run.status);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const rows = report.findings.map((f): Row => [f.rule, f.file, f.line]);
    const problems = rows.filter((r) => r[0] === "parse/problem").map(([, file, line]) => [file, line]);
    for (const problem of c.problems) expect(problems, JSON.stringify(report.findings)).toContainEqual(problem);
    // Nothing else is reported as broken: the problems are where the bad input is.
    const badFiles = new Set(c.problems.map(([file]) => file));
    expect(problems.filter(([file]) => !badFiles.has(file as string))).toEqual([]);
    const expected = [...(c.envLost ? [] : [ENV_TRACKED]), ...(c.composeLost || c.expected ? [] : [PUBLISHED_PORT]), ...(c.expected ?? [])];
    for (const row of expected) expect(rows, JSON.stringify(report.findings)).toContainEqual(row);
    expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
  });

  it("an unreadable settings module makes its settings unknown, not missing (no django/* finding on it)", () => {
    const dir = checkout("python-binary-unknown");
    writeFileSync(join(dir, PROD), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    const report = JSON.parse(lint(dir).run.stdout) as { findings: JsonFinding[] };
    expect(report.findings.filter((f) => f.rule.startsWith("django/"))).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)("an unreadable file (chmod 000) is a located problem", () => {
    const dir = checkout("unreadable");
    chmodSync(join(dir, ".env"), 0o000);
    const { run } = lint(dir);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(report.findings.map((f) => [f.rule, f.file, f.line])).toContainEqual(["parse/problem", ".env", 1]);
    expect(report.findings.map((f) => [f.rule, f.file, f.line])).toContainEqual(PUBLISHED_PORT);
  });

  it("an empty directory is linted with no finding, exit 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-bad-empty-"));
    dirs.push(dir);
    const { run, elapsed } = lint(dir);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(validate(report)).toBe(true);
    expect(report.findings).toEqual([]);
    expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
  });

  it("a root that is a file is a usage error: exit 2, one line saying so, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-bad-rootfile-"));
    dirs.push(dir);
    writeFileSync(join(dir, "docker-compose.yml"), "services: {}\n");
    const run = runCli([join(dir, "docker-compose.yml"), "--format", "json"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const [first, ...rest] = run.stderr.trimEnd().split("\n");
    expect(first).toMatch(/^django-prod-lint: PATH '.*docker-compose\.yml' is not a directory/);
    expect(rest).toEqual(["Try 'django-prod-lint --help'."]);
  });
});
