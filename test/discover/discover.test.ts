import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverFiles, MAX_DIRECTORY_DEPTH } from "../../src/discover/discover.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dpl-discover-"));
  temps.push(dir);
  return dir;
}

/** Files (text) and symlinks (`{ link: target }`, target as written) under a fresh directory. */
function tree(entries: Record<string, string | { link: string }>, dir = tempDir()): string {
  for (const [path, entry] of Object.entries(entries)) {
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof entry === "string") writeFileSync(abs, entry);
    else symlinkSync(entry.link, abs);
  }
  return dir;
}

function start(file: string) {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

describe("discoverFiles", () => {
  it("lists regular files, root-relative with forward slashes, sorted by code unit", () => {
    const root = tree({ "b.txt": "", "B.txt": "", "a/b": "", "a.b": "", "a/c/d.yml": "", ".env": "" });
    expect(discoverFiles(root)).toEqual({ files: [".env", "B.txt", "a.b", "a/b", "a/c/d.yml", "b.txt"], problems: [] });
  });

  it("skips node_modules, .git, __pycache__, venv names and any virtualenv (pyvenv.cfg)", () => {
    const root = tree({
      "node_modules/x/index.js": "",
      ".git/config": "",
      "app/__pycache__/x.pyc": "",
      "venv/lib/site.py": "",
      "env/pyvenv.cfg": "home = /usr/bin\n",
      "env/lib/python3.12/site-packages/django/__init__.py": "",
      "app/models.py": "",
      // A file named like a skipped directory is still a file.
      "docs/node_modules": "",
    });
    expect(discoverFiles(root)).toEqual({ files: ["app/models.py", "docs/node_modules"], problems: [] });
  });

  it("reports a symlink to an ancestor directory as a loop and does not follow it", () => {
    const root = tree({ "a/file.txt": "", "a/up": { link: ".." }, "a/self": { link: "." } });
    expect(discoverFiles(root)).toEqual({
      files: ["a/file.txt"],
      problems: [
        { range: start("a/self"), message: "symlink loop: this link points back to a directory that contains it; not followed" },
        { range: start("a/up"), message: "symlink loop: this link points back to a directory that contains it; not followed" },
      ],
    });
  });

  it("skips a second link to a directory inside the root silently: its files are listed once, under the real path", () => {
    // The link sorts before its target, so it is met first.
    const root = tree({ "locale/zz/LC_MESSAGES/django.po": "", "locale/aa": { link: "zz" }, "shared-link": { link: "locale" } });
    expect(discoverFiles(root)).toEqual({ files: ["locale/zz/LC_MESSAGES/django.po"], problems: [] });
  });

  it("follows a link to a directory outside the root", () => {
    const outside = tree({ "nginx/site.conf": "server {}\n" });
    const root = tree({ "docker-compose.yml": "", config: { link: join(outside, "nginx") } });
    expect(discoverFiles(root)).toEqual({ files: ["config/site.conf", "docker-compose.yml"], problems: [] });
  });

  it("reports a loop found outside the root, at the link's path under the root", () => {
    const outside = tree({ "x.conf": "" });
    symlinkSync(outside, join(outside, "back"));
    const root = tree({ ext: { link: outside } });
    expect(discoverFiles(root)).toEqual({
      files: ["ext/x.conf"],
      problems: [{ range: start("ext/back"), message: "symlink loop: this directory links back to one that contains it; not followed" }],
    });
  });

  it("lists a symlinked file under its link name (and the target under its own)", () => {
    const root = tree({ "deploy/docker-compose.yml": "services: {}\n", "docker-compose.yml": { link: "deploy/docker-compose.yml" } });
    expect(discoverFiles(root).files).toEqual(["deploy/docker-compose.yml", "docker-compose.yml"]);
  });

  it("reports a dangling link with a deployment file's name, not one with another name", () => {
    const root = tree({
      "docker-compose.yml": { link: "missing/compose.yml" },
      ".env": { link: "/nonexistent/.env.prod" },
      "locale/xx": { link: "../nowhere" },
      "static/logo.png": { link: "../nowhere.png" },
      "manage.py": "",
    });
    expect(discoverFiles(root)).toEqual({
      files: ["manage.py"],
      problems: [
        { range: start(".env"), message: "dangling symlink: its target does not exist" },
        { range: start("docker-compose.yml"), message: "dangling symlink: its target does not exist" },
      ],
    });
  });

  it("reports a link that points at itself", () => {
    const root = tree({ "nginx.conf": { link: "nginx.conf" }, "ok.txt": "" });
    expect(discoverFiles(root)).toEqual({ files: ["ok.txt"], problems: [{ range: start("nginx.conf"), message: "symlink loop; not followed" }] });
  });

  it("stops below MAX_DIRECTORY_DEPTH directories and says where", () => {
    const deep = Array.from({ length: MAX_DIRECTORY_DEPTH + 2 }, () => "d").join("/");
    const root = tree({ [`${deep}/deep.txt`]: "", "d/shallow.txt": "" });
    const tooDeep = Array.from({ length: MAX_DIRECTORY_DEPTH + 1 }, () => "d").join("/");
    expect(discoverFiles(root)).toEqual({
      files: ["d/shallow.txt"],
      problems: [{ range: start(tooDeep), message: `directory nesting deeper than ${MAX_DIRECTORY_DEPTH}; not followed` }],
    });
  });

  it("walks a root that is itself a symlink; a missing root has no files", () => {
    const real = tree({ "a.txt": "" });
    const holder = tempDir();
    symlinkSync(real, join(holder, "root"));
    expect(discoverFiles(join(holder, "root"))).toEqual({ files: ["a.txt"], problems: [] });
    expect(discoverFiles(join(holder, "missing"))).toEqual({ files: [], problems: [] });
  });
});
