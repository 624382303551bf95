import { describe, expect, it } from "vitest";
import { duplicateDirectiveProblems, NGINX_SINGLE_DIRECTIVES } from "../../src/model/nginx-duplicates.js";
import { expandIncludes } from "../../src/model/nginx-includes.js";
import { parseNginxConf } from "../../src/parsers/nginx.js";
import { MemoryResolver } from "./memory-resolver.js";

const FILE = "nginx/site.conf";

/** [line, column, message] of every duplicate in one file (no includes followed). */
function duplicates(text: string): Array<[number, number, string]> {
  const conf = parseNginxConf(text, FILE);
  expect(conf.problems).toEqual([]);
  return duplicateDirectiveProblems(conf.directives).map((p) => [p.range.line, p.range.column, p.message]);
}

const refused = (name: string, line: number) => `"${name}" directive is duplicate (first at line ${line}): nginx -t refuses the configuration; keep one of them`;

describe("directives nginx refuses twice in one block", () => {
  it("reports the second root, alias, proxy_pass, uwsgi_pass and client_max_body_size at its name, naming the first's line", () => {
    const text = [
      "server {", // 1
      "    listen 80;",
      "    client_max_body_size 10m;",
      "    client_max_body_size 20m;", // 4
      "    location /static/ {",
      "        alias /srv/static/;",
      "        alias /srv/other/;", // 7
      "    }",
      "    location /media/ {",
      "        root /srv;",
      "        root /var;", // 11
      "    }",
      "    location / {",
      "        proxy_pass http://web:8000;",
      "        proxy_pass http://web:8001;", // 15
      "    }",
      "    location /u/ {",
      "        uwsgi_pass web:3031;",
      "        include uwsgi_params;",
      "        uwsgi_pass web:3032;", // 20
      "    }",
      "}",
      "",
    ].join("\n");
    expect(duplicates(text)).toEqual([
      [4, 5, refused("client_max_body_size", 3)],
      [7, 9, refused("alias", 6)],
      [11, 9, refused("root", 10)],
      [15, 9, refused("proxy_pass", 14)],
      [20, 9, refused("uwsgi_pass", 18)],
    ]);
  });

  it("says which of root and alias came first, as nginx does", () => {
    expect(duplicates("location /a/ {\n    root /srv;\n    alias /srv/a/;\n}\nlocation /b/ {\n    alias /srv/b/;\n    root /srv;\n}\n")).toEqual([
      [3, 5, `"alias" directive is duplicate, "root" directive was specified earlier (first at line 2): nginx -t refuses the configuration; keep one of them`],
      [7, 5, `"root" directive is duplicate, "alias" directive was specified earlier (first at line 6): nginx -t refuses the configuration; keep one of them`],
    ]);
  });

  it("reports every repeat against the first", () => {
    expect(duplicates("http {\n    gzip on;\n    gzip off;\n    gzip on;\n}\n")).toEqual([
      [3, 5, refused("gzip", 2)],
      [4, 5, refused("gzip", 2)],
    ]);
  });

  it("stays silent on directives that may repeat, and on the same directive in different blocks", () => {
    const text = [
      "server {",
      "    listen 80;",
      "    listen 443 ssl;",
      "    server_name a.example;",
      "    server_name b.example;",
      "    root /srv;",
      "    client_max_body_size 10m;",
      "    ssl_certificate a.crt;",
      "    ssl_certificate_key a.key;",
      "    ssl_certificate b.crt;",
      "    ssl_certificate_key b.key;",
      "    error_page 404 /404.html;",
      "    error_page 500 /500.html;",
      "    location / {",
      "        root /var/www;",
      "        client_max_body_size 20m;",
      "        proxy_pass http://web:8000;",
      "        proxy_set_header Host $host;",
      "        proxy_set_header X-Forwarded-Proto $scheme;",
      "        add_header X-A a;",
      "        add_header X-B b;",
      "        proxy_redirect http://a/ /;",
      "        proxy_redirect http://b/ /;",
      "        if ($request_method = POST) {",
      "            proxy_pass http://web:8001;",
      "        }",
      "    }",
      "    location /u/ {",
      "        proxy_pass http://web:8000;",
      "    }",
      "}",
      "map $http_upgrade $connection_upgrade {",
      "    default upgrade;",
      "    root close;",
      "    root close2;",
      "}",
      "",
    ].join("\n");
    expect(duplicates(text)).toEqual([]);
  });

  it("sees a directive from an included snippet and the including block's own one as one block, as nginx does", () => {
    const files = {
      "nginx/default.conf": "server {\n    listen 80;\n    location / {\n        include snippets/proxy.conf;\n        proxy_read_timeout 60s;\n    }\n}\n",
      "nginx/snippets/proxy.conf": "proxy_pass http://web:8000;\nproxy_read_timeout 30s;\n",
    };
    const resolver = new MemoryResolver(files, { "/etc/nginx": "nginx" });
    const expanded = expandIncludes(resolver.load("nginx/default.conf"), resolver);
    expect(expanded.problems).toEqual([]);
    const problems = duplicateDirectiveProblems(expanded.directives);
    expect(problems.map((p) => [p.range.file, p.range.line, p.range.column, p.message])).toEqual([
      [
        "nginx/default.conf",
        5,
        9,
        `"proxy_read_timeout" directive is duplicate (first at nginx/snippets/proxy.conf:2): nginx -t refuses the configuration; keep one of them`,
      ],
    ]);
  });

  it("does not report a snippet included twice into one block against itself", () => {
    const files = {
      "nginx/default.conf": "server {\n    location / {\n        include snippets/t.conf;\n        include snippets/t.conf;\n    }\n}\n",
      "nginx/snippets/t.conf": "uwsgi_read_timeout 30s;\n",
    };
    const resolver = new MemoryResolver(files, { "/etc/nginx": "nginx" });
    expect(duplicateDirectiveProblems(expandIncludes(resolver.load("nginx/default.conf"), resolver).directives)).toEqual([]);
  });

  it("lists only directives nginx refuses for any arguments", () => {
    for (const name of ["add_header", "proxy_set_header", "uwsgi_param", "listen", "server_name", "index", "include", "limit_req", "proxy_redirect", "ssl_protocols", "ssl_certificate", "return", "log_format"]) {
      expect(NGINX_SINGLE_DIRECTIVES.has(name), name).toBe(false);
    }
  });
});
