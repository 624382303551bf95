import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { LocatedString } from "../../src/core/location.js";
import { readSourceText } from "../../src/core/source-file.js";
import { splitShellWords } from "../../src/parsers/shell-words.js";
import {
  allOptions,
  lastOption,
  normaliseUwsgiKey,
  parseUwsgiIni,
  splitIniReference,
  uwsgiOptionsFromArgv,
  type UwsgiOption,
} from "../../src/parsers/uwsgi.js";

const fixture = (rel: string): string => fileURLToPath(new URL(`../../fixtures/loaders/appserver/${rel}`, import.meta.url));
const noEnv = (): string | undefined => undefined;

/** [key, value, line, column, endColumn] of the value range. */
function values(options: UwsgiOption[]): [string, string, number, number, number][] {
  return options.map((o) => [o.key, o.value, o.range.line, o.range.column, o.range.endColumn]);
}

describe("parseUwsgiIni: the seed's ini", () => {
  const source = readSourceText(fixture("seed/uwsgi.ini"), "config/uwsgi/uwsgi.ini");
  const cfg = parseUwsgiIni(source.text ?? "", source.file, { runtimePath: "/code/config/uwsgi/uwsgi.ini", env: noEnv });

  it("reads every option in order with the range of its value", () => {
    expect(cfg.problems).toEqual([]);
    expect(cfg.file).toBe("config/uwsgi/uwsgi.ini");
    expect(values(cfg.options)).toEqual([
      ["socket", "/code/app/uwsgi_app.sock", 3, 8, 32],
      ["chdir", "/code/app/", 4, 9, 19],
      ["module", "app.wsgi:application", 5, 8, 28],
      ["master", "true", 6, 10, 14],
      ["processes", "4", 7, 13, 14],
      ["chmod-socket", "666", 8, 14, 17],
      ["vacuum", "true", 9, 10, 14],
    ]);
  });

  it("gives the key's range and keeps raw text", () => {
    const socket = lastOption(cfg, "socket");
    expect(socket).toEqual({
      key: "socket",
      rawKey: "socket",
      value: "/code/app/uwsgi_app.sock",
      raw: "/code/app/uwsgi_app.sock",
      range: { file: "config/uwsgi/uwsgi.ini", line: 3, column: 8, endLine: 3, endColumn: 32 },
      keyRange: { file: "config/uwsgi/uwsgi.ini", line: 3, column: 1, endLine: 3, endColumn: 7 },
    });
  });
});

describe("parseUwsgiIni: uWSGI's reading rules", () => {
  const ctx = { runtimePath: "/etc/uwsgi/app.ini", env: noEnv };

  it("keeps repeated keys and answers lastOption / allOptions through aliases", () => {
    const cfg = parseUwsgiIni("[uwsgi]\nsocket = /tmp/a.sock\nuwsgi-socket = :3031\nwsgi = proj.wsgi\nfile = proj/wsgi.py\nworkers = 2\n", "u.ini", ctx);
    expect(cfg.options.map((o) => [o.rawKey, o.key])).toEqual([
      ["socket", "socket"],
      ["uwsgi-socket", "socket"],
      ["wsgi", "module"],
      ["file", "wsgi-file"],
      ["workers", "processes"],
    ]);
    expect(allOptions(cfg, "socket").map((o) => o.value)).toEqual(["/tmp/a.sock", ":3031"]);
    expect(allOptions(cfg, "uwsgi-socket").map((o) => o.value)).toEqual(["/tmp/a.sock", ":3031"]);
    expect(lastOption(cfg, "module", "wsgi-file")?.value).toBe("proj/wsgi.py");
    expect(lastOption(cfg, "w")?.value).toBe(undefined);
    expect(lastOption(cfg, "wsgi")?.value).toBe("proj.wsgi");
    expect(lastOption(cfg, "http-socket")).toBe(undefined);
  });

  it("reads only the [uwsgi] section, or the one asked for", () => {
    const text = "[uwsgi]\nsocket = /a.sock\n[prod]\nsocket = /b.sock\n[uwsgi]\nmaster = true\n";
    expect(parseUwsgiIni(text, "u.ini", ctx).options.map((o) => [o.key, o.value, o.range.line])).toEqual([
      ["socket", "/a.sock", 2],
      ["master", "true", 6],
    ]);
    const prod = parseUwsgiIni(text, "u.ini", { ...ctx, section: "prod" });
    expect(prod.options.map((o) => [o.key, o.value, o.range.line])).toEqual([["socket", "/b.sock", 4]]);
    expect(prod.problems).toEqual([]);
  });

  it("treats only ;/# at line start as comments, keeps quotes and inline ';' in the value", () => {
    const cfg = parseUwsgiIni('[uwsgi]\n  ; comment\n# comment\nsocket = "/tmp/a.sock"\nvacuum = true ; cleanup\nlog-format = %(addr) ; %(uri)\n', "u.ini", ctx);
    expect(cfg.options.map((o) => [o.key, o.value])).toEqual([
      ["socket", '"/tmp/a.sock"'],
      ["vacuum", "true ; cleanup"],
      ["log-format", "%(addr) ; %(uri)"],
    ]);
    expect(cfg.problems).toEqual([
      { range: { file: "u.ini", line: 4, column: 10, endLine: 4, endColumn: 23 }, message: `uWSGI keeps quotes: the value of 'socket' is "/tmp/a.sock" with the quotes` },
      { range: { file: "u.ini", line: 5, column: 15, endLine: 5, endColumn: 24 }, message: "';' after a value is not a comment in uWSGI ini: it is part of the value of 'vacuum'" },
    ]);
  });

  it("reads a bare key as a flag with an empty value, and splits at the first '='", () => {
    const cfg = parseUwsgiIni("[uwsgi]\nignore-sigpipe\nenv = DJANGO_SETTINGS_MODULE=proj.settings.prod\nempty =\n", "u.ini", ctx);
    expect(values(cfg.options)).toEqual([
      ["ignore-sigpipe", "", 2, 15, 15],
      ["env", "DJANGO_SETTINGS_MODULE=proj.settings.prod", 3, 7, 48],
      ["empty", "", 4, 8, 8],
    ]);
    expect(cfg.problems).toEqual([]);
  });

  it("handles CRLF line ends and surrounding blanks", () => {
    const cfg = parseUwsgiIni("[uwsgi]\r\n\tsocket\t=\t/tmp/a.sock \r\n", "u.ini", ctx);
    expect(values(cfg.options)).toEqual([["socket", "/tmp/a.sock", 2, 11, 22]]);
    expect(cfg.options[0]?.keyRange).toEqual({ file: "u.ini", line: 2, column: 2, endLine: 2, endColumn: 8 });
  });

  it("marks options inside if-*/for blocks as conditional", () => {
    const cfg = parseUwsgiIni("[uwsgi]\nsocket = /a.sock\nif-env = PROD\nsocket = /b.sock\nelse =\nsocket = /c.sock\nendif =\nmaster = true\n", "u.ini", ctx);
    expect(cfg.options.map((o) => [o.key, o.value, o.conditional ?? false])).toEqual([
      ["socket", "/a.sock", false],
      ["if-env", "PROD", false],
      ["socket", "/b.sock", true],
      ["else", "", false],
      ["socket", "/c.sock", true],
      ["endif", "", false],
      ["master", "true", false],
    ]);
  });
});

describe("parseUwsgiIni: placeholders", () => {
  const text = readFileSync(fixture("uwsgi/placeholders.ini"), "utf8");
  const env = (name: string): string | undefined => (name === "APP_PORT" ? "8000" : undefined);

  it("expands magic variables, %(option) references (first definition wins) and $(ENV)", () => {
    const cfg = parseUwsgiIni(text, "deploy/placeholders.ini", { runtimePath: "/etc/uwsgi/apps/placeholders.ini", env });
    expect(cfg.problems).toEqual([]);
    expect(cfg.options.map((o) => [o.rawKey, o.value, o.unresolved])).toEqual([
      ["project", "shop", undefined],
      ["base", "/srv/shop", undefined],
      ["chdir", "/srv/shop/src", undefined],
      ["socket", "/srv/shop/run/placeholders.sock", undefined],
      ["http-socket", ":8000", undefined],
      ["wsgi-file", "/etc/uwsgi/apps/wsgi.py", undefined],
      ["log-path", "/var/log/apps/placeholders.ini", undefined],
      ["pid-path", "/tmp/placeholders-ini.pid", undefined],
      ["env", "DJANGO_SETTINGS_MODULE=shop.settings.prod", undefined],
      ["literal", "100%", undefined],
      ["socket", "127.0.0.1:3031", undefined],
      ["project", "ignored-second-value", undefined],
    ]);
    expect(cfg.options[3]?.raw).toBe("%(base)/run/%n.sock");
    expect(cfg.options[3]?.range).toEqual({ file: "deploy/placeholders.ini", line: 6, column: 10, endLine: 6, endColumn: 29 });
  });

  it("keeps unknown env, runtime magic, @(file) and unknown %(refs) verbatim as unresolved", () => {
    const cfg = parseUwsgiIni(
      "[uwsgi]\nhttp-socket = :$(APP_PORT)\nprocesses = %k\nsecret = @(/run/secrets/key)\nsocket = %(base)/a.sock\nlog-format = %(addr) %(uri)\n",
      "u.ini",
      { runtimePath: "/etc/u.ini", env: noEnv },
    );
    expect(cfg.options.map((o) => [o.key, o.value, o.unresolved])).toEqual([
      ["http-socket", ":$(APP_PORT)", ["APP_PORT"]],
      ["processes", "%k", ["%k"]],
      ["secret", "@(/run/secrets/key)", ["@(/run/secrets/key)"]],
      ["socket", "%(base)/a.sock", ["%(base)"]],
      ["log-format", "%(addr) %(uri)", undefined],
    ]);
  });

  it("applies $(VAR:-default) and $(VAR-default) like uWSGI 2.0.22+", () => {
    const env = (name: string): string | undefined => ({ EMPTY: "", SET: "x" })[name];
    const cfg = parseUwsgiIni("[uwsgi]\na = $(UNSET:-d1)\nb = $(EMPTY:-d2)\nc = $(EMPTY-d3)\nd = $(SET:-d4)\ne = $(UNSET-d5)\n", "u.ini", { runtimePath: "/u.ini", env });
    expect(cfg.options.map((o) => [o.key, o.value, o.unresolved])).toEqual([
      ["a", "d1", undefined],
      ["b", "d2", undefined],
      ["c", "", undefined],
      ["d", "x", undefined],
      ["e", "d5", undefined],
    ]);
  });

  it("resolves set-placeholder values and propagates unresolved through references", () => {
    const cfg = parseUwsgiIni("[uwsgi]\nset-placeholder = root=/srv\nchdir = %(root)/app\nport = $(PORT)\nhttp-socket = :%(port)\n", "u.ini", { runtimePath: "/u.ini", env: noEnv });
    expect(cfg.options.map((o) => [o.key, o.value, o.unresolved])).toEqual([
      ["set-placeholder", "root=/srv", undefined],
      ["chdir", "/srv/app", undefined],
      ["port", "$(PORT)", ["PORT"]],
      ["http-socket", ":$(PORT)", ["PORT"]],
    ]);
  });

  it("does not loop on self-references", () => {
    const cfg = parseUwsgiIni("[uwsgi]\na = x%(b)\nb = y%(a)\n", "u.ini", { runtimePath: "/u.ini", env: noEnv });
    expect(cfg.options.map((o) => o.value)).toEqual(["xy%(a)", "y%(a)"]);
  });

  it("fills %x from the section asked for and %0.. from the path", () => {
    const cfg = parseUwsgiIni("[web]\nname = %x-%0-%1-%2\n", "u.ini", { runtimePath: "/etc/uwsgi/u.ini", env: noEnv, section: "web" });
    expect(cfg.options.map((o) => o.value)).toEqual(["web-etc-uwsgi-"]);
  });
});

describe("parseUwsgiIni: bad input", () => {
  it("reports garbage lines, misspelt keys, quotes, inline comments and a broken header", () => {
    const text = readFileSync(fixture("bad/garbage.ini"), "utf8");
    const cfg = parseUwsgiIni(text, "bad/garbage.ini", { runtimePath: "/etc/uwsgi/garbage.ini", env: noEnv });
    const r = (line: number, column: number, endColumn: number) => ({ file: "bad/garbage.ini", line, column, endLine: line, endColumn });
    expect(cfg.problems).toEqual([
      { range: r(2, 1, 21), message: "not an option line (expected 'key = value'): uWSGI takes the whole line as an option name and ignores it" },
      { range: r(4, 1, 27), message: "not an option line (expected 'key = value'): uWSGI takes the whole line as an option name and ignores it" },
      { range: r(5, 2, 15), message: "no option name before '=': uWSGI ignores this line" },
      { range: r(6, 1, 13), message: "uWSGI matches option names exactly: 'chmod_socket' is not 'chmod-socket' and is ignored" },
      { range: r(7, 10, 32), message: `uWSGI keeps quotes: the value of 'module' is "app.wsgi:application" with the quotes` },
      { range: r(8, 15, 33), message: "';' after a value is not a comment in uWSGI ini: it is part of the value of 'vacuum'" },
      { range: r(9, 1, 23), message: "section header does not end with ']': uWSGI reads its name as 'uwsgi ; broken heade'" },
    ]);
    expect(cfg.options.map((o) => [o.key, o.value, o.ignored ?? false])).toEqual([
      ["http-socket", ":8000", false],
      ["chmod-socket", "660", true],
      ["module", '"app.wsgi:application"', false],
      ["vacuum", "true ; clean up on exit", false],
    ]);
    // An option uWSGI ignores is not what it applies.
    expect(lastOption(cfg, "chmod-socket")).toBe(undefined);
  });

  it("reports a file without the section", () => {
    const text = readFileSync(fixture("bad/sectionless.ini"), "utf8");
    const cfg = parseUwsgiIni(text, "sectionless.ini", { runtimePath: "/sectionless.ini", env: noEnv });
    expect(cfg.options).toEqual([]);
    expect(cfg.problems).toEqual([
      { range: { file: "sectionless.ini", line: 1, column: 1, endLine: 1, endColumn: 7 }, message: "'socket' is before any [section] header: uWSGI ignores it" },
      { range: { file: "sectionless.ini", line: 1, column: 1, endLine: 1, endColumn: 1 }, message: "no [uwsgi] section: uWSGI reads no option from this file" },
    ]);
  });

  it("reports a section with spaces in its name", () => {
    const cfg = parseUwsgiIni("[ uwsgi ]\nsocket = /a.sock\n", "u.ini", { runtimePath: "/u.ini", env: noEnv });
    expect(cfg.options).toEqual([]);
    expect(cfg.problems.map((p) => [p.range.line, p.message])).toEqual([
      [1, "section name ' uwsgi ' has spaces: uWSGI compares names exactly, so this is not [uwsgi]"],
      [1, "no [uwsgi] section: uWSGI reads no option from this file"],
    ]);
  });

  it("refuses binary content", () => {
    const text = readFileSync(fixture("bad/binary.ini"), "latin1");
    expect(parseUwsgiIni(text, "binary.ini", { runtimePath: "/b.ini", env: noEnv })).toEqual({
      file: "binary.ini",
      options: [],
      problems: [{ range: { file: "binary.ini", line: 1, column: 1, endLine: 1, endColumn: 1 }, message: "binary content (NUL bytes): not a uWSGI ini file" }],
    });
  });

  it("returns the no-section problem for empty text", () => {
    expect(parseUwsgiIni("", "e.ini", { runtimePath: "/e.ini", env: noEnv }).problems.map((p) => p.message)).toEqual(["no [uwsgi] section: uWSGI reads no option from this file"]);
  });
});

describe("uwsgiOptionsFromArgv", () => {
  const argv = (text: string): LocatedString[] => splitShellWords(text, "cmd");

  it("reads --opt x, --opt=x, -s x, -sx, grouped flags and positional ini files", () => {
    const r = uwsgiOptionsFromArgv(argv("--socket :3031 --http-socket=0.0.0.0:8000 -s /tmp/a.sock -s/tmp/b.sock -Mp4 --chdir /code --env A=b --vacuum -C app.ini --ini /code/uwsgi.ini:prod"));
    expect(r.problems).toEqual([]);
    expect(r.options.map((o) => [o.key, o.rawKey, o.value, o.range.column, o.range.endColumn, o.keyRange.column, o.keyRange.endColumn])).toEqual([
      ["socket", "socket", ":3031", 10, 15, 1, 9],
      ["http-socket", "http-socket", "0.0.0.0:8000", 30, 42, 16, 29],
      ["socket", "s", "/tmp/a.sock", 46, 57, 43, 45],
      ["socket", "s", "/tmp/b.sock", 60, 71, 58, 60],
      ["master", "M", "true", 72, 74, 72, 74],
      ["processes", "p", "4", 75, 76, 74, 75],
      ["chdir", "chdir", "/code", 85, 90, 77, 84],
      ["env", "env", "A=b", 97, 100, 91, 96],
      ["vacuum", "vacuum", "true", 101, 109, 101, 109],
      ["chmod-socket", "C", "true", 110, 112, 110, 112],
    ]);
    expect(r.iniFiles.map((w) => [w.value, w.range.column, w.range.endColumn])).toEqual([
      ["app.ini", 113, 120],
      ["/code/uwsgi.ini:prod", 127, 147],
    ]);
    expect(r.options[4]?.raw).toBe("");
  });

  it("reads the seed's command (after wait-for-it) and a DefectDojo-like variable flag", () => {
    expect(uwsgiOptionsFromArgv(argv("--ini /code/config/uwsgi/uwsgi.ini")).iniFiles.map((w) => w.value)).toEqual(["/code/config/uwsgi/uwsgi.ini"]);
    const r = uwsgiOptionsFromArgv(argv(`"--\${UWSGI_MODE}" "\${UWSGI_ENDPOINT}" --protocol uwsgi --enable-threads --processes \${N:-2} --wsgi dojo.wsgi:application --buffer-size="\${B:-4096}"`));
    expect(r.problems).toEqual([]);
    expect(r.options.map((o) => [o.key, o.value, o.unresolved])).toEqual([
      ["${UWSGI_MODE}", "${UWSGI_ENDPOINT}", ["UWSGI_MODE", "UWSGI_ENDPOINT"]],
      ["protocol", "uwsgi", undefined],
      ["enable-threads", "true", undefined],
      ["processes", "${N:-2}", ["N"]],
      ["module", "dojo.wsgi:application", undefined],
      ["buffer-size", "${B:-4096}", ["B"]],
    ]);
  });

  it("takes a value that starts with '-' for options that require one, as getopt does", () => {
    const r = uwsgiOptionsFromArgv(argv("--logto -"));
    expect(r.options.map((o) => [o.key, o.value])).toEqual([["logto", "-"]]);
  });

  it("treats positional .py files as wsgi-file and stops options at --", () => {
    const r = uwsgiOptionsFromArgv(argv("--master -- app.wsgi --ini"));
    expect(r.options.map((o) => [o.key, o.value])).toEqual([
      ["master", "true"],
      ["wsgi-file", "app.wsgi"],
    ]);
    expect(r.problems.map((p) => p.message)).toEqual(["uWSGI cannot load '--ini': not an option and not a config file it knows by extension"]);
  });

  it("reports missing values, values on flags, unknown short flags, misspelt names and stray words", () => {
    const r = uwsgiOptionsFromArgv(argv("--master=1 -Z --chmod_socket=600 stray --socket"));
    expect(r.problems.map((p) => [p.message, p.range.column, p.range.endColumn])).toEqual([
      ["uWSGI's --master takes no value", 1, 11],
      ["uWSGI has no short option -Z", 12, 14],
      ["uWSGI does not know '--chmod_socket' (option names are exact: '--chmod-socket') and refuses to start", 15, 29],
      ["uWSGI cannot load 'stray': not an option and not a config file it knows by extension", 34, 39],
      ["--socket needs a value", 40, 48],
    ]);
    expect(r.options.map((o) => [o.key, o.value, o.ignored ?? false])).toEqual([
      ["master", "1", false],
      ["chmod-socket", "600", true],
    ]);
  });

  it("skips words that only a run-time expansion can tell", () => {
    const r = uwsgiOptionsFromArgv(argv("--ini a.ini $UWSGI_EXTRA_ARGS ${CONF}.ini"));
    expect(r.problems).toEqual([]);
    expect(r.options).toEqual([]);
    expect(r.iniFiles.map((w) => [w.value, w.unresolved])).toEqual([
      ["a.ini", undefined],
      ["${CONF}.ini", ["CONF"]],
    ]);
  });

  it("returns nothing for an empty argv", () => {
    expect(uwsgiOptionsFromArgv([])).toEqual({ options: [], iniFiles: [], problems: [] });
  });
});

describe("helpers", () => {
  it("normalises keys and splits ini references", () => {
    expect(["Chmod_Socket", "uwsgi_socket", "WSGI", "virtualenv", "${MODE}"].map(normaliseUwsgiKey)).toEqual(["chmod-socket", "socket", "module", "home", "${MODE}"]);
    expect(splitIniReference("/code/uwsgi.ini:prod")).toEqual({ path: "/code/uwsgi.ini", section: "prod" });
    expect(splitIniReference("/code/uwsgi.ini")).toEqual({ path: "/code/uwsgi.ini" });
    expect(splitIniReference("http://cfg.local/uwsgi.ini")).toEqual({ path: "http://cfg.local/uwsgi.ini" });
    expect(splitIniReference("http://cfg.local/uwsgi.ini:web")).toEqual({ path: "http://cfg.local/uwsgi.ini", section: "web" });
  });
});
