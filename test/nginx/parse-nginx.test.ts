import { describe, expect, it } from "vitest";
import { parseNginxConf, unescapeNginxWord, type NginxDirective } from "../../src/parsers/nginx.js";

const FILE = "deploy/nginx/default.conf";

function range(line: number, column: number, endLine: number, endColumn: number, file = FILE) {
  return { file, line, column, endLine, endColumn };
}

/** name + arg values of a directive list, blocks nested: a readable picture of the tree. */
function shape(list: NginxDirective[]): unknown[] {
  return list.map((d) => {
    const head = [d.name, ...d.args.map((a) => a.value)].join(" ");
    return d.block ? { [head]: shape(d.block) } : head;
  });
}

function only(text: string): NginxDirective {
  const conf = parseNginxConf(text, FILE);
  expect(conf.problems).toEqual([]);
  expect(conf.directives).toHaveLength(1);
  return conf.directives[0]!;
}

describe("parseNginxConf: tokens", () => {
  it("splits a simple directive into name and args with exact ranges", () => {
    const conf = parseNginxConf("listen 443 ssl;\n", FILE);
    expect(conf).toEqual({
      file: FILE,
      problems: [],
      directives: [
        {
          name: "listen",
          nameRange: range(1, 1, 1, 7),
          args: [
            { value: "443", raw: "443", quoted: false, range: range(1, 8, 1, 11) },
            { value: "ssl", raw: "ssl", quoted: false, range: range(1, 12, 1, 15) },
          ],
          range: range(1, 1, 1, 16),
        },
      ],
    });
  });

  it("accepts tabs, CR and several spaces between words, and a directive over several lines", () => {
    const d = only("proxy_set_header\tHost\r\n    $host  ;");
    expect(d.args.map((a) => a.value)).toEqual(["Host", "$host"]);
    expect(d.args[1]!.range).toEqual(range(2, 5, 2, 10));
    expect(d.range).toEqual(range(1, 1, 2, 13));
  });

  it("ends an unquoted word at ';' and '{' without a space, but not at '}'", () => {
    const conf = parseNginxConf("a b;c{d e;}f g}h;", FILE);
    expect(conf.problems).toEqual([]);
    expect(shape(conf.directives)).toEqual(["a b", { c: ["d e"] }, "f g}h"]);
    expect(conf.directives[2]!.args[0]).toEqual({ value: "g}h", raw: "g}h", quoted: false, range: range(1, 14, 1, 17) });
  });

  it("reads double- and single-quoted args without their quotes, keeping the raw token", () => {
    const d = only(`add_header Content-Security-Policy "default-src 'self'; img-src *" always;`);
    expect(d.args).toEqual([
      { value: "Content-Security-Policy", raw: "Content-Security-Policy", quoted: false, range: range(1, 12, 1, 35) },
      { value: "default-src 'self'; img-src *", raw: `"default-src 'self'; img-src *"`, quoted: true, range: range(1, 36, 1, 67) },
      { value: "always", raw: "always", quoted: false, range: range(1, 68, 1, 74) },
    ]);
    const s = only(`return 200 'say "hi" {to} #all';`);
    expect(s.args[1]).toEqual({ value: 'say "hi" {to} #all', raw: `'say "hi" {to} #all'`, quoted: true, range: range(1, 12, 1, 32) });
  });

  it("keeps an empty quoted string as an empty arg", () => {
    const d = only(`map_hash_bucket_size "" '';`);
    expect(d.args.map((a) => [a.value, a.raw, a.quoted])).toEqual([
      ["", '""', true],
      ["", "''", true],
    ]);
  });

  it("resolves backslash escapes the way nginx stores the word", () => {
    const d = only(String.raw`return 200 "a\"b\'c\\d\te\nf\dg" x\ y\;z;`);
    expect(d.args[1]!.value).toBe('a"b\'c\\d\te\nf\\dg');
    expect(d.args[1]!.raw).toBe(String.raw`"a\"b\'c\\d\te\nf\dg"`);
    // An escaped space or ';' does not end an unquoted word; the backslash stays (nginx keeps unknown escapes).
    expect(d.args[2]).toEqual({ value: "x\\ y\\;z", raw: "x\\ y\\;z", quoted: false, range: range(1, 34, 1, 41) });
    expect(d.args).toHaveLength(3);
  });

  it("unescapeNginxWord keeps a trailing backslash and unknown escapes", () => {
    expect(unescapeNginxWord(String.raw`\.(js|css)$`)).toBe(String.raw`\.(js|css)$`);
    expect(unescapeNginxWord("end\\")).toBe("end\\");
    expect(unescapeNginxWord(String.raw`\\\"`)).toBe('\\"');
    expect(unescapeNginxWord("plain")).toBe("plain");
  });

  it("treats '#' as a comment only at the start of a word", () => {
    const conf = parseNginxConf(
      ["# leading comment", "root /srv/www; # trailing", "set $a foo#bar;", 'set $b "#not a comment";', "  #indented { ; }", "x;"].join("\n"),
      FILE,
    );
    expect(conf.problems).toEqual([]);
    expect(shape(conf.directives)).toEqual(["root /srv/www", "set $a foo#bar", "set $b #not a comment", "x"]);
    expect(conf.directives[0]!.range).toEqual(range(2, 1, 2, 15));
    expect(conf.directives[3]!.range).toEqual(range(6, 1, 6, 3));
  });

  it("ends a comment at LF only, also in CRLF files", () => {
    const conf = parseNginxConf("# c1\r\nlisten 80; # c2\r\nlisten 81;\r\n", FILE);
    expect(conf.problems).toEqual([]);
    expect(conf.directives.map((d) => [d.args[0]!.value, d.range])).toEqual([
      ["80", range(2, 1, 2, 11)],
      ["81", range(3, 1, 3, 11)],
    ]);
  });

  it("counts columns in UTF-16 code units", () => {
    const d = only('add_header X-Note "😀é" always;');
    expect(d.args[1]!.range).toEqual(range(1, 19, 1, 24));
    expect(d.args[2]!.range).toEqual(range(1, 25, 1, 31));
  });

  it("keeps $var and ${VAR} verbatim; '{' right after '$' does not open a block", () => {
    const d = only("uwsgi_pass ${APP_HOST}:${APP_PORT};");
    expect(d.args).toEqual([{ value: "${APP_HOST}:${APP_PORT}", raw: "${APP_HOST}:${APP_PORT}", quoted: false, range: range(1, 12, 1, 35) }]);
    const r = only("return 301 https://$host${request_uri}x;");
    expect(r.args[1]!.value).toBe("https://$host${request_uri}x");
  });

  it("opens a block at an unquoted regex quantifier '{' (as nginx does) but not inside quotes", () => {
    const unquoted = parseNginxConf("location ~ ^/a{2}$ { }", FILE);
    // nginx reads `location ~ ^/a {` whose block holds `2}$ { }`: the '}' in `2}$` is part of a word,
    // so the location block is never closed.
    expect(shape(unquoted.directives)).toEqual([{ "location ~ ^/a": [{ "2}$": [] }] }]);
    expect(unquoted.problems).toEqual([{ range: range(1, 15, 1, 16), message: `unexpected end of file, expecting "}"` }]);
    const quoted = only('location ~ "^/a{2}$" { }');
    expect(quoted.args.map((a) => a.value)).toEqual(["~", "^/a{2}$"]);
    expect(quoted.block).toEqual([]);
  });

  it("splits `if (... \"x\")` like nginx: the ')' after a quoted word is its own arg", () => {
    const d = only('if ($request_method = "POST") { return 405; }');
    expect(d.args.map((a) => a.raw)).toEqual(["($request_method", "=", '"POST"', ")"]);
    expect(d.args[3]!.range).toEqual(range(1, 29, 1, 30));
    expect(shape(d.block!)).toEqual(["return 405"]);
  });

  it("takes a quoted directive name like nginx", () => {
    const d = only('"listen" 80;');
    expect(d.name).toBe("listen");
    expect(d.nameRange).toEqual(range(1, 1, 1, 9));
  });

  it("returns no directives and no problems for empty and comment-only text", () => {
    expect(parseNginxConf("", FILE)).toEqual({ file: FILE, directives: [], problems: [] });
    expect(parseNginxConf("  \n# only a comment", FILE)).toEqual({ file: FILE, directives: [], problems: [] });
  });
});

describe("parseNginxConf: structure and positions", () => {
  const conf = parseNginxConf(
    [
      /* 1 */ "upstream django {",
      /* 2 */ "    server unix:/run/uwsgi/app.sock fail_timeout=0;",
      /* 3 */ "}",
      /* 4 */ "server {",
      /* 5 */ "    listen 80;",
      /* 6 */ "    location /static/ {",
      /* 7 */ "        alias /srv/app/static/;",
      /* 8 */ "        location ~* \\.(css|js)$ {",
      /* 9 */ "            expires 1y;",
      /* 10 */ "        }",
      /* 11 */ "    }",
      /* 12 */ "    location ^~ /media/ { alias /srv/app/media/; }",
      /* 13 */ "    location = /robots.txt { return 200; }",
      /* 14 */ "    location / { try_files $uri @django; }",
      /* 15 */ "    location @django {",
      /* 16 */ "        include uwsgi_params;",
      /* 17 */ "        uwsgi_pass django;",
      /* 18 */ "    }",
      /* 19 */ "}",
    ].join("\n"),
    FILE,
  );

  it("parses without problems into the expected tree", () => {
    expect(conf.problems).toEqual([]);
    expect(shape(conf.directives)).toEqual([
      { "upstream django": ["server unix:/run/uwsgi/app.sock fail_timeout=0"] },
      {
        server: [
          "listen 80",
          { "location /static/": ["alias /srv/app/static/", { "location ~* \\.(css|js)$": ["expires 1y"] }] },
          { "location ^~ /media/": ["alias /srv/app/media/"] },
          { "location = /robots.txt": ["return 200"] },
          { "location /": ["try_files $uri @django"] },
          { "location @django": ["include uwsgi_params", "uwsgi_pass django"] },
        ],
      },
    ]);
  });

  it("locates the upstream unix socket", () => {
    const server = conf.directives[0]!.block![0]!;
    expect(server.args[0]).toEqual({ value: "unix:/run/uwsgi/app.sock", raw: "unix:/run/uwsgi/app.sock", quoted: false, range: range(2, 12, 2, 36) });
    expect(server.range).toEqual(range(2, 5, 2, 52));
  });

  it("locates an alias argument exactly", () => {
    const alias = conf.directives[1]!.block![1]!.block![0]!;
    expect(alias.name).toBe("alias");
    expect(alias.nameRange).toEqual(range(7, 9, 7, 14));
    expect(alias.args[0]!.range).toEqual(range(7, 15, 7, 31));
    expect(alias.range).toEqual(range(7, 9, 7, 32));
  });

  it("gives block directives a range up to their closing brace", () => {
    const server = conf.directives[1]!;
    expect(server.range).toEqual(range(4, 1, 19, 2));
    const staticLoc = server.block![1]!;
    expect(staticLoc.range).toEqual(range(6, 5, 11, 6));
    const nested = staticLoc.block![1]!;
    expect(nested.args.map((a) => a.range)).toEqual([range(8, 18, 8, 20), range(8, 21, 8, 32)]);
    expect(nested.range).toEqual(range(8, 9, 10, 10));
    const media = server.block![2]!;
    expect(media.range).toEqual(range(12, 5, 12, 51));
  });

  it("keeps location modifiers and named locations as plain args", () => {
    const mods = conf.directives[1]!.block!.filter((d) => d.name === "location").map((d) => d.args.map((a) => a.value));
    expect(mods).toEqual([["/static/"], ["^~", "/media/"], ["=", "/robots.txt"], ["/"], ["@django"]]);
  });

  it("parses map blocks with quoted regex keys, hostnames and default", () => {
    const map = only(
      [
        "map $http_host $backend {",
        "    hostnames;",
        "    default        app;",
        "    *.example.com  app2;",
        '    "~^(?<sub>[a-z]{3,8})\\.example\\.org$" $sub;',
        "    ''             none;",
        "}",
      ].join("\n"),
    );
    expect(map.args.map((a) => a.value)).toEqual(["$http_host", "$backend"]);
    expect(shape(map.block!)).toEqual(["hostnames", "default app", "*.example.com app2", "~^(?<sub>[a-z]{3,8})\\.example\\.org$ $sub", " none"]);
    const regexKey = map.block![3]!;
    expect(regexKey.name).toBe("~^(?<sub>[a-z]{3,8})\\.example\\.org$");
    expect(regexKey.nameRange).toEqual(range(5, 5, 5, 42));
    expect(map.block![4]!.name).toBe("");
  });

  it("parses a full http/events layout with types and if blocks", () => {
    const full = parseNginxConf(
      "events { worker_connections 1024; }\nhttp {\n  types { text/html html htm; application/json json; }\n  server { if ($host != example.com) { return 444; } }\n}\n",
      FILE,
    );
    expect(full.problems).toEqual([]);
    expect(shape(full.directives)).toEqual([
      { events: ["worker_connections 1024"] },
      { http: [{ types: ["text/html html htm", "application/json json"] }, { server: [{ "if ($host != example.com)": ["return 444"] }] }] },
    ]);
  });

  it("parses an envsubst template with ${VAR} in names, args and quoted strings", () => {
    const tpl = parseNginxConf(
      [
        "server {",
        "    listen ${NGINX_PORT};",
        "    server_name ${NGINX_HOST} www.${NGINX_HOST};",
        '    add_header X-App "${APP_NAME}-$host";',
        "    location ${STATIC_URL} { alias ${STATIC_ROOT}/; }",
        "    location / { uwsgi_pass ${APP_HOST}:${APP_PORT}; }",
        "}",
      ].join("\n"),
      "proxy/default.conf.tpl",
    );
    expect(tpl.problems).toEqual([]);
    const server = tpl.directives[0]!;
    expect(shape(server.block!)).toEqual([
      "listen ${NGINX_PORT}",
      "server_name ${NGINX_HOST} www.${NGINX_HOST}",
      "add_header X-App ${APP_NAME}-$host",
      { "location ${STATIC_URL}": ["alias ${STATIC_ROOT}/"] },
      { "location /": ["uwsgi_pass ${APP_HOST}:${APP_PORT}"] },
    ]);
    const alias = server.block![3]!.block![0]!;
    expect(alias.args[0]!.range).toEqual(range(5, 36, 5, 51, "proxy/default.conf.tpl"));
    expect(server.block![1]!.args[1]!.range).toEqual(range(3, 31, 3, 48, "proxy/default.conf.tpl"));
  });
});
