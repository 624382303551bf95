import { describe, expect, it } from "vitest";
import { MAX_NGINX_BLOCK_DEPTH, MAX_NGINX_PROBLEMS, parseNginxConf, type NginxDirective } from "../../src/parsers/nginx.js";

const FILE = "nginx/site.conf";

function range(line: number, column: number, endLine: number, endColumn: number) {
  return { file: FILE, line, column, endLine, endColumn };
}

function shape(list: NginxDirective[]): unknown[] {
  return list.map((d) => {
    const head = [d.name, ...d.args.map((a) => a.value)].join(" ");
    return d.block ? { [head]: shape(d.block) } : head;
  });
}

describe("parseNginxConf: bad input gives located problems and keeps what parsed", () => {
  it("unclosed '{': problem at the brace, the block keeps its directives and runs to the end of file", () => {
    const conf = parseNginxConf("server {\n    listen 80;\n    location / {\n        root /srv;\n", FILE);
    expect(conf.problems).toEqual([
      { range: range(1, 8, 1, 9), message: `unexpected end of file, expecting "}"` },
      { range: range(3, 16, 3, 17), message: `unexpected end of file, expecting "}"` },
    ]);
    expect(shape(conf.directives)).toEqual([{ server: ["listen 80", { "location /": ["root /srv"] }] }]);
    expect(conf.directives[0]!.range).toEqual(range(1, 1, 5, 1));
    expect(conf.directives[0]!.block![1]!.range).toEqual(range(3, 5, 5, 1));
  });

  it("unexpected '}' at file level: problem at it, parsing goes on", () => {
    const conf = parseNginxConf("events {}\n}\nhttp { }\n", FILE);
    expect(conf.problems).toEqual([{ range: range(2, 1, 2, 2), message: `unexpected "}"` }]);
    expect(shape(conf.directives)).toEqual([{ events: [] }, { http: [] }]);
  });

  it("missing ';' before a '}' at file level: one problem for that '}'", () => {
    const conf = parseNginxConf("gzip on\n}\nlisten 80;", FILE);
    expect(conf.problems).toEqual([{ range: range(2, 1, 2, 2), message: `unexpected "}": directive "gzip" is not terminated by ";"` }]);
    expect(shape(conf.directives)).toEqual(["gzip on", "listen 80"]);
    expect(conf.directives[0]!.range).toEqual(range(1, 1, 1, 8));
  });

  it("missing ';' before '}': problem at the '}' (where nginx reports it), the directive is kept", () => {
    const conf = parseNginxConf("location /static/ {\n    alias /srv/static/\n}\nlisten 80;", FILE);
    expect(conf.problems).toEqual([{ range: range(3, 1, 3, 2), message: `unexpected "}": directive "alias" is not terminated by ";"` }]);
    const alias = conf.directives[0]!.block![0]!;
    expect(alias.args[0]!.value).toBe("/srv/static/");
    expect(alias.range).toEqual(range(2, 5, 2, 23));
    expect(conf.directives[0]!.range).toEqual(range(1, 1, 3, 2));
    expect(shape(conf.directives)).toEqual([{ "location /static/": ["alias /srv/static/"] }, "listen 80"]);
  });

  it("missing ';' at end of file: problem over the unterminated directive", () => {
    const conf = parseNginxConf("listen 80;\nserver_name example.com www.example.com\n", FILE);
    expect(conf.problems).toEqual([
      { range: range(2, 1, 2, 40), message: `unexpected end of file: directive "server_name" is not terminated by ";"` },
    ]);
    expect(shape(conf.directives)).toEqual(["listen 80", "server_name example.com www.example.com"]);
    expect(conf.directives[1]!.range).toEqual(range(2, 1, 2, 40));
  });

  it("missing ';' and '}' at end of file: both reported, innermost directive kept", () => {
    const conf = parseNginxConf("http { server { listen 80", FILE);
    expect(conf.problems).toEqual([
      { range: range(1, 6, 1, 7), message: `unexpected end of file, expecting "}"` },
      { range: range(1, 15, 1, 16), message: `unexpected end of file, expecting "}"` },
      { range: range(1, 17, 1, 26), message: `unexpected end of file: directive "listen" is not terminated by ";"` },
    ]);
    expect(shape(conf.directives)).toEqual([{ http: [{ server: ["listen 80"] }] }]);
  });

  it("unterminated double quote: problem at the opening quote, the broken word is dropped", () => {
    const conf = parseNginxConf('server {\n    listen 80;\n    return 200 "hello;\n}\n', FILE);
    expect(conf.problems).toEqual([
      { range: range(1, 8, 1, 9), message: `unexpected end of file, expecting "}"` },
      { range: range(3, 16, 3, 17), message: "unterminated double-quoted string (unexpected end of file)" },
    ]);
    expect(shape(conf.directives)).toEqual([{ server: ["listen 80", "return 200"] }]);
  });

  it("unterminated single quote, with an escaped quote inside that does not close it", () => {
    const conf = parseNginxConf("set $a 'it\\'s;", FILE);
    expect(conf.problems).toEqual([{ range: range(1, 8, 1, 9), message: "unterminated single-quoted string (unexpected end of file)" }]);
    expect(shape(conf.directives)).toEqual(["set $a"]);
  });

  it("a character glued to a closing quote is reported where nginx reports it", () => {
    const conf = parseNginxConf('add_header X "a"b;\nlisten 80;', FILE);
    expect(conf.problems).toEqual([{ range: range(1, 17, 1, 18), message: `unexpected "b" after a quoted string, expecting a space, ";" or "{"` }]);
    expect(shape(conf.directives)).toEqual(["add_header X a b", "listen 80"]);
  });

  it("a quoted word glued to '}' is reported once, as a missing ';'", () => {
    const conf = parseNginxConf('location / { return 200 "ok"}', FILE);
    expect(conf.problems).toEqual([{ range: range(1, 29, 1, 30), message: `unexpected "}": directive "return" is not terminated by ";"` }]);
    expect(shape(conf.directives)).toEqual([{ "location /": ["return 200 ok"] }]);
  });

  it("a stray ';' is reported and skipped", () => {
    const conf = parseNginxConf("listen 80;;\n;", FILE);
    expect(conf.problems).toEqual([
      { range: range(1, 11, 1, 12), message: `unexpected ";"` },
      { range: range(2, 1, 2, 2), message: `unexpected ";"` },
    ]);
    expect(shape(conf.directives)).toEqual(["listen 80"]);
  });

  it("a '{' without a directive name is reported; its block is dropped but its braces still balance", () => {
    const conf = parseNginxConf("server {\n    { listen 80; }\n    listen 81;\n}\n", FILE);
    expect(conf.problems).toEqual([{ range: range(2, 5, 2, 6), message: `unexpected "{"` }]);
    expect(shape(conf.directives)).toEqual([{ server: ["listen 81"] }]);
    expect(conf.directives[0]!.range).toEqual(range(1, 1, 4, 2));
  });

  it("a nameless '{' left open is reported twice: unexpected, then unclosed", () => {
    const conf = parseNginxConf("{ a;", FILE);
    expect(conf.problems).toEqual([
      { range: range(1, 1, 1, 2), message: `unexpected "{"` },
      { range: range(1, 1, 1, 2), message: `unexpected end of file, expecting "}"` },
    ]);
    expect(conf.directives).toEqual([]);
  });

  it(`stops at blocks nested deeper than ${MAX_NGINX_BLOCK_DEPTH} levels and keeps what came before`, () => {
    const depth = MAX_NGINX_BLOCK_DEPTH + 5;
    const text = "a {".repeat(depth) + "}".repeat(depth);
    const conf = parseNginxConf(text, FILE);
    const braceColumn = MAX_NGINX_BLOCK_DEPTH * 3 + 3;
    expect(conf.problems).toEqual([
      {
        range: range(1, braceColumn, 1, braceColumn + 1),
        message: `blocks nested more than ${MAX_NGINX_BLOCK_DEPTH} levels deep; the rest of the file is not parsed`,
      },
    ]);
    let levels = 0;
    let list = conf.directives;
    while (list.length > 0) {
      levels++;
      list = list[0]!.block!;
    }
    expect(levels).toBe(MAX_NGINX_BLOCK_DEPTH);
    expect(conf.directives[0]!.range).toEqual(range(1, 1, 1, braceColumn));
  });

  it("never throws, and keeps every range inside the text, on random input", () => {
    // A fixed-seed generator: the same inputs on every run.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const alphabet = ['"', "'", "\\", "{", "}", ";", "#", "$", " ", "\n", "\r", "\t", "a", "b", "(", ")", "😀"];
    for (let n = 0; n < 3000; n++) {
      let text = "";
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const conf = parseNginxConf(text, FILE);
      const lineCount = text.split(/\r\n|\r|\n/).length;
      const check = (r: { line: number; column: number; endLine: number; endColumn: number }) => {
        expect(r.line).toBeGreaterThanOrEqual(1);
        expect(r.endLine).toBeLessThanOrEqual(lineCount);
        expect(r.endLine > r.line || (r.endLine === r.line && r.endColumn >= r.column)).toBe(true);
      };
      for (const p of conf.problems) check(p.range);
      const visit = (list: NginxDirective[]) => {
        for (const d of list) {
          check(d.range);
          check(d.nameRange);
          d.args.forEach((a) => check(a.range));
          if (d.block) visit(d.block);
        }
      };
      visit(conf.directives);
    }
  });
});

describe("parseNginxConf: large input", () => {
  const server = [
    "server {",
    "    listen 443 ssl;",
    '    server_name "example.com" ${HOST};',
    "    # a comment line",
    "    location ~* \"\\.(css|js){1}$\" { expires 1y; }",
    "    location / { include uwsgi_params; uwsgi_pass unix:/run/uwsgi/app.sock; }",
    "}",
    "",
  ].join("\n");

  it("parses 10 MB of config in linear time", () => {
    const copies = Math.ceil((10 * 1024 * 1024) / server.length);
    const text = `http {\n${server.repeat(copies)}}\n`;
    const started = performance.now();
    const conf = parseNginxConf(text, FILE);
    const elapsed = performance.now() - started;
    expect(conf.problems).toEqual([]);
    expect(conf.directives[0]!.block).toHaveLength(copies);
    const last = conf.directives[0]!.block![copies - 1]!;
    expect(last.range).toEqual(range(2 + (copies - 1) * 7, 1, 8 + (copies - 1) * 7, 2));
    expect(elapsed).toBeLessThan(10_000);
  });

  it("handles 10 MB of pathological text (one word, one quote, only braces, only backslashes) fast", () => {
    const size = 10 * 1024 * 1024;
    const cases: Array<[string, number]> = [
      ["x".repeat(size), 1],
      ['"' + "a".repeat(size), 1],
      // 100 nameless blocks, then the depth limit stops the parse.
      ["{".repeat(size), MAX_NGINX_BLOCK_DEPTH + 1],
      // The first MAX_NGINX_PROBLEMS, then one line that counts the rest.
      ["}".repeat(size), MAX_NGINX_PROBLEMS + 1],
      ["\\".repeat(size), 1],
      ["#".repeat(size), 0],
    ];
    for (const [text, problemCount] of cases) {
      const started = performance.now();
      const conf = parseNginxConf(text, FILE);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(conf.problems).toHaveLength(problemCount);
    }
  });
});
