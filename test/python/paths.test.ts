import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { evaluateModule } from "../../src/python/evaluate.js";
import {
  osPathBasename,
  osPathDirname,
  osPathJoin,
  osPathNormpath,
  osPathSplitext,
  pathName,
  pathParent,
  pathStem,
  pathSuffix,
  purePath,
} from "../../src/python/paths.js";
import type { PyValue } from "../../src/python/values.js";
import { toolAvailable } from "../support/tools.js";
import { at, envOf, memoryHost } from "./helpers.js";

const p = (value: string): PyValue => ({ kind: "path", value });
const s = (value: string): PyValue => ({ kind: "str", value });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });

describe("BASE_DIR as Django's startproject writes it", () => {
  it.each<[string, string, string, PyValue]>([
    // Django 3.1–5.x: settings.py directly in the project package.
    ["3.1+ pathlib", "mysite/settings.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n", p("/app")],
    // Django 1.x–3.0.
    ["<=3.0 os.path", "mysite/settings.py", "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n", s("/app")],
    // Split settings: one level deeper.
    ["split settings", "mysite/settings/base.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\n", p("/app")],
    ["parents[n]", "mysite/settings/base.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parents[2]\n", p("/app")],
    ["realpath", "mysite/settings.py", "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))\n", s("/app")],
    ["pathlib module", "mysite/settings.py", "import pathlib\nBASE_DIR = pathlib.Path(__file__).absolute().parent.parent\n", p("/app")],
    ["os.path alias", "mysite/settings.py", "import os.path as osp\nBASE_DIR = osp.dirname(osp.dirname(__file__))\n", s("/app")],
    ["from os.path import", "mysite/settings.py", "from os.path import abspath, dirname\nBASE_DIR = dirname(dirname(abspath(__file__)))\n", s("/app")],
  ])("%s", (_label, file, text, expected) => {
    const dotted = file.replace(/\.py$/, "").split("/").join(".");
    const result = evaluateModule(dotted, memoryHost({ [file]: text }), envOf());
    expect(result.values.get("BASE_DIR")?.value).toEqual(expected);
    expect(result.values.get("BASE_DIR")?.range).toEqual(at(file, 2, 1, 9));
    expect(result.problems).toEqual([]);
  });

  it("__file__ is the runtime path the host gives", () => {
    const host = memoryHost({ "src/proj/settings.py": "F = __file__\nN = __name__\n" }, "/srv/code");
    const result = evaluateModule("src.proj.settings", host, envOf());
    expect(result.values.get("F")?.value).toEqual(s("/srv/code/src/proj/settings.py"));
    expect(result.values.get("N")?.value).toEqual(s("src.proj.settings"));
  });
});

describe("path expressions", () => {
  const prelude = "import os\nfrom pathlib import Path, PurePosixPath\nBASE_DIR = Path('/app')\nOLD = '/app'\n";
  it.each<[string, PyValue]>([
    ["BASE_DIR / 'static'", p("/app/static")],
    ["BASE_DIR / 'a' / 'b'", p("/app/a/b")],
    ["BASE_DIR / '/abs'", p("/abs")],
    ["'/x' / BASE_DIR", p("/app")],
    ["OLD / 'static'", u("TypeError: unsupported operand type(s) for /: 'str' and 'str'")],
    ["str(BASE_DIR / 'x')", s("/app/x")],
    ["os.fspath(BASE_DIR)", s("/app")],
    ["f'{BASE_DIR}/media'", s("/app/media")],
    ["BASE_DIR.joinpath('a', 'b')", p("/app/a/b")],
    ["Path(BASE_DIR, 'media')", p("/app/media")],
    ["Path('a//b/./c')", p("a/b/c")],
    ["Path()", p(".")],
    ["PurePosixPath('/x/y/')", p("/x/y")],
    ["Path('/a/b/../c').resolve()", p("/a/c")],
    ["Path('/a/b/../c').absolute()", p("/a/b/../c")],
    ["Path('rel').resolve()", u("Path.resolve() of the relative path 'rel' depends on the working directory")],
    ["Path('rel').parent", p(".")],
    ["Path('/').parent", p("/")],
    ["BASE_DIR.parents[0]", p("/")],
    ["BASE_DIR.parents[1]", u("IndexError: tuple index out of range")],
    ["Path('/a/b.tar.gz').name", s("b.tar.gz")],
    ["Path('/a/b.tar.gz').suffix", s(".gz")],
    ["Path('/a/b.tar.gz').stem", s("b.tar")],
    ["Path('/a/b.txt').with_suffix('.py')", p("/a/b.py")],
    ["Path('/a/b.txt').with_name('c')", p("/a/c")],
    ["Path('/a/b').as_posix()", s("/a/b")],
    ["Path('/a/b').parts", { kind: "tuple", items: [s("/"), s("a"), s("b")] }],
    ["(BASE_DIR / 'x').exists()", u("Path.exists() touches the filesystem at run time")],
    ["Path.cwd()", u("Path.cwd() depends on the running process")],
    ["os.path.join(BASE_DIR, 'static')", s("/app/static")],
    ["os.path.join(OLD, 'static', 'css')", s("/app/static/css")],
    ["os.path.join('/a', '/b', 'c')", s("/b/c")],
    ["os.path.join('a', '')", s("a/")],
    ["os.path.join(OLD, '../x')", s("/app/../x")],
    ["os.path.normpath('/a/./b/../c//d')", s("/a/c/d")],
    ["os.path.abspath('/a/b/../c')", s("/a/c")],
    ["os.path.abspath('rel')", u("os.path.abspath('rel') depends on the working directory")],
    ["os.path.basename('/a/b.txt')", s("b.txt")],
    ["os.path.dirname('/a/b/')", s("/a/b")],
    ["os.path.split('/a/b')", { kind: "tuple", items: [s("/a"), s("b")] }],
    ["os.path.splitext('/a/b.txt')", { kind: "tuple", items: [s("/a/b"), s(".txt")] }],
    ["os.path.isabs(OLD)", { kind: "bool", value: true }],
    ["os.path.exists('/x')", u("os.path.exists() checks the filesystem at run time")],
    ["os.path.expanduser('~/x')", u("os.path.expanduser() depends on the user's home directory")],
    ["os.path.join(OLD, MISSING)", u("NameError: name 'MISSING' is not defined")],
    ["os.path.join(OLD, 1)", u("expected a str or Path, got int")],
    ["os.sep", s("/")],
    ["os.getcwd()", u("call to os.getcwd() is not evaluated")],
  ])("X = %s", (expression, expected) => {
    const result = evaluateModule("settings", memoryHost({ "settings.py": `${prelude}X = ${expression}\n` }), envOf());
    expect(result.values.get("X")?.value).toEqual(expected);
    expect(result.problems).toEqual([]);
  });
});

/** CPython's posixpath and PurePosixPath are the reference for the path helpers. */
describe("path helpers against CPython", () => {
  const available = toolAvailable("python3", ["python3", "--version"]);
  const inputs = ["", ".", "/", "//", "///", "a", "/a", "a/", "/a/b/", "a//b", "/a/./b/../c", "../x", "/../x", "//a/b", "a/b.txt", ".bashrc", "/a/b.tar.gz", "a/..", "/a/b/.."];
  const joins: string[][] = [["a", "b"], ["/a", "/b", "c"], ["a", ""], ["", "a"], ["a/", "b"], ["/", "x"], ["a", "../b"]];

  it.skipIf(!available)("os.path / PurePosixPath agree", () => {
    const script = [
      "import json, sys, posixpath",
      "from pathlib import PurePosixPath as P",
      "data = json.load(sys.stdin)",
      "out = {}",
      "for s in data['inputs']:",
      "    out[s] = [posixpath.normpath(s), posixpath.dirname(s), posixpath.basename(s), list(posixpath.splitext(s)),",
      "              str(P(s)), str(P(s).parent), P(s).name, P(s).suffix, P(s).stem]",
      "out['joins'] = [posixpath.join(*j) for j in data['joins']]",
      "out['pjoins'] = [str(P(*j)) for j in data['joins']]",
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify({ inputs, joins }), encoding: "utf8" });
    expect(run.status).toBe(0);
    const expected = JSON.parse(run.stdout) as Record<string, unknown>;
    const ours: Record<string, unknown> = {};
    for (const x of inputs) {
      ours[x] = [osPathNormpath(x), osPathDirname(x), osPathBasename(x), osPathSplitext(x), purePath(x), pathParent(x), pathName(x), pathSuffix(x), pathStem(x)];
    }
    ours.joins = joins.map((j) => osPathJoin(j[0] as string, ...j.slice(1)));
    ours.pjoins = joins.map((j) => purePath(...j));
    expect(ours).toEqual(expected);
  });
});
