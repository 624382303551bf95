/**
 * Checks the parser against the real nginx: the fixture configs must pass `nginx -t` and
 * parse without problems; planted syntax errors must be rejected by both, on the same line.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, sep } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { afterAll, describe, expect, it } from "vitest";
import { readSourceText } from "../../src/core/source-file.js";
import { duplicateDirectiveProblems, NGINX_SINGLE_DIRECTIVES } from "../../src/model/nginx-duplicates.js";
import { expandIncludes, type IncludeResolver } from "../../src/model/nginx-includes.js";
import { parseNginxConf, walkNginx, type NginxConfFile } from "../../src/parsers/nginx.js";
import { toolAvailable } from "../support/tools.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURES = "fixtures/loaders/nginx";
const nginxAvailable = toolAvailable("nginx", ["nginx", "-v"]);
const opensslAvailable = toolAvailable("openssl", ["openssl", "version"]);

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dpl-nginx-"));
  temps.push(dir);
  return dir;
}

/** The directory of nginx's compiled-in nginx.conf, where the distribution's mime.types and uwsgi_params live. */
function nginxConfDir(): string {
  const out = spawnSync("nginx", ["-V"], { encoding: "utf8" }).stderr ?? "";
  const confPath = /--conf-path=(\S+)/.exec(out)?.[1] ?? "/etc/nginx/nginx.conf";
  return dirname(confPath);
}

/** A copy of a fixture directory with what the nginx image provides beside it. */
function prepare(fixture: string): string {
  const dir = tempDir();
  cpSync(join(REPO, fixture), dir, { recursive: true });
  for (const shipped of ["mime.types", "uwsgi_params"]) copyFileSync(join(nginxConfDir(), shipped), join(dir, shipped));
  return dir;
}

/** `nginx -t` on `<dir>/nginx.conf` with the prefix, pid and error log in `dir`. */
function nginxTest(dir: string): { ok: boolean; output: string; errorLine?: number; error?: string } {
  const result = spawnSync(
    "nginx",
    ["-t", "-q", "-c", join(dir, "nginx.conf"), "-p", `${dir}/`, "-e", join(dir, "error.log"), "-g", `pid ${join(dir, "nginx.pid")};`],
    { encoding: "utf8" },
  );
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const emerg = /\[emerg\] (.*) in (\S+):(\d+)/.exec(output);
  return { ok: result.status === 0, output, errorLine: emerg ? Number(emerg[3]) : undefined, error: emerg?.[1] };
}

function makeCertificate(dir: string): void {
  mkdirSync(join(dir, "certs"));
  const result = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=example.com", "-keyout", join(dir, "certs/server.key"), "-out", join(dir, "certs/server.crt")],
    { encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
}

/** Repository files under `root` (forward slashes, relative to the repository). */
function listFiles(root: string): string[] {
  const abs = join(REPO, root);
  return (readdirSync(abs, { recursive: true }) as string[])
    .filter((rel) => statSync(join(abs, rel)).isFile())
    .map((rel) => posix.join(root, rel.split(sep).join("/")));
}

/** /etc/nginx is the fixture directory; files nginx would find there but the fixture lacks ship with the image. */
function fixtureResolver(root: string): IncludeResolver {
  const files = listFiles(root);
  return {
    resolve(pattern) {
      const rel = pattern.startsWith("/etc/nginx/") ? pattern.slice("/etc/nginx/".length) : pattern;
      if (rel.startsWith("/")) return "external";
      const path = posix.join(root, rel);
      if (/[*?[]/.test(rel)) return files.filter((f) => picomatch(path)(f)).sort();
      return files.includes(path) ? [path] : "external";
    },
    load: (file) => loadConf(file),
  };
}

function loadConf(file: string): NginxConfFile {
  const source = readSourceText(join(REPO, file), file);
  expect(source.problems).toEqual([]);
  return parseNginxConf(source.text ?? "", file);
}

/** What the official image's entrypoint does with templates: envsubst of the listed variables. */
function envsubst(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => env[name] ?? whole);
}

describe("fixtures against real nginx -t", () => {
  it.skipIf(!nginxAvailable || !opensslAvailable)("uwsgi-tls: nginx accepts it, we parse it without problems and follow conf.d/*.conf", () => {
    const fixture = `${FIXTURES}/valid/uwsgi-tls`;
    const dir = prepare(fixture);
    makeCertificate(dir);
    const result = nginxTest(dir);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);

    const expanded = expandIncludes(loadConf(`${fixture}/nginx.conf`), fixtureResolver(fixture));
    expect(expanded.problems).toEqual([]);
    expect(expanded.files).toEqual([`${fixture}/nginx.conf`, `${fixture}/conf.d/django.conf`]);

    const found: Array<[string, string, string, number, number]> = [];
    walkNginx(expanded.directives, (d, ancestors, file) => {
      if (["alias", "uwsgi_pass", "ssl_certificate", "server"].includes(d.name) && ancestors.at(-1)?.name !== "http") {
        const arg = d.args[0]!;
        found.push([d.name, arg.value, posix.basename(file), arg.range.line, arg.range.column]);
      }
    });
    expect(found).toEqual([
      ["server", "unix:/run/uwsgi/app.sock", "django.conf", 2, 12],
      ["ssl_certificate", "certs/server.crt", "django.conf", 20, 25],
      ["alias", "/srv/app/static/", "django.conf", 27, 15],
      ["alias", "/srv/app/media/", "django.conf", 35, 15],
      ["uwsgi_pass", "django", "django.conf", 49, 20],
    ]);
  });

  it.skipIf(!nginxAvailable)("gunicorn-unix: nginx accepts it and we parse it without problems", () => {
    const fixture = `${FIXTURES}/valid/gunicorn-unix`;
    const result = nginxTest(prepare(fixture));
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
    const conf = loadConf(`${fixture}/nginx.conf`);
    expect(conf.problems).toEqual([]);
    const locations: string[] = [];
    walkNginx(conf.directives, (d) => d.name === "location" && locations.push(d.args.map((a) => a.raw).join(" ")));
    expect(locations).toEqual(["^~ /static/", "/media/", "/", "@proxy_to_app"]);
  });

  it.skipIf(!nginxAvailable)("envsubst-template: the template parses as is, and nginx accepts it once rendered", () => {
    const fixture = `${FIXTURES}/valid/envsubst-template`;
    const templateFile = `${fixture}/templates/default.conf.template`;
    const template = loadConf(templateFile);
    expect(template.problems).toEqual([]);
    const pass = template.directives[0]!.block![3]!.block![1]!;
    expect(pass.name).toBe("uwsgi_pass");
    expect(pass.args[0]!.value).toBe("${APP_HOST}:${APP_PORT}");
    expect(pass.args[0]!.range).toEqual({ file: templateFile, line: 11, column: 20, endLine: 11, endColumn: 43 });

    const dir = prepare(fixture);
    mkdirSync(join(dir, "conf.d"));
    const env = { LISTEN_PORT: "8080", SERVER_NAME: "example.com", STATIC_DIR: "/srv/static", APP_HOST: "127.0.0.1", APP_PORT: "8000" };
    const rendered = envsubst(readFileSync(join(REPO, templateFile), "utf8"), env);
    writeFileSync(join(dir, "conf.d/default.conf"), rendered);
    const result = nginxTest(dir);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
    expect(parseNginxConf(rendered, "conf.d/default.conf").problems).toEqual([]);
  });
});

describe("syntax errors: rejected by nginx -t and by our parser on the same line", () => {
  it.skipIf(!nginxAvailable)("the missing-semicolon fixture", () => {
    const fixture = `${FIXTURES}/invalid/missing-semicolon`;
    const result = nginxTest(prepare(fixture));
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`unexpected "}"`);
    expect(result.errorLine).toBe(10);
    const conf = loadConf(`${fixture}/nginx.conf`);
    expect(conf.problems).toEqual([
      {
        range: { file: `${fixture}/nginx.conf`, line: 10, column: 9, endLine: 10, endColumn: 10 },
        message: `unexpected "}": directive "alias" is not terminated by ";"`,
      },
    ]);
  });

  const midFile: Array<[string, string, string]> = [
    ["stray '}' at file level", "events {}\n}\nhttp {}\n", `unexpected "}"`],
    ["character glued to a closing quote", 'events {}\nhttp {\n    add_header X-A "a"b;\n}\n', `unexpected "b"`],
    ["quoted word glued to '}'", 'events {}\nhttp {\n    server { return 200 "x"}\n}\n', `unexpected "}"`],
    ["stray ';'", "events {}\n\n;\n", `unexpected ";"`],
    ["'{' without a name", "events {}\nhttp {\n    {\n    }\n}\n", `unexpected "{"`],
    ["missing ';' before '}' on the same line", "events {}\nhttp { sendfile on }\n", `unexpected "}"`],
  ];
  it.skipIf(!nginxAvailable).each(midFile)("%s", (_name, text, nginxError) => {
    const dir = tempDir();
    writeFileSync(join(dir, "nginx.conf"), text);
    const result = nginxTest(dir);
    expect(result.ok).toBe(false);
    expect(result.error).toBe(nginxError);
    const conf = parseNginxConf(text, "nginx.conf");
    expect(conf.problems.length).toBeGreaterThan(0);
    expect(conf.problems[0]!.range.line).toBe(result.errorLine);
  });

  // At end of file nginx names the last line; we point at what was left open instead.
  const atEof: Array<[string, string, number]> = [
    ["unclosed '{'", "events {}\nhttp {\n    sendfile on;\n", 2],
    ["unterminated quote", 'events {}\nhttp {\n    add_header X "abc;\n}\n', 3],
    ["missing ';' at end of file", "events {}\nworker_processes 1\n", 2],
  ];
  it.skipIf(!nginxAvailable).each(atEof)("%s", (_name, text, ourLine) => {
    const dir = tempDir();
    writeFileSync(join(dir, "nginx.conf"), text);
    const result = nginxTest(dir);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^unexpected end of file/);
    const conf = parseNginxConf(text, "nginx.conf");
    expect(conf.problems.map((p) => p.range.line)).toContain(ourLine);
    expect(conf.problems.every((p) => p.message.includes("end of file"))).toBe(true);
  });

  it("every fixture under valid/ is covered above", () => {
    expect(readdirSync(join(REPO, FIXTURES, "valid")).sort()).toEqual(["envsubst-template", "gunicorn-unix", "uwsgi-tls"]);
    expect(existsSync(join(REPO, FIXTURES, "invalid/missing-semicolon/nginx.conf"))).toBe(true);
  });
});

describe("duplicate directives: refused by nginx -t and reported by us on the same line, in nginx's words", () => {
  /** One valid use of each directive nginx refuses twice, in a block it is allowed in. */
  const SAMPLES: Record<string, ["http" | "server" | "location", string]> = {
    absolute_redirect: ["location", "absolute_redirect off;"],
    alias: ["location", "alias /srv/;"],
    auth_basic: ["location", 'auth_basic "x";'],
    auth_basic_user_file: ["location", "auth_basic_user_file /x;"],
    autoindex: ["location", "autoindex on;"],
    charset: ["http", "charset utf-8;"],
    chunked_transfer_encoding: ["location", "chunked_transfer_encoding off;"],
    client_body_buffer_size: ["http", "client_body_buffer_size 16k;"],
    client_body_in_file_only: ["location", "client_body_in_file_only off;"],
    client_body_temp_path: ["http", "client_body_temp_path /tmp;"],
    client_body_timeout: ["http", "client_body_timeout 10s;"],
    client_header_buffer_size: ["http", "client_header_buffer_size 1k;"],
    client_header_timeout: ["http", "client_header_timeout 10s;"],
    client_max_body_size: ["server", "client_max_body_size 10m;"],
    default_type: ["http", "default_type application/octet-stream;"],
    directio: ["location", "directio off;"],
    disable_symlinks: ["location", "disable_symlinks off;"],
    etag: ["location", "etag off;"],
    expires: ["location", "expires 1d;"],
    fastcgi_pass: ["location", "fastcgi_pass 127.0.0.1:9000;"],
    gzip: ["http", "gzip on;"],
    gzip_comp_level: ["http", "gzip_comp_level 5;"],
    gzip_min_length: ["http", "gzip_min_length 256;"],
    gzip_static: ["location", "gzip_static on;"],
    gzip_vary: ["http", "gzip_vary on;"],
    if_modified_since: ["location", "if_modified_since off;"],
    ignore_invalid_headers: ["server", "ignore_invalid_headers off;"],
    internal: ["location", "internal;"],
    keepalive_timeout: ["http", "keepalive_timeout 65;"],
    large_client_header_buffers: ["http", "large_client_header_buffers 4 8k;"],
    limit_except: ["location", "limit_except GET { deny all; }"],
    limit_rate: ["location", "limit_rate 1k;"],
    limit_rate_after: ["location", "limit_rate_after 1m;"],
    lingering_close: ["location", "lingering_close off;"],
    log_not_found: ["location", "log_not_found off;"],
    log_subrequest: ["location", "log_subrequest on;"],
    map_hash_bucket_size: ["http", "map_hash_bucket_size 64;"],
    max_ranges: ["location", "max_ranges 1;"],
    merge_slashes: ["server", "merge_slashes off;"],
    msie_padding: ["location", "msie_padding on;"],
    open_file_cache: ["location", "open_file_cache max=100;"],
    open_file_cache_valid: ["location", "open_file_cache_valid 30s;"],
    output_buffers: ["location", "output_buffers 2 32k;"],
    port_in_redirect: ["location", "port_in_redirect off;"],
    post_action: ["location", "post_action /x;"],
    postpone_output: ["location", "postpone_output 1460;"],
    proxy_buffer_size: ["http", "proxy_buffer_size 16k;"],
    proxy_buffering: ["location", "proxy_buffering off;"],
    proxy_buffers: ["http", "proxy_buffers 8 16k;"],
    proxy_busy_buffers_size: ["http", "proxy_busy_buffers_size 32k;"],
    proxy_cache: ["location", "proxy_cache off;"],
    proxy_cache_key: ["location", "proxy_cache_key $uri;"],
    proxy_connect_timeout: ["location", "proxy_connect_timeout 30s;"],
    proxy_headers_hash_max_size: ["http", "proxy_headers_hash_max_size 1024;"],
    proxy_http_version: ["location", "proxy_http_version 1.1;"],
    proxy_intercept_errors: ["location", "proxy_intercept_errors on;"],
    proxy_pass: ["location", "proxy_pass http://127.0.0.1:8000;"],
    proxy_read_timeout: ["location", "proxy_read_timeout 30s;"],
    proxy_send_timeout: ["location", "proxy_send_timeout 30s;"],
    proxy_set_body: ["location", "proxy_set_body x;"],
    proxy_ssl_server_name: ["location", "proxy_ssl_server_name on;"],
    proxy_temp_path: ["http", "proxy_temp_path /tmp;"],
    real_ip_header: ["http", "real_ip_header X-Forwarded-For;"],
    real_ip_recursive: ["http", "real_ip_recursive on;"],
    recursive_error_pages: ["location", "recursive_error_pages on;"],
    reset_timedout_connection: ["location", "reset_timedout_connection on;"],
    resolver: ["http", "resolver 127.0.0.11;"],
    root: ["location", "root /srv;"],
    satisfy: ["location", "satisfy any;"],
    send_timeout: ["http", "send_timeout 10s;"],
    sendfile: ["http", "sendfile on;"],
    sendfile_max_chunk: ["location", "sendfile_max_chunk 1m;"],
    server_name_in_redirect: ["location", "server_name_in_redirect off;"],
    server_names_hash_bucket_size: ["http", "server_names_hash_bucket_size 64;"],
    server_tokens: ["http", "server_tokens off;"],
    ssi: ["location", "ssi on;"],
    ssl_ciphers: ["server", "ssl_ciphers HIGH;"],
    ssl_dhparam: ["server", "ssl_dhparam /x;"],
    ssl_early_data: ["server", "ssl_early_data off;"],
    ssl_prefer_server_ciphers: ["server", "ssl_prefer_server_ciphers on;"],
    ssl_session_tickets: ["server", "ssl_session_tickets off;"],
    ssl_session_timeout: ["server", "ssl_session_timeout 1d;"],
    ssl_stapling: ["server", "ssl_stapling on;"],
    ssl_trusted_certificate: ["server", "ssl_trusted_certificate /x;"],
    tcp_nodelay: ["http", "tcp_nodelay on;"],
    tcp_nopush: ["http", "tcp_nopush on;"],
    types_hash_max_size: ["http", "types_hash_max_size 2048;"],
    underscores_in_headers: ["server", "underscores_in_headers on;"],
    uwsgi_buffering: ["location", "uwsgi_buffering off;"],
    uwsgi_connect_timeout: ["location", "uwsgi_connect_timeout 10s;"],
    uwsgi_ignore_client_abort: ["location", "uwsgi_ignore_client_abort on;"],
    uwsgi_modifier1: ["location", "uwsgi_modifier1 30;"],
    uwsgi_pass: ["location", "uwsgi_pass 127.0.0.1:3031;"],
    uwsgi_pass_request_headers: ["location", "uwsgi_pass_request_headers on;"],
    uwsgi_read_timeout: ["location", "uwsgi_read_timeout 30s;"],
    uwsgi_send_timeout: ["location", "uwsgi_send_timeout 10s;"],
    variables_hash_max_size: ["http", "variables_hash_max_size 2048;"],
  };
  /** Directives that may repeat in one block: nginx -t accepts them twice (at most warning), we stay silent. */
  const REPEATABLE: Array<["http" | "server" | "location", string]> = [
    ["location", "add_header X-A b;"],
    ["location", "proxy_set_header Host $host;"],
    ["location", "uwsgi_param A b;"],
    ["location", "include uwsgi_params;"],
    ["location", "index index.html;"],
    ["location", "return 404;"],
    ["location", "rewrite ^ /x;"],
    ["location", "access_log off;"],
    ["location", "allow 127.0.0.1;"],
    ["location", "proxy_redirect http://a/ /;"],
    ["location", "proxy_hide_header X;"],
    ["server", "server_name a.example;"],
    ["server", "error_page 404 /404.html;"],
    ["server", "ssl_session_cache shared:SSL:10m;"],
    ["server", "ssl_protocols TLSv1.2;"],
    ["http", "gzip_types text/css;"],
    ["http", "set_real_ip_from 10.0.0.0/8;"],
  ];

  /** nginx.conf with `line` written twice (lines 5 and 6) inside the given block. */
  function twice(context: "http" | "server" | "location", line: string): string {
    const body = [line, line];
    const lines =
      context === "http"
        ? ["events {}", "http {", "    server { listen 8080; }", "    # padding", ...body, "}"]
        : context === "server"
          ? ["events {}", "http {", "    server {", "        listen 8080;", ...body, "    }", "}"]
          : ["events {}", "http {", "    server { listen 8080;", "        location / {", ...body, "        }", "    }", "}"];
    return `${lines.join("\n")}\n`;
  }

  it("every directive we call refused has a sample here", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...NGINX_SINGLE_DIRECTIVES].sort());
  });

  it.skipIf(!nginxAvailable).each(Object.entries(SAMPLES))("%s twice", (name, [context, line]) => {
    const dir = tempDir();
    const text = twice(context, line);
    writeFileSync(join(dir, "nginx.conf"), text);
    const result = nginxTest(dir);
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`"${name}" directive is duplicate`);
    expect(result.errorLine).toBe(6);
    const conf = parseNginxConf(text, "nginx.conf");
    expect(conf.problems).toEqual([]);
    expect(duplicateDirectiveProblems(conf.directives).map((p) => [p.range.line, p.message])).toEqual([
      [6, `"${name}" directive is duplicate (first at line 5): nginx -t refuses the configuration; keep one of them`],
    ]);
  });

  it.skipIf(!nginxAvailable)("alias after root, and root after alias", () => {
    for (const [a, b] of [["root /srv;", "alias /srv/;"], ["alias /srv/;", "root /srv;"]] as const) {
      const dir = tempDir();
      const text = `events {}\nhttp {\n    server { listen 8080;\n        location / {\n${a}\n${b}\n        }\n    }\n}\n`;
      writeFileSync(join(dir, "nginx.conf"), text);
      const result = nginxTest(dir);
      const [second, first] = [b.split(" ")[0], a.split(" ")[0]];
      expect(result.error).toBe(`"${second}" directive is duplicate, "${first}" directive was specified earlier`);
      expect(result.errorLine).toBe(6);
      const problems = duplicateDirectiveProblems(parseNginxConf(text, "nginx.conf").directives);
      expect(problems.map((p) => [p.range.line, p.message.split(" (")[0]])).toEqual([[6, result.error]]);
    }
  });

  it.skipIf(!nginxAvailable).each(REPEATABLE)("%s: %s twice is accepted", (context, line) => {
    const dir = tempDir();
    for (const shipped of ["uwsgi_params"]) copyFileSync(join(nginxConfDir(), shipped), join(dir, shipped));
    const text = twice(context, line);
    writeFileSync(join(dir, "nginx.conf"), text);
    const result = nginxTest(dir);
    expect(result.ok, result.output).toBe(true);
    expect(duplicateDirectiveProblems(parseNginxConf(text, "nginx.conf").directives)).toEqual([]);
  });
});
