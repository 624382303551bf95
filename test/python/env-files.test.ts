import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseIni, iniGet } from "../../src/python/env-files/configparser.js";
import { parseDecoupleEnv } from "../../src/python/env-files/decouple-env.js";
import { parseEnvironEnv, type EnvironReadRules } from "../../src/python/env-files/environ-env.js";
import { parsePythonDotenv, parseVariables } from "../../src/python/env-files/python-dotenv.js";
import { jsonLoads } from "../../src/python/libraries/casts.js";
import { shlexSplitPosix } from "../../src/python/libraries/shlex.js";
import { ENVIRON_SCHEMES, parseQs, quote, unquote, unquotePlus, urlHostname, urlparse, urlPassword, urlPort, urlunparse, urlUsername } from "../../src/python/libraries/url.js";
import { pyRepr } from "../../src/python/values.js";
import { toolAvailable } from "../support/tools.js";
import { at } from "./helpers.js";
import { DEBIAN_PYTHON, LIBRARIES_PROBE } from "./oracle.js";

const F = ".env";

describe("python-dotenv's parser", () => {
  it("keeps each entry's name, value and range", () => {
    const text = ["# comment", "A=1", "export B = two words  # c", "C='x\\'y'", 'D="multi', 'line"', "E", "BAD=\"x\" y", "'K'=v", "F=ab#cd", ""].join("\n");
    const parsed = parsePythonDotenv(text, F);
    expect(parsed.entries).toEqual([
      { name: "A", value: "1", range: at(F, 2, 1, 4) },
      { name: "B", value: "two words", range: at(F, 3, 1, 21) },
      { name: "C", value: "x'y", range: at(F, 4, 1, 9) },
      { name: "D", value: "multi\nline", range: { file: F, line: 5, column: 1, endLine: 6, endColumn: 6 } },
      { name: "E", value: null, range: at(F, 7, 1, 2) },
      { name: "K", value: "v", range: at(F, 9, 1, 6) },
      { name: "F", value: "ab#cd", range: at(F, 10, 1, 8) },
    ]);
    expect(parsed.problems).toEqual([{ range: at(F, 8, 1, 10), message: "python-dotenv could not parse this statement and skips it" }]);
  });

  it("maps CRLF files back to their own columns", () => {
    const parsed = parsePythonDotenv("A=1\r\nB=2\r\n", F);
    expect(parsed.entries.map((e) => [e.name, e.value, e.range])).toEqual([
      ["A", "1", at(F, 1, 1, 4)],
      ["B", "2", at(F, 2, 1, 4)],
    ]);
  });

  it.each<[string, ReturnType<typeof parseVariables>]>([
    ["${A}-${B:-d}-$C", [{ kind: "variable", name: "A", default: null }, { kind: "literal", text: "-" }, { kind: "variable", name: "B", default: "d" }, { kind: "literal", text: "-$C" }]],
    ["plain", [{ kind: "literal", text: "plain" }]],
  ])("parseVariables(%s)", (value, atoms) => {
    expect(parseVariables(value)).toEqual(atoms);
  });
});

describe("python-decouple's .env reader", () => {
  it("strips lines, splits at the first '=', removes one pair of quotes", () => {
    const text = ["# c", "  A = 1  ", "B='q'", 'C="q', "D=x=y # z", "no equals", "A=2", ""].join("\n");
    expect(parseDecoupleEnv(text, F)).toEqual([
      { name: "A", value: "1", range: at(F, 2, 3, 8) },
      { name: "B", value: "q", range: at(F, 3, 1, 6) },
      { name: "C", value: '"q', range: at(F, 4, 1, 5) },
      { name: "D", value: "x=y # z", range: at(F, 5, 1, 10) },
      { name: "A", value: "2", range: at(F, 7, 1, 4) },
    ]);
  });
});

describe("configparser (settings.ini)", () => {
  it("reads sections, lower-cases names, joins continuation lines and interpolates", () => {
    const text = ["[settings]", "Secret_Key = abc", "PATH: /a", "MULTI = one", "  two", "", "REF = %(path)s/b", "PCT = 50%%", "BAD = 5%", "[DEFAULT]", "shared = s", ""].join("\n");
    const ini = parseIni(text, "settings.ini");
    if (!ini.ok) throw new Error(ini.error);
    expect(ini.sections.get("settings")?.get("secret_key")).toEqual({ name: "secret_key", value: "abc", range: at("settings.ini", 2, 1, 17) });
    expect(ini.sections.get("settings")?.get("multi")).toEqual({ name: "multi", value: "one\ntwo", range: { file: "settings.ini", line: 4, column: 1, endLine: 5, endColumn: 6 } });
    expect(iniGet(ini, "settings", "REF")).toMatchObject({ kind: "found", value: "/a/b" });
    expect(iniGet(ini, "settings", "PCT")).toMatchObject({ kind: "found", value: "50%" });
    expect(iniGet(ini, "settings", "shared")).toMatchObject({ kind: "found", value: "s" });
    expect(iniGet(ini, "settings", "BAD")).toEqual({ kind: "error", message: "InterpolationSyntaxError: '%' must be followed by '%' or '(' in option 'bad'" });
    expect(iniGet(ini, "settings", "nope")).toEqual({ kind: "missing" });
    expect(iniGet(ini, "other", "secret_key")).toEqual({ kind: "missing" });
  });

  it.each<[string, string]>([
    ["a = 1\n", "MissingSectionHeaderError: File contains no section headers (line 1)"],
    ["[s]\na = 1\nA = 2\n", "DuplicateOptionError: option 'a' in section 's' already exists (line 3)"],
    ["[s]\n[s]\n", "DuplicateSectionError: section 's' already exists (line 2)"],
    ["[s]\njust words\n", "ParsingError: Source contains parsing errors (line 2)"],
  ])("%j is an error", (text, error) => {
    expect(parseIni(text, "settings.ini")).toMatchObject({ ok: false, error });
  });
});

describe("django-environ's read_env lines", () => {
  const text = ["A=1", "export B=2", "C='x'", 'D="a\\nb\\"c"', "E=v # c", "F = spaced", "A=3", ""].join("\n");
  const v044: EnvironReadRules = { exportPrefix: false, keepFormatEscapes: false, parseComments: false, lastWins: false };
  const v011: EnvironReadRules = { exportPrefix: true, keepFormatEscapes: true, parseComments: true, lastWins: true };
  it.each<[string, EnvironReadRules, [string, string][]]>([
    ["0.4.4", v044, [["A", "1"], ["C", "x"], ["D", 'anb"c'], ["E", "v # c"]]],
    ["0.11", v011, [["B", "2"], ["C", "x"], ["D", 'a\\nb"c'], ["E", "v "], ["A", "3"]]],
  ])("%s", (_label, rules, expected) => {
    expect(parseEnvironEnv(text, F, rules).map((e) => [e.name, e.value])).toEqual(expected);
  });

  it("keeps the line as the range", () => {
    expect(parseEnvironEnv("\n  \nKEY=value\n", F, v011)).toEqual([{ name: "KEY", value: "value", range: at(F, 3, 1, 10) }]);
  });
});

describe("urllib.parse, shlex and json against CPython", () => {
  const available = toolAvailable("python3", ["python3", "--version"]);
  const urls = [
    "postgres://user:p%40ss+word@Host.Example:5432/db?sslmode=require&x=1&x=2&blank=",
    "mysql://root@localhost/shop",
    "sqlite:////data/db.sqlite3",
    "redis://:secret@cache:6379/0",
    "memcache:///tmp/mc.sock",
    "postgres://h1:5432,h2:5433/app",
    "postgres://%2Fvar%2Frun%2Fpostgresql/db",
    "scheme:path;params?q#frag",
    "sqlite:path;params?q#frag",
    "//netloc/only",
    "relative/path",
    "postgres://h:99999/x",
    "postgres://h:port/x",
  ];
  it.skipIf(!available)("urlparse and its properties (with django-environ's schemes registered)", () => {
    const script = [
      "import json, sys",
      "import urllib.parse as up",
      "from urllib.parse import urlparse, urlunparse, parse_qs",
      `for s in ${JSON.stringify(ENVIRON_SCHEMES)}:`,
      "    for m in dir(up):",
      "        if m.startswith('uses_'): getattr(up, m).append(s)",
      "out = []",
      "for u in json.load(sys.stdin):",
      "    p = urlparse(u)",
      "    try: port = p.port",
      "    except ValueError as e: port = 'ValueError: ' + str(e)",
      "    out.append([list(p), p.username, p.password, p.hostname, port, urlunparse(p), sorted(parse_qs(p.query).items())])",
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(urls), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const ours = urls.map((url) => {
      const p = urlparse(url);
      if (typeof p === "string") return p;
      const port = urlPort(p);
      return [[p.scheme, p.netloc, p.path, p.params, p.query, p.fragment], urlUsername(p), urlPassword(p), urlHostname(p), typeof port === "object" && port !== null ? port.error : port, urlunparse(p), [...parseQs(p.query)].sort()];
    });
    expect(ours).toEqual(JSON.parse(run.stdout));
  });

  it.skipIf(!available)("quote, unquote, unquote_plus", () => {
    const inputs = ["a b+c%20d%zz%E2%82%AC/é", "p@ss:w/rd?&="];
    const script = "import json, sys\nfrom urllib.parse import quote, unquote, unquote_plus\nprint(json.dumps([[quote(s, safe=':/?&=@'), unquote(s), unquote_plus(s)] for s in json.load(sys.stdin)]))";
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(inputs), encoding: "utf8" });
    expect(inputs.map((x) => [quote(x, ":/?&=@"), unquote(x), unquotePlus(x)])).toEqual(JSON.parse(run.stdout));
  });

  const csv = ["a, b,,c", "'one,two', three", 'x\\,y,"q\\"r"', "a,b # c,d", "  ", "''", "a'b'c,d", "unterminated 'x", "trailing\\"];
  it.skipIf(!available)("shlex as python-decouple's Csv configures it", () => {
    const script = [
      "import json, sys",
      "from shlex import shlex",
      "out = []",
      "for v in json.load(sys.stdin):",
      "    s = shlex(v, posix=True); s.whitespace = ','; s.whitespace_split = True",
      "    try: out.append(list(s))",
      "    except ValueError as e: out.append('ValueError: ' + str(e))",
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(csv), encoding: "utf8" });
    expect(csv.map((v) => {
      const r = shlexSplitPosix(v, ",");
      return "error" in r ? r.error : r.tokens;
    })).toEqual(JSON.parse(run.stdout));
  });

  const json = ['{"a": [1, 2.0, 1e3, -0, null, true], "b": {"c": "\\u00e9\\n"}}', "[]", "NaN", "[1,]", '{"a" 1}', "12 13"];
  it.skipIf(!available)("json.loads", () => {
    const script = "import json, sys\nout = []\nfor s in json.load(sys.stdin):\n    try: out.append(repr(json.loads(s)))\n    except ValueError: out.append('<error>')\nprint(json.dumps(out))";
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(json), encoding: "utf8" });
    expect(json.map((t) => {
      const r = jsonLoads(t);
      return "error" in r ? "<error>" : pyRepr(r.value);
    })).toEqual(JSON.parse(run.stdout));
  });
});

describe("env file readers against the real libraries", () => {
  const available = toolAvailable("python3-django-environ", LIBRARIES_PROBE);
  const corpus = [
    "A=1\nB = 2\nexport C=3\n",
    "Q='single \\' quote'\nD=\"double \\\" \\n \\t \\\\ \\x\"\n",
    "M=\"multi\nline\"\nAFTER=1\n",
    "H=ab#cd\nI=ab #cd\nJ= #x\nK=\"q\" # c\nL=\"q\" x\nN=ok\n",
    "NOVALUE\nEMPTY=\n  INDENTED=1\n'QK'=v\n",
    "A=1\r\nB=2\rC=3\n",
    "DUP=1\nDUP=2\n",
    "U=é\u00a0x \nV=\"\u2028\"\n",
    "=novalue\n#only comment\n",
  ];

  it.skipIf(!available)("python-dotenv (no interpolation)", () => {
    const script = "import io, json, sys\nfrom dotenv.main import DotEnv\nprint(json.dumps([list(DotEnv(None, stream=io.StringIO(t, newline=None), interpolate=False).dict().items()) for t in json.load(sys.stdin)]))";
    const run = spawnSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(corpus), encoding: "utf8", env: {} });
    expect(run.status, run.stderr).toBe(0);
    const ours = corpus.map((t) => {
      const values = new Map<string, string | null>();
      for (const e of parsePythonDotenv(t, F).entries) values.set(e.name, e.value);
      return [...values];
    });
    expect(ours).toEqual(JSON.parse(run.stdout));
  });

  it.skipIf(!available)("python-decouple's RepositoryEnv", () => {
    const script = "import json, sys, tempfile\nfrom decouple import RepositoryEnv\nout = []\nfor t in json.load(sys.stdin):\n    f = tempfile.NamedTemporaryFile('w', delete=False, newline='')\n    f.write(t); f.close()\n    out.append(list(RepositoryEnv(f.name).data.items()))\nprint(json.dumps(out))";
    const run = spawnSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(corpus), encoding: "utf8", env: {} });
    expect(run.status, run.stderr).toBe(0);
    const ours = corpus.map((t) => {
      const values = new Map<string, string>();
      for (const e of parseDecoupleEnv(t, F)) values.set(e.name, e.value);
      return [...values];
    });
    expect(ours).toEqual(JSON.parse(run.stdout));
  });

  it.skipIf(!available)("django-environ's read_env (0.4.4)", () => {
    const script = "import json, os, sys, tempfile, warnings\nwarnings.simplefilter('ignore')\nimport environ\nout = []\nfor t in json.load(sys.stdin):\n    os.environ.clear()\n    f = tempfile.NamedTemporaryFile('w', delete=False, newline='')\n    f.write(t); f.close()\n    environ.Env.read_env(f.name)\n    out.append(sorted(os.environ.items()))\nprint(json.dumps(out))";
    const run = spawnSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(corpus), encoding: "utf8", env: {} });
    expect(run.status, run.stderr).toBe(0);
    const rules: EnvironReadRules = { exportPrefix: false, keepFormatEscapes: false, parseComments: false, lastWins: false };
    const ours = corpus.map((t) => parseEnvironEnv(t, F, rules).map((e) => [e.name, e.value]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
    expect(ours).toEqual(JSON.parse(run.stdout));
  });

  const ini = [
    "[settings]\nA = 1\nB: two words ; not a comment\n# comment\n; comment\nC = multi\n   line\n\n   after blank\nD =\n",
    "[settings]\nX = %(y)s!\ny = why\nP = 100%%\n[DEFAULT]\nz = zed\n",
  ];
  it.skipIf(!available)("configparser", () => {
    const script = "import json, sys, configparser\nout = []\nfor t in json.load(sys.stdin):\n    p = configparser.ConfigParser(); p.read_string(t)\n    out.append({k: p.get('settings', k) for k in p.options('settings')})\nprint(json.dumps(out))";
    const run = spawnSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(ini), encoding: "utf8", env: {} });
    expect(run.status, run.stderr).toBe(0);
    const ours = ini.map((t) => {
      const parsed = parseIni(t, "settings.ini");
      if (!parsed.ok) return parsed.error;
      const names = [...(parsed.sections.get("settings")?.keys() ?? []), ...[...parsed.defaults.keys()].filter((k) => !parsed.sections.get("settings")?.has(k))];
      return Object.fromEntries(names.map((n) => {
        const got = iniGet(parsed, "settings", n);
        return [n, got.kind === "found" ? got.value : got.kind];
      }));
    });
    expect(ours).toEqual(JSON.parse(run.stdout));
  });
});
