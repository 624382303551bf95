import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  normalizeProjectName,
  parsePipfile,
  parsePipfileLock,
  parsePyproject,
  parseRequirementsDocument,
  parseRequirementsTxt,
  requirementsFileKind,
  type RequirementsDocument,
} from "../../src/parsers/python-requirements.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/loaders/requirements");

function load(path: string): RequirementsDocument {
  const kind = requirementsFileKind(path);
  if (!kind) throw new Error(`${path} is not a requirements file`);
  return parseRequirementsDocument(kind, readFileSync(resolve(FIXTURES, path), "utf8"), path);
}

type PinRow = [name: string, spec: string, constraint: string, syntax: string, line: number, column: number, endLine: number, endColumn: number];

function pins(doc: RequirementsDocument): PinRow[] {
  return doc.pins.map((p) => [p.name, p.spec, p.constraint, p.syntax, p.range.line, p.range.column, p.range.endLine, p.range.endColumn]);
}

function includes(doc: RequirementsDocument): [string, string, number, number, number][] {
  return doc.includes.map((i) => [i.path, i.kind, i.range.line, i.range.column, i.range.endColumn]);
}

function problems(doc: RequirementsDocument): [string, number, number, number][] {
  return doc.problems.map((p) => [p.message, p.range.line, p.range.column, p.range.endColumn]);
}

describe("requirementsFileKind", () => {
  it.each([
    ["requirements.txt", "requirements"],
    ["requirements-prod.txt", "requirements"],
    ["backend/requirements_dev.txt", "requirements"],
    ["requirements.in", "requirements"],
    ["requirements/base.txt", "requirements"],
    ["app/requirements/production.txt", "requirements"],
    ["pyproject.toml", "pyproject"],
    ["src/pyproject.toml", "pyproject"],
    ["Pipfile", "pipfile"],
    ["Pipfile.lock", "pipfile-lock"],
    ["poetry.lock", "poetry-lock"],
    ["uv.lock", "uv-lock"],
  ])("%s is %s", (path, kind) => {
    expect(requirementsFileKind(path)).toBe(kind);
  });

  it.each(["constraints.txt", "docs/conf.py", "package-lock.json", "requirements.txt.bak", "yarn.lock", "myrequirements.txt"])("%s is not a dependency file", (path) => {
    expect(requirementsFileKind(path)).toBeUndefined();
  });

  it("normalises names as PEP 503 does", () => {
    expect(["Django", "DJANGO", "django", "Django-Environ", "django_environ", "django.environ"].map(normalizeProjectName)).toEqual([
      "django",
      "django",
      "django",
      "django-environ",
      "django-environ",
      "django-environ",
    ]);
  });
});

describe("requirements.txt", () => {
  it("reads pins, markers, extras and includes relative to the file's folder", () => {
    expect(pins(load("pip-split/requirements/base.txt"))).toEqual([
      ["django", "Django>=4.2,<5.0", ">=4.2,<5.0", "pep440", 1, 1, 1, 17],
      ["django-environ", "django-environ==0.11.2", "==0.11.2", "pep440", 2, 1, 2, 23],
      ["psycopg", "psycopg[binary]==3.1.18", "==3.1.18", "pep440", 3, 1, 3, 24],
    ]);
    const production = load("pip-split/requirements/production.txt");
    expect(includes(production)).toEqual([
      ["pip-split/requirements/base.txt", "requirements", 1, 15, 23],
      ["pip-split/constraints.txt", "constraints", 2, 4, 22],
    ]);
    expect(pins(production)).toEqual([["gunicorn", "gunicorn==21.2.0", "==21.2.0", "pep440", 3, 1, 3, 17]]);
    expect(includes(load("pip-split/requirements.txt"))).toEqual([["pip-split/requirements/production.txt", "requirements", 2, 4, 31]]);
  });

  it("joins pip-compile's continuation lines and drops --hash options and comments", () => {
    const doc = load("pip-compile/requirements.txt");
    expect(pins(doc)).toEqual([
      ["asgiref", "asgiref==3.8.1", "==3.8.1", "pep440", 4, 1, 4, 15],
      ["django", "django==4.2.11", "==4.2.11", "pep440", 7, 1, 7, 15],
      ["sqlparse", "sqlparse==0.5.0", "==0.5.0", "pep440", 10, 1, 10, 16],
    ]);
    expect(doc.problems).toEqual([]);
  });

  it("reads every include spelling pip accepts, and skips URLs", () => {
    const doc = parseRequirementsTxt("-rbase.txt\n--requirement=dev.txt\n  -c   ../c.txt  # pinned\n-r https://example.com/r.txt\n-e .\n", "app/requirements.txt");
    expect(includes(doc)).toEqual([
      ["app/base.txt", "requirements", 1, 3, 11],
      ["app/dev.txt", "requirements", 2, 15, 22],
      ["c.txt", "constraints", 3, 8, 16],
    ]);
    expect(doc.pins).toEqual([]);
  });

  it("handles CRLF, a continuation inside a requirement, parentheses and spaces in specifiers", () => {
    const text = "Django >= 4.2, \\\r\n  < 5.0\r\nDjango (>=3.2)\r\n";
    expect(pins(parseRequirementsTxt(text, "r.txt"))).toEqual([
      ["django", "Django >= 4.2,   < 5.0", ">=4.2,<5.0", "pep440", 1, 1, 2, 8],
      ["django", "Django (>=3.2)", ">=3.2", "pep440", 3, 1, 3, 15],
    ]);
  });

  it("reads no version from direct references, URLs, paths and ${VAR} versions", () => {
    const text = [
      "Django @ https://github.com/django/django/archive/stable/4.2.x.zip",
      "git+https://github.com/django/django@4.2#egg=Django",
      "./vendor/Django-4.2.tar.gz",
      "Django==${DJANGO_VERSION}",
      "# Django==1.11",
      "",
    ].join("\n");
    const doc = parseRequirementsTxt(text, "requirements.txt");
    expect(doc.pins).toEqual([]);
    expect(doc.problems).toEqual([]);
  });

  it("reports a requirement whose specifier pip cannot read, and keeps reading", () => {
    const doc = load("broken/requirements.txt");
    expect(problems(doc)).toEqual([["cannot read the version specifier '=4.2' of Django", 1, 1, 11]]);
    expect(pins(doc)).toEqual([["gunicorn", "gunicorn>=21", ">=21", "pep440", 2, 1, 2, 13]]);
  });

  it("an empty file, and a file of comments, pin nothing", () => {
    for (const text of ["", "\n\n", "# only a comment\n   # indented\n"]) {
      const doc = parseRequirementsTxt(text, "requirements.txt");
      expect([doc.pins, doc.includes, doc.problems]).toEqual([[], [], []]);
    }
  });
});

describe("pyproject.toml", () => {
  it("PEP 621: the [project] dependencies, each located on its string", () => {
    const doc = load("pep621/pyproject.toml");
    expect(pins(doc)).toEqual([
      ["django-environ", "django-environ>=0.11", ">=0.11", "pep440", 8, 6, 8, 26],
      ["django", "Django[argon2]>=5.0,<5.1", ">=5.0,<5.1", "pep440", 9, 6, 9, 30],
      ["gunicorn", "gunicorn", "", "pep440", 10, 6, 10, 14],
    ]);
  });

  it("poetry: [tool.poetry.dependencies], strings and inline tables, dev groups ignored", () => {
    expect(pins(load("poetry/pyproject.toml"))).toEqual([
      ["python", 'python = "^3.11"', "^3.11", "poetry", 6, 1, 6, 17],
      ["django", 'Django = { version = "^4.2", extras = ["argon2"] }', "^4.2", "poetry", 7, 1, 7, 51],
      ["gunicorn", 'gunicorn = "21.2.0"', "21.2.0", "poetry", 8, 1, 8, 20],
    ]);
  });

  it("uv projects declare PEP 621 dependencies on one line", () => {
    expect(pins(load("uv/pyproject.toml"))).toEqual([["django", "django>=5.1", ">=5.1", "pep440", 5, 18, 5, 29]]);
  });

  it("reports invalid TOML at smol-toml's position", () => {
    const doc = load("broken/pyproject.toml");
    expect(doc.pins).toEqual([]);
    expect(problems(doc)).toEqual([["invalid TOML: Invalid TOML document: expected comma or end of structure", 4, 1, 2]]);
  });

  it("skips git and path dependencies, and reports an unreadable PEP 621 specifier", () => {
    const text = [
      "[project]",
      'dependencies = ["Django=>4.2"]',
      "[tool.poetry.dependencies]",
      'django = { git = "https://github.com/django/django.git", branch = "main" }',
      "",
    ].join("\n");
    const doc = parsePyproject(text, "pyproject.toml");
    expect(doc.pins).toEqual([]);
    expect(problems(doc)).toEqual([["cannot read the version specifier '=>4.2' of Django", 2, 18, 29]]);
  });
});

describe("Pipfile and lock files", () => {
  it("Pipfile: [packages] only, '*' meaning any version", () => {
    expect(pins(load("pipenv/Pipfile"))).toEqual([
      ["django", 'django = "~=4.2"', "~=4.2", "pep440", 7, 1, 7, 17],
      ["gunicorn", 'gunicorn = "*"', "", "pep440", 8, 1, 8, 15],
    ]);
  });

  it("Pipfile: a specifier Pipenv cannot read is a problem", () => {
    const doc = parsePipfile('[packages]\ndjango = "=>4.2"\n', "Pipfile");
    expect(doc.pins).toEqual([]);
    expect(problems(doc)).toEqual([["cannot read the version specifier '=>4.2' of django", 2, 1, 17]]);
  });

  it("Pipfile.lock: the default section's locked versions", () => {
    expect(pins(load("pipenv/Pipfile.lock"))).toEqual([
      ["asgiref", "asgiref==3.8.1", "3.8.1", "locked", 9, 13, 9, 33],
      ["django", "django==4.2.13", "4.2.13", "locked", 16, 13, 16, 34],
    ]);
  });

  it("Pipfile.lock: invalid JSON is a problem at its position", () => {
    const doc = load("broken/Pipfile.lock");
    expect(doc.pins).toEqual([]);
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]?.message).toMatch(/^invalid JSON: /);
    expect([doc.problems[0]?.range.line, doc.problems[0]?.range.column]).toEqual([4, 3]);
  });

  it("Pipfile.lock: no default section, no pins; not an object, no problem", () => {
    expect(parsePipfileLock('{"develop": {"django": {"version": "==4.2"}}}', "Pipfile.lock").pins).toEqual([]);
    expect(parsePipfileLock("[]", "Pipfile.lock")).toMatchObject({ pins: [], problems: [] });
  });

  it("poetry.lock and uv.lock: each [[package]]'s version line", () => {
    expect(pins(load("poetry/poetry.lock"))).toEqual([
      ["asgiref", "asgiref==3.8.1", "3.8.1", "locked", 5, 1, 5, 18],
      ["django", "django==4.2.11", "4.2.11", "locked", 12, 1, 12, 19],
    ]);
    expect(pins(load("uv/uv.lock"))).toEqual([
      ["bookshelf", "bookshelf==0.1.0", "0.1.0", "locked", 6, 1, 6, 18],
      ["django", "django==5.1.4", "5.1.4", "locked", 14, 1, 14, 18],
    ]);
  });
});
