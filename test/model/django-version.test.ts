import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverFiles } from "../../src/discover/discover.js";
import { detectDjangoVersion, interpretConstraint, parseDjangoVersionOption, type DetectOptions } from "../../src/model/django-version-detect.js";
import { NEWEST_DJANGO, type DjangoVersion } from "../../src/model/django-version.js";
import { RepoTree } from "../../src/model/repo-tree.js";
import { SourceCache } from "../../src/model/source-cache.js";
import { runCli } from "../support/cli.js";
import { project } from "./helpers.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/loaders/requirements");

function detectIn(root: string, cli?: DjangoVersion, options?: DetectOptions) {
  const repo = new RepoTree(discoverFiles(root).files);
  const cache = new SourceCache(root);
  const choice = detectDjangoVersion(repo, cache, cli, options);
  const at = choice.range ? [choice.range.file, choice.range.line, choice.range.column] : undefined;
  return { version: choice.version, source: choice.source, spec: choice.spec, at, problems: cache.problems.map((p) => [p.range.file, p.range.line, p.message]) };
}

function detect(files: Record<string, string>, cli?: DjangoVersion, options?: DetectOptions) {
  return detectIn(project(files), cli, options);
}

describe("interpretConstraint", () => {
  const v = (major: number, minor: number, patch?: number): DjangoVersion => (patch === undefined ? { major, minor } : { major, minor, patch });
  it.each([
    // PEP 440: exact pins keep their patch; ranges give the lowest release line they allow.
    ["==4.2.11", "pep440", v(4, 2, 11), true],
    ["===4.2.11", "pep440", v(4, 2, 11), true],
    ["==5.0", "pep440", v(5, 0), true],
    ["==4.2.*", "pep440", v(4, 2), false],
    [">=4.2,<5", "pep440", v(4, 2), false],
    [">=4.2.3,<5.0", "pep440", v(4, 2), false],
    ["~=4.2.0", "pep440", v(4, 2), false],
    ["~=4.2", "pep440", v(4, 2), false],
    [">4.1", "pep440", v(4, 1), false],
    [">=3.2,!=4.0.*,<5", "pep440", v(3, 2), false],
    [">=4", "pep440", v(4, 0), false],
    ["<5", "pep440", v(4, 2), false], // an upper bound alone: the newest line below it, what pip installs
    ["<=4.1", "pep440", v(4, 1), false],
    ["<4.2.5", "pep440", v(4, 2), false],
    ["<99", "pep440", NEWEST_DJANGO, false],
    ["==5.1rc1", "pep440", v(5, 1), true],
    // poetry
    ["^4.2", "poetry", v(4, 2), false],
    ["^4.2.7", "poetry", v(4, 2), false],
    ["~4.2", "poetry", v(4, 2), false],
    ["4.2.11", "poetry", v(4, 2, 11), true],
    ["4.2.*", "poetry", v(4, 2), false],
    [">=4.2 <5.0", "poetry", v(4, 2), false],
    [">= 4.2, < 5.0", "poetry", v(4, 2), false],
    ["^3.2 || ^4.2", "poetry", v(3, 2), false],
    // locks
    ["4.2.11", "locked", v(4, 2, 11), true],
    ["==4.2.13", "locked", v(4, 2, 13), true],
  ] as const)("%s (%s) → %o", (constraint, syntax, version, exact) => {
    expect(interpretConstraint(constraint, syntax)).toEqual({ version, exact });
  });

  it.each([
    ["", "pep440"],
    ["*", "poetry"],
    ["!=4.0", "pep440"],
    ["latest", "poetry"],
    ["<1.0", "pep440"],
    [">=foo", "pep440"],
  ] as const)("'%s' (%s) says nothing about the version", (constraint, syntax) => {
    expect(interpretConstraint(constraint, syntax)).toBeUndefined();
  });
});

describe("detectDjangoVersion", () => {
  it("follows -r and -c includes; an exact pin beats a range, and a local.txt pin is a side file", () => {
    expect(detectIn(join(FIXTURES, "pip-split"))).toEqual({
      version: { major: 4, minor: 2, patch: 11 },
      source: "requirements",
      spec: "Django==4.2.11",
      at: ["constraints.txt", 1, 1],
      problems: [],
    });
  });

  it("pip-compile: the compiled requirements.txt pin beats the .in range", () => {
    expect(detectIn(join(FIXTURES, "pip-compile"))).toMatchObject({ version: { major: 4, minor: 2, patch: 11 }, source: "requirements", at: ["requirements.txt", 7, 1] });
  });

  it("PEP 621: the lowest version the range allows", () => {
    expect(detectIn(join(FIXTURES, "pep621"))).toEqual({
      version: { major: 5, minor: 0 },
      source: "pyproject",
      spec: "Django[argon2]>=5.0,<5.1",
      at: ["pyproject.toml", 9, 6],
      problems: [],
    });
  });

  it.each([
    ["poetry", { major: 4, minor: 2, patch: 11 }, ["poetry.lock", 12, 1]],
    ["pipenv", { major: 4, minor: 2, patch: 13 }, ["Pipfile.lock", 16, 13]],
    ["uv", { major: 5, minor: 1, patch: 4 }, ["uv.lock", 14, 1]],
  ])("%s: the lock file wins over the declared range", (fixture, version, at) => {
    expect(detectIn(join(FIXTURES, fixture))).toMatchObject({ version, source: "lockfile", at });
  });

  it("assumes the newest Django when nothing pins it, and when the only pin is unreadable (reported)", () => {
    expect(detect({ "requirements.txt": "gunicorn==21.2.0\nDjango\n" })).toEqual({ version: NEWEST_DJANGO, source: "assumed", spec: undefined, at: undefined, problems: [] });
    expect(detectIn(join(FIXTURES, "broken"))).toEqual({
      version: NEWEST_DJANGO,
      source: "assumed",
      spec: undefined,
      at: undefined,
      problems: [
        ["Pipfile.lock", 4, expect.stringMatching(/^invalid JSON: /)],
        ["pyproject.toml", 4, "invalid TOML: Invalid TOML document: expected comma or end of structure"],
        ["requirements.txt", 1, "cannot read the version specifier '=4.2' of Django"],
      ],
    });
  });

  it("--django-version wins over every pin", () => {
    expect(detectIn(join(FIXTURES, "poetry"), { major: 3, minor: 2 })).toEqual({
      version: { major: 3, minor: 2 },
      source: "cli",
      spec: undefined,
      at: undefined,
      problems: [],
    });
  });

  it("docs, test and dev requirements lose to the application's, even with exact pins", () => {
    const files = {
      "requirements.txt": "Django>=4.2,<5\n",
      "docs/requirements.txt": "Django==3.2.25\n",
      "requirements-dev.txt": "Django==5.0.1\n",
      "tests/requirements.txt": "Django==5.1\n",
    };
    expect(detect(files)).toMatchObject({ version: { major: 4, minor: 2 }, at: ["requirements.txt", 1, 1] });
  });

  it("a production-named file wins a tie; then the shallower path", () => {
    expect(detect({ "requirements/base.txt": "Django==4.2.1\n", "requirements/production.txt": "Django==4.2.9\n" })).toMatchObject({
      version: { major: 4, minor: 2, patch: 9 },
    });
    expect(detect({ "backend/app/requirements.txt": "Django==5.0.1\n", "backend/requirements.txt": "Django==4.2.2\n" })).toMatchObject({
      version: { major: 4, minor: 2, patch: 2 },
    });
  });

  it("a pin in the Django service's build context beats an exact pin elsewhere", () => {
    const files = { "worker/requirements.txt": "Django==5.0.1\n", "web/requirements.txt": "Django>=4.2\n" };
    expect(detect(files, undefined, { preferDirs: ["web"] })).toMatchObject({ version: { major: 4, minor: 2 }, at: ["web/requirements.txt", 1, 1] });
    expect(detect(files, undefined, { preferDirs: ["worker/"] })).toMatchObject({ version: { major: 5, minor: 0, patch: 1 } });
    expect(detect(files)).toMatchObject({ version: { major: 5, minor: 0, patch: 1 } });
  });

  it("an include loop, and an include outside the root or missing, are read once and ignored", () => {
    expect(
      detect({
        "requirements.txt": "-r requirements/a.txt\n-r ../outside.txt\n-r missing.txt\n",
        "requirements/a.txt": "-r b.txt\n",
        "requirements/b.txt": "-r a.txt\ndjango~=4.1.0\n",
      }),
    ).toMatchObject({ version: { major: 4, minor: 1 }, source: "requirements", at: ["requirements/b.txt", 2, 1], problems: [] });
  });

  it("other packages named like Django are not Django", () => {
    expect(detect({ "requirements.txt": "django-environ==0.11.2\ndjangorestframework==3.15.1\n" })).toMatchObject({ source: "assumed" });
  });
});

describe("--django-version", () => {
  it.each([
    ["4.2", { major: 4, minor: 2 }],
    ["5.1.3", { major: 5, minor: 1, patch: 3 }],
    [" 3.2 ", { major: 3, minor: 2 }],
  ])("parses %j", (text, version) => {
    expect(parseDjangoVersionOption(text)).toEqual(version);
  });

  it.each(["4", "4.x", "v4.2", "0.9", "4.2.1.1", "", "latest"])("rejects %j", (text) => {
    expect(parseDjangoVersionOption(text)).toBeUndefined();
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const seed = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-django-version-"));
    dirs.push(dir);
    cpSync(resolve(import.meta.dirname, "../../fixtures/projects/seed-skeleton"), dir, { recursive: true });
    return dir;
  };

  it("overrides the pinned version in the model, and the pin is used without it", () => {
    const dir = seed();
    const version = (args: string[]) => {
      const run = runCli(["--print-model", ...args, dir]);
      expect(run.stderr).toBe("");
      const model = JSON.parse(run.stdout) as { stacks: { services: { name: string; django: { djangoVersion: unknown } | null }[] }[] };
      return model.stacks[0]?.services.find((s) => s.name === "web")?.django?.djangoVersion;
    };
    expect(version(["--django-version", "3.2"])).toEqual({ version: "3.2", source: "cli", at: null });
    expect(version([])).toMatchObject({ version: "4.2.11", source: "requirements" });
  });

  it("a value that is not a version is a usage error (exit 2)", () => {
    const run = runCli(["--django-version", "four", seed()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("django-prod-lint: --django-version must be a Django version such as 4.2 or 4.2.11 (got 'four')\nTry 'django-prod-lint --help'.\n");
    expect(run.stdout).toBe("");
  });

  it("is listed in --help", () => {
    expect(runCli(["--help"]).stdout).toContain("--django-version X.Y     Django version (1.11 … 5.2) whose checks and defaults apply (overrides the pins)\n");
  });
});
