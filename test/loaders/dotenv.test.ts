import { describe, expect, it } from "vitest";
import dotenv from "dotenv";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { dotenvValues, parseDotenv } from "../../src/parsers/dotenv.js";
import { toolAvailable } from "../support/tools.js";

const F = ".env";

function asObject(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, entry] of dotenvValues(parseDotenv(text, F, "node"))) out[name] = entry.value;
  return out;
}

describe("parseDotenv (node flavour): dotenv.parse is the oracle", () => {
  // Every row must give exactly the name→value map that the real dotenv gives.
  const table: [string, string][] = [
    ["plain", "A=1\nB=two\n"],
    ["empty value", "EMPTY=\nNEXT=x"],
    ["spaces around =", "A = spaced value  \n  B=  lead"],
    ["export prefix", "export A=1\nexport   B=2\nexportC=3"],
    ["colon separator", "A: colon\nB:nospace\nC:  two spaces"],
    ["single quotes keep \\n literal", "A='a\\nb'\nB='#not comment'"],
    ["double quotes expand \\n and \\r", 'A="a\\nb"\nB="c\\rd"\nC="x # y"'],
    ["backticks", "A=`it's \"mixed\"`\nB=`a\\nb`"],
    ["inline comments", "A=value # comment\nB=value#tight\nC='quoted' # after\n# whole line\n   # indented"],
    ["hash in quotes", 'A="a#b"\nB=\'c#d\''],
    ["multi-line double quotes", 'KEY="line one\nline two"\nAFTER=1'],
    ["multi-line single quotes", "KEY='l1\nl2'\nAFTER=1"],
    ["unterminated double quote", 'A="open\nB=2'],
    ["unterminated single quote", "A='open\nB=2\n"],
    ["text after closing quote", "A='a' b\nB=\"c\" d"],
    ["escaped quote inside", 'A="say \\"hi\\""\nB=\'it\\\'s\''],
    ["duplicates: last wins", "A=1\nA=2\nB=x\nA=3"],
    ["CRLF", "A=1\r\nB=\"x\r\ny\"\r\nC=3\r\n"],
    ["lone CR", "A=1\rB=2\r"],
    ["value on the next line after =", 'A=\n"next"\nB=1'],
    ["colon then newline", "A:\nvalue\nB=1"],
    ["dots and dashes in names", "a.b-c=1\n_X=2\n9N=3"],
    ["junk lines", "just words\nA=1\n= no name\nB C=2\n[section]\nD=4"],
    ["trailing whitespace", "A=abc   \t\nB='q'   \n"],
    ["unicode", "NAME=żółć ☃\nEMOJI=\"😀 x\""],
    ["binary-ish", "A=\u0001\u0002\nB=ok\n\u0000\u0000\nC=\u00ff"],
    ["no trailing newline", "LAST=1"],
    ["empty file", ""],
    ["only comments", "# a\n\n# b\n"],
    ["equals in value", "URL=postgres://u:p@db:5432/x?a=b"],
    ["quoted empty", "A=''\nB=\"\"\nC=``"],
    ["django-ish", "DJANGO_SECRET_KEY='dj@ng0-$ecret#x'\nDEBUG=False\nALLOWED_HOSTS=example.com,www.example.com\n"],
  ];
  it.each(table)("%s", (_name, text) => {
    expect(asObject(text)).toEqual({ ...dotenv.parse(text) });
  });
});

describe("parseDotenv: ranges", () => {
  it("locates name, value and whole entry on one line", () => {
    const f = parseDotenv("# c\nexport  SECRET_KEY = 'abc' # note\n", F);
    expect(f.problems).toEqual([]);
    expect(f.entries).toHaveLength(1);
    const e = f.entries[0]!;
    expect(e.name).toBe("SECRET_KEY");
    expect(e.value).toBe("abc");
    expect(e.range).toEqual({ file: F, line: 2, column: 1, endLine: 2, endColumn: 27 });
    expect(e.nameRange).toEqual({ file: F, line: 2, column: 9, endLine: 2, endColumn: 19 });
    expect(e.valueRange).toEqual({ file: F, line: 2, column: 22, endLine: 2, endColumn: 27 });
  });

  it("spans all lines of a multi-line value", () => {
    const f = parseDotenv('A=1\nCERT="-----BEGIN\nabc\n-----END"\nB=2\n', F);
    expect(f.entries.map((e) => e.name)).toEqual(["A", "CERT", "B"]);
    const cert = f.entries[1]!;
    expect(cert.value).toBe("-----BEGIN\nabc\n-----END");
    expect(cert.range).toEqual({ file: F, line: 2, column: 1, endLine: 4, endColumn: 10 });
    expect(cert.valueRange).toEqual({ file: F, line: 2, column: 6, endLine: 4, endColumn: 10 });
    expect(f.entries[2]!.range).toEqual({ file: F, line: 5, column: 1, endLine: 5, endColumn: 4 });
  });

  it("gives an empty value an empty range right after the separator", () => {
    const f = parseDotenv("  EMPTY=   # nothing\n", F, "node");
    const e = f.entries[0]!;
    expect(e.value).toBe("");
    expect(e.range).toEqual({ file: F, line: 1, column: 3, endLine: 1, endColumn: 9 });
    expect(e.valueRange).toEqual({ file: F, line: 1, column: 9, endLine: 1, endColumn: 9 });
  });

  it("maps CRLF files back to their original columns", () => {
    const f = parseDotenv("A=1\r\nBB=\"x\r\ny\"\r\n", F);
    expect(f.entries[1]!.value).toBe("x\ny");
    expect(f.entries[1]!.valueRange).toEqual({ file: F, line: 2, column: 4, endLine: 3, endColumn: 3 });
  });

  it("counts columns in UTF-16 code units", () => {
    const f = parseDotenv("E=😀 \nX=1", F);
    expect(f.entries[0]!.valueRange).toEqual({ file: F, line: 1, column: 3, endLine: 1, endColumn: 5 });
    expect(f.entries[1]!.nameRange).toEqual({ file: F, line: 2, column: 1, endLine: 2, endColumn: 2 });
  });

  it("takes a quoted value from the next line, as dotenv does", () => {
    const f = parseDotenv('A=\n  "v"\n', F);
    expect(f.entries[0]!.value).toBe("v");
    expect(f.entries[0]!.valueRange).toEqual({ file: F, line: 2, column: 3, endLine: 2, endColumn: 6 });
    expect(f.problems).toEqual([]);
  });
});

describe("parseDotenv: bad input", () => {
  it("reports every line that is not an assignment and keeps going", () => {
    const f = parseDotenv("A=1\n  just words here\nB=2\n= x\nC:nospace\n", F);
    expect(f.entries.map((e) => [e.name, e.value])).toEqual([
      ["A", "1"],
      ["B", "2"],
    ]);
    expect(f.problems).toEqual([
      { range: { file: F, line: 2, column: 3, endLine: 2, endColumn: 18 }, message: "not a KEY=VALUE line; dotenv ignores it" },
      { range: { file: F, line: 4, column: 1, endLine: 4, endColumn: 4 }, message: "not a KEY=VALUE line; dotenv ignores it" },
      { range: { file: F, line: 5, column: 1, endLine: 5, endColumn: 10 }, message: "not a KEY=VALUE line; dotenv ignores it" },
    ]);
  });

  it("reports an unterminated quote and keeps dotenv's value", () => {
    const f = parseDotenv("PASSWORD=\"abc\nNEXT=1\n", F);
    expect(dotenvValues(f).get("PASSWORD")?.value).toBe('"abc');
    expect(dotenvValues(f).get("NEXT")?.value).toBe("1");
    expect(f.problems).toEqual([
      {
        range: { file: F, line: 1, column: 10, endLine: 1, endColumn: 14 },
        message: 'value of PASSWORD opens a " quote that does not close at its end; dotenv keeps it as written, quote included',
      },
    ]);
  });

  it("reports text after a closing quote", () => {
    const f = parseDotenv("A='x' y\n", F);
    expect(f.entries[0]!.value).toBe("'x' y");
    expect(f.problems.map((p) => p.range)).toEqual([{ file: F, line: 1, column: 3, endLine: 1, endColumn: 8 }]);
  });

  it("survives binary-ish text", () => {
    const f = parseDotenv("\u0000\u0001junk\nOK=1\n\uFFFD\uFFFD=2\n", F);
    expect([...dotenvValues(f).keys()]).toEqual(["OK"]);
    expect(f.problems.map((p) => p.range.line)).toEqual([1, 3]);
  });

  it("last duplicate wins and keeps its own location", () => {
    const f = parseDotenv("A=1\nA=2\n", F);
    const a = dotenvValues(f).get("A")!;
    expect(a.value).toBe("2");
    expect(a.range.line).toBe(2);
    expect(f.entries).toHaveLength(2);
  });
});

describe("parseDotenv (compose flavour, the default): docker-compose 1.29 is the oracle", () => {
  // env_file contents as compose hands them to the container (no `$` expansion here: not modelled).
  const table: [string, string][] = [
    ["hash inside an unquoted value", "SECRET_KEY=q8v#2mz!r6t@k1w\nB=a#b #comment\n"],
    ["comment after whitespace", "A=value # comment\nB=value\t#tab comment\n"],
    ["value starting with #", "A=#x\nB= #y\n"],
    ["quotes and escapes", 'A="q\\"x\\ty" # c\nB=\'single # kept\'\nC="two\\nlines"\n'],
    ["export and spaces", "export A=1\nB = spaced \n"],
    ["django-ish", "DJANGO_SECRET_KEY='dj@ng0-ecret#x'\nDEBUG=False\nALLOWED_HOSTS=example.com,www.example.com\n"],
  ];
  const available = toolAvailable("docker-compose", ["docker-compose", "version"]);
  it.skipIf(!available).each(table)("%s", (_name, text) => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-envfile-"));
    writeFileSync(join(dir, "web.env"), text);
    writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    image: x\n    env_file: web.env\n");
    const out = execFileSync("docker-compose", ["config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir }, encoding: "utf8" });
    const theirs = (parseYaml(out) as { services: { web: { environment?: Record<string, string> } } }).services.web.environment ?? {};
    const ours = Object.fromEntries([...dotenvValues(parseDotenv(text, "web.env"))].map(([k, e]) => [k, e.value]));
    expect(ours).toEqual(Object.fromEntries(Object.entries(theirs).map(([k, v]) => [k, String(v)])));
  });
});
