import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/core/source-file.js";
import { discoverFiles, MAX_DIRECTORY_DEPTH } from "../../src/discover/discover.js";
import { DEFAULT_MAX_INCLUDE_DEPTH } from "../../src/model/nginx-includes.js";
import { DEFAULT_MAX_IMPORT_DEPTH, DEFAULT_MAX_STEPS, MAX_EXPRESSION_DEPTH } from "../../src/python/evaluate.js";
import { MAX_VALUE_SIZE } from "../../src/python/value-size.js";
import { runCli } from "../support/cli.js";

/**
 * Every limit of docs/SECURITY.md, hit through the CLI: a located parse/problem that names the
 * limit and its value, the rest of the project still linted, and no hang.
 */

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A compose project: `web` runs gunicorn with the settings `proj.settings`, nginx reads ./nginx as conf.d. */
const BASE: Record<string, string> = {
  "docker-compose.yml": [
    "services:",
    "  web:",
    "    image: python:3.12",
    "    working_dir: /app",
    "    volumes: [\".:/app\"]",
    "    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000",
    "    environment:",
    "      DJANGO_SETTINGS_MODULE: proj.settings",
    "  nginx:",
    "    image: nginx:1.25",
    "    volumes: [\"./nginx:/etc/nginx/conf.d\"]",
    "",
  ].join("\n"),
  "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  "proj/__init__.py": "",
  "proj/settings.py": "DEBUG = False\n",
  "nginx/default.conf": "server {\n    listen 80;\n    location / { proxy_pass http://web:8000; }\n}\n",
};

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "dpl-limits-"));
  for (const [name, text] of Object.entries({ ...BASE, ...files })) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Lints through the CLI within `seconds`; returns the findings of the JSON report. */
function lint(root: string, seconds = 20): { status: number | null; findings: JsonFinding[]; stderr: string } {
  const started = performance.now();
  const result = runCli(["--format", "json", "--fail-on", "never", root]);
  expect(performance.now() - started, "the lint stops well within the time box").toBeLessThan(seconds * 1000);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return { status: result.status, findings: (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings, stderr: result.stderr };
}

const problems = (findings: JsonFinding[]) => findings.filter((f) => f.rule === "parse/problem").map((f) => [f.file, f.line, f.column, f.message]);

/** A finding that proves the rest of the project was linted: DEBUG below the limit is read. */
const DEBUG_TRUE = "DEBUG = True\n";

describe("limits, hit through the CLI", () => {
  it(`file size: a file above ${MAX_FILE_BYTES} bytes is a problem at its line 1, not parsed`, () => {
    const big = `# padding\n${"#".repeat(MAX_FILE_BYTES)}\n`;
    const root = project({ "nginx/big.conf": big, "proj/settings.py": DEBUG_TRUE });
    const { findings } = lint(root);
    expect(problems(findings)).toEqual([["nginx/big.conf", 1, 1, `file is ${MAX_FILE_BYTES + 11} bytes, above the ${MAX_FILE_BYTES}-byte limit; not parsed`]]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });

  it(`nginx include depth: includes nested deeper than ${DEFAULT_MAX_INCLUDE_DEPTH} stop at the include that goes too deep`, () => {
    const files: Record<string, string> = { "nginx/default.conf": "server {\n    listen 80;\n    include /etc/nginx/conf.d/chain/1.inc;\n    location / { proxy_pass http://web:8000; }\n}\n" };
    for (let i = 1; i <= 30; i++) files[`nginx/chain/${i}.inc`] = `# level ${i}\ninclude /etc/nginx/conf.d/chain/${i + 1}.inc;\n`;
    files["nginx/chain/31.inc"] = "# the end\n";
    const { findings } = lint(project(files));
    const found = problems(findings);
    expect(found).toHaveLength(1);
    expect(found[0]?.slice(0, 3)).toEqual([`nginx/chain/${DEFAULT_MAX_INCLUDE_DEPTH}.inc`, 2, 1]);
    expect(found[0]?.[3]).toMatch(new RegExp(`^includes nested more than ${DEFAULT_MAX_INCLUDE_DEPTH} levels deep: nginx/default.conf → nginx/chain/1.inc → .* → nginx/chain/${DEFAULT_MAX_INCLUDE_DEPTH + 1}.inc$`));
  });

  it(`import depth: a chain of star imports deeper than ${DEFAULT_MAX_IMPORT_DEPTH} modules stops with a problem`, () => {
    const files: Record<string, string> = { "proj/settings.py": "from .m1 import *\nDEBUG = True\n" };
    for (let i = 1; i <= 50; i++) files[`proj/m${i}.py`] = `from .m${i + 1} import *\nV${i} = ${i}\n`;
    files["proj/m51.py"] = "V51 = 51\n";
    const { findings } = lint(project(files));
    // proj.settings is the first module: the 32nd import (of proj.m32) is one too many.
    expect(problems(findings)).toEqual([[`proj/m${DEFAULT_MAX_IMPORT_DEPTH - 1}.py`, 1, 6, `import depth limit of ${DEFAULT_MAX_IMPORT_DEPTH} modules exceeded importing proj.m${DEFAULT_MAX_IMPORT_DEPTH}`]]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });

  it("import cycles: star imports that import each other stop at the closing import", () => {
    const { findings } = lint(project({ "proj/settings.py": "from .a import *\nDEBUG = True\n", "proj/a.py": "from .b import *\n", "proj/b.py": "from .a import *\n" }));
    expect(problems(findings)).toEqual([["proj/b.py", 1, 6, "import cycle: proj.a → proj.b → proj.a; proj.a is only partly evaluated at this point"]]);
  });

  it(`step budget: a settings module that needs more than ${DEFAULT_MAX_STEPS} steps stops with a problem`, () => {
    const settings = `DEBUG = True\nX = [${Array(DEFAULT_MAX_STEPS).fill("1").join(",")}]\nY = 2\n`;
    const { findings } = lint(project({ "proj/settings.py": settings }));
    expect(problems(findings)).toEqual([["proj/settings.py", 2, 1, `evaluation step budget exceeded (${DEFAULT_MAX_STEPS} steps); the rest was not evaluated`]]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });

  it.each([
    ["while True: pass", "while True:\n    pass\n"],
    ["a huge for loop", "X = 0\nfor i in range(10**12):\n    X += 1\n"],
    ["unbounded recursion", "def f(n):\n    return f(n + 1)\nX = f(0)\n"],
  ])("adversarial settings (%s) are not run: the values are unknown, the lint goes on", (_name, code) => {
    const { findings } = lint(project({ "proj/settings.py": `${DEBUG_TRUE}${code}` }), 10);
    expect(problems(findings)).toEqual([]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });

  it.each([
    // The line where the value first passes the limit: "ab" doubled 19 times is 2^20 characters.
    ["string doubling", `S = "ab"\n${"S = S + S\n".repeat(40)}`, 21],
    ["list doubling", `L = [1]\n${"L = L + L\n".repeat(40)}`, 22],
    ["list repetition", `L = [1]\n${"L = L * 2\n".repeat(40)}`, 22],
    ["a huge repetition", "S = 'ab' * 10**12\n", 2],
    ["nested shared halves", `L = [1, 2]\n${"L = [L, L]\n".repeat(40)}M = str(L)\n`, 20],
  ])(`value size: %s stops at ${MAX_VALUE_SIZE} characters or items with a problem`, (_name, code, line) => {
    const { findings } = lint(project({ "proj/settings.py": `${DEBUG_TRUE}${code}` }), 10);
    expect(problems(findings)).toEqual([["proj/settings.py", line, expect.any(Number), `value larger than the limit of ${MAX_VALUE_SIZE} characters or items is not evaluated`]]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });

  it("a list that holds itself is printed as Python prints it, and --print-model does not recurse forever", () => {
    const root = project({ "proj/settings.py": "L = []\nL.append(L)\nM = repr(L)\n" });
    const { findings } = lint(root, 10);
    expect(problems(findings)).toEqual([]);
    const model = runCli(["--print-model", root]);
    expect(model.status).toBe(0);
    const settings = (JSON.parse(model.stdout) as { stacks: { services: { django: { settings: Record<string, { value: unknown }> } | null }[] }[] }).stacks[0]!.services[0]!.django!.settings;
    expect(settings.M?.value).toBe("[[...]]");
    expect(settings.L?.value).toEqual(["[...]"]);
  });

  it(`expression depth: an expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is a problem, not a stack overflow`, () => {
    const { findings } = lint(project({ "proj/settings.py": `${DEBUG_TRUE}X = ${Array(5000).fill("1").join(" + ")}\n` }));
    expect(problems(findings).map((p) => [p[0], p[1], p[3]])).toEqual([["proj/settings.py", 2, `expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is not evaluated`]]);
  });

  it(`directory depth: folders nested deeper than ${MAX_DIRECTORY_DEPTH} are not followed, with a problem`, () => {
    const deep = Array.from({ length: MAX_DIRECTORY_DEPTH + 2 }, () => "d").join("/");
    const { findings } = lint(project({ [`${deep}/x.txt`]: "", "proj/settings.py": DEBUG_TRUE }));
    const tooDeep = Array.from({ length: MAX_DIRECTORY_DEPTH + 1 }, () => "d").join("/");
    expect(problems(findings)).toEqual([[tooDeep, 1, 1, `directory nesting deeper than ${MAX_DIRECTORY_DEPTH}; not followed`]]);
    expect(findings.some((f) => f.rule === "django/debug-enabled")).toBe(true);
  });
});

describe("the file count limit (too many files to create in a test: a lower limit proves the behaviour)", () => {
  it("stops listing at the limit and says where", () => {
    const root = mkdtempSync(join(tmpdir(), "dpl-limits-count-"));
    for (const name of ["a/1", "a/2", "b/3", "b/4", "c"]) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), "");
    }
    expect(discoverFiles(root, 3)).toEqual({
      files: ["a/1", "a/2", "b/3"],
      problems: [{ range: { file: "b/4", line: 1, column: 1, endLine: 1, endColumn: 1 }, message: "more than 3 files under the root (the file count limit); this and later files are not linted" }],
    });
    expect(discoverFiles(root, 5).problems).toEqual([]);
  });
});
