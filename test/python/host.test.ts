import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readSourceText, type SourceText } from "../../src/core/source-file.js";
import { evaluateModule, type PythonSourceHost } from "../../src/python/evaluate.js";
import { createFileSystemHost } from "../../src/python/host.js";
import { at, envOf } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../fixtures/loaders/python/fs-host", import.meta.url));

function countingReader(): { read: (file: string) => SourceText; calls: string[] } {
  const calls: string[] = [];
  return { calls, read: (file) => (calls.push(file), readSourceText(join(ROOT, file), file)) };
}

/** The app directory is copied to /srv/app in the image. */
const runtimePath = (file: string) => (file.startsWith("app/") ? `/srv/${file}` : `/opt/${file}`);

describe("createFileSystemHost", () => {
  it.each<[string, string | undefined]>([
    ["proj.settings.prod", "app/proj/settings/prod.py"],
    ["proj", "app/proj/__init__.py"],
    ["proj.conf", "app/proj/conf/__init__.py"], // a package wins over a module of the same name
    ["shared", "lib/shared.py"], // found in the second search root
    ["proj.nope", undefined],
    ["nope", undefined],
    ["../etc/passwd", undefined],
    ["proj..settings", undefined],
  ])("resolveModule(%s) = %s", (dotted, file) => {
    const host = createFileSystemHost(ROOT, ["app", "lib"], runtimePath, countingReader().read);
    expect(host.resolveModule(dotted)).toBe(file);
  });

  it("search roots are tried in order; '' is the repository root", () => {
    const host = createFileSystemHost(ROOT, ["", "app"], runtimePath, countingReader().read);
    expect(host.resolveModule("app.proj.settings.base")).toBe("app/proj/settings/base.py");
    expect(host.resolveModule("proj.settings.base")).toBe("app/proj/settings/base.py");
  });

  it("reads and parses each file once", () => {
    const reader = countingReader();
    const host = createFileSystemHost(ROOT, ["app"], runtimePath, reader.read);
    const first = host.load("app/proj/settings/base.py");
    const second = host.load("app/proj/settings/base.py");
    expect(second).toBe(first);
    expect(reader.calls).toEqual(["app/proj/settings/base.py"]);
    expect(first.problems).toEqual([]);
    expect(host.runtimePath("app/proj/settings/base.py")).toBe("/srv/app/proj/settings/base.py");
  });

  it("a file that cannot be read loads as an empty module carrying the reader's problem", () => {
    const host = createFileSystemHost(ROOT, ["app"], runtimePath, (file) => ({
      file,
      text: undefined,
      problems: [{ range: at(file, 1, 1, 1), message: "binary file (contains NUL bytes); not parsed" }],
    }));
    const parsed = host.load("app/proj/settings/base.py");
    expect(parsed.text).toBe("");
    expect(parsed.problems).toEqual([{ range: at("app/proj/settings/base.py", 1, 1, 1), message: "binary file (contains NUL bytes); not parsed" }]);
  });

  it("a host that hands over a module without a tree gets an empty module, not a crash", () => {
    const host = {
      resolveModule: (dotted: string) => (dotted === "s" ? "s.py" : undefined),
      load: (file: string) => ({ file, tree: undefined, text: "", problems: [{ range: at(file, 1, 1, 1), message: "cannot read file (EACCES)" }] }) as unknown as ReturnType<PythonSourceHost["load"]>,
      runtimePath: (file: string) => `/app/${file}`,
    };
    const result = evaluateModule("s", host, envOf());
    expect(result.values.size).toBe(0);
    expect(result.problems).toEqual([{ range: at("s.py", 1, 1, 1), message: "cannot read file (EACCES)" }]);
  });

  it("evaluates settings from disk end to end", () => {
    const reader = countingReader();
    const host = createFileSystemHost(ROOT, ["app", "lib"], runtimePath, reader.read);
    const result = evaluateModule("proj.settings.prod", host, envOf({ SECRET_KEY: "k" }));
    expect(result.problems).toEqual([]);
    expect(result.values.get("BASE_DIR")?.value).toEqual({ kind: "path", value: "/srv/app" });
    expect(result.values.get("STATIC_ROOT")?.value).toEqual({ kind: "path", value: "/srv/app/static" });
    expect(result.values.get("STATIC_ROOT")?.range).toEqual(at("app/proj/settings/base.py", 5, 1, 12));
    expect(result.values.get("SHARED")?.value).toEqual({ kind: "str", value: "from lib" });
    expect(result.values.get("WHICH")?.value).toEqual({ kind: "str", value: "package" });
    expect(result.values.get("DEBUG")?.value).toEqual({ kind: "bool", value: false });
    expect(result.envReads.map((r) => [r.name, r.provided])).toEqual([["SECRET_KEY", true]]);
    expect(result.modules.map((m) => m.file)).toEqual([
      "app/proj/settings/prod.py",
      "app/proj/__init__.py",
      "app/proj/settings/__init__.py",
      "app/proj/settings/base.py",
      "lib/shared.py",
      "app/proj/conf/__init__.py",
    ]);
    expect(new Set(reader.calls).size).toBe(reader.calls.length);
  });
});
