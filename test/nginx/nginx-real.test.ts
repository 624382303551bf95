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
