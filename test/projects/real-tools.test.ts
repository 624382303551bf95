/**
 * The fixture projects against the real tools: every nginx config the model loads must pass
 * `nginx -t` (and fail it when we report a syntax problem in it), and `docker-compose config`
 * must agree with the model's compose services (and reject the files we report as broken).
 */
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Service, Stack } from "../../src/model/deployment-model.js";
import type { LintResult } from "../../src/lint.js";
import { fixturePath, lintFixture } from "../support/fixtures.js";
import { toolAvailable } from "../support/tools.js";

const nginxAvailable = toolAvailable("nginx", ["nginx", "-v"]);
const opensslAvailable = toolAvailable("openssl", ["openssl", "version"]);
const composeAvailable = toolAvailable("docker-compose", ["docker-compose", "version"]);

const temps: string[] = [];
afterAll(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function subdirs(relative: string): string[] {
  const abs = fixturePath(relative);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${relative}/${e.name}`)
    .sort();
}

/** fixtures/projects/* and fixtures/rules/<family>/<rule>/<case>, relative to fixtures/. */
const PROJECTS = subdirs("projects");
const RULE_FIXTURES = subdirs("rules").flatMap(subdirs).flatMap(subdirs);

interface Linted {
  fixture: string;
  dir: string;
  result: LintResult;
}

// Linted once at collection time: the tests are generated per nginx service and per stack.
const linted = new Map<string, Linted>();
function lint(fixture: string): Linted {
  let entry = linted.get(fixture);
  if (!entry) {
    const { dir, result } = lintFixture(fixture, { git: false });
    temps.push(dir);
    entry = { fixture, dir, result };
    linted.set(fixture, entry);
  }
  return entry;
}

// ---------------------------------------------------------------------------------------
// nginx -t

/** Debian's nginx: where its nginx.conf, mime.types and uwsgi_params live. */
function distributionConfDir(): string {
  const out = spawnSync("nginx", ["-V"], { encoding: "utf8" }).stderr ?? "";
  return dirname(/--conf-path=(\S+)/.exec(out)?.[1] ?? "/etc/nginx/nginx.conf");
}

/** The official image's nginx.conf, reduced to what `nginx -t` needs (its `main` log format included). */
const WRAPPER = `events {}
http {
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for"';
    include mime.types;
    include conf.d/*.conf;
    include sites-enabled/*;
}
`;

let certificate: { crt: string; key: string } | undefined;
function selfSignedCertificate(): { crt: string; key: string } {
  if (certificate) return certificate;
  const dir = tempDir("dpl-cert-");
  const crt = join(dir, "server.crt");
  const key = join(dir, "server.key");
  const result = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=books.example.org", "-keyout", key, "-out", crt],
    { encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
  certificate = { crt, key };
  return certificate;
}

/** Host names that reach a service on the compose network. */
function serviceHostNames(stack: Stack): string[] {
  return stack.services.flatMap((s) => [
    s.name,
    ...(s.compose.containerName ? [s.compose.containerName.value] : []),
    ...(s.compose.hostname ? [s.compose.hostname.value] : []),
    ...s.compose.networks.flatMap((n) => n.aliases.map((a) => a.value)),
  ]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The only changes made to a project's config before `nginx -t`, each because the test
 * machine is not the container:
 * - templates are rendered like the official image's envsubst step (variables the
 *   container's environment defines, with their values from the model);
 * - `/etc/nginx/` paths point at the temporary prefix;
 * - `ssl_certificate*` point at a freshly generated self-signed pair;
 * - compose service names in upstream `server` / `*_pass` targets become 127.0.0.1
 *   (nginx resolves them at load time, and only Docker's DNS knows them).
 */
function rewriteConf(text: string, repoFile: string, service: Service, prefix: string, hosts: string[]): string {
  let out = text;
  if (/\.(template|tpl)$/.test(repoFile)) {
    out = out.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (whole, braced?: string, bare?: string) => {
      const value = service.environment.values.get((braced ?? bare) as string)?.value;
      return value ?? whole;
    });
  }
  out = out.replace(/\/etc\/nginx\//g, `${prefix}/`);
  const { crt, key } = selfSignedCertificate();
  out = out.replace(/\bssl_certificate(\s+)[^;]+;/g, `ssl_certificate$1${crt};`);
  out = out.replace(/\bssl_certificate_key(\s+)[^;]+;/g, `ssl_certificate_key$1${key};`);
  if (hosts.length > 0) {
    const names = hosts.map(escapeRegExp).join("|");
    out = out.replace(new RegExp(`\\b(server|uwsgi_pass|proxy_pass)(\\s+)((?:https?|uwsgi)://)?(${names})(?=[:;/\\s])`, "g"), "$1$2$3127.0.0.1");
  }
  return out;
}

interface PreparedNginx {
  prefix: string;
  /** temporary file → repository file, for mapping nginx's messages back. */
  origin: Map<string, string>;
}

/** The nginx container's /etc/nginx as the model sees it, under a temporary prefix. */
function prepareNginx(linted: Linted, stack: Stack, service: Service): PreparedNginx {
  const prefix = join(tempDir("dpl-nginx-t-"), "etc-nginx");
  mkdirSync(prefix, { recursive: true });
  const origin = new Map<string, string>();
  const hosts = serviceHostNames(stack);
  for (const { containerPath, repoFile } of service.filesystem.listFiles("/etc/nginx")) {
    let rel = posix.relative("/etc/nginx", containerPath);
    if (rel === "nginx.conf") throw new Error(`${linted.fixture}: a project nginx.conf is not supported by this test yet (it replaces the wrapper)`);
    // The official image renders templates/X.template into conf.d/X.
    if (rel.startsWith("templates/") && rel.endsWith(".template")) rel = `conf.d/${rel.slice("templates/".length, -".template".length)}`;
    const target = join(prefix, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, rewriteConf(readFileSync(join(linted.dir, repoFile), "utf8"), repoFile, service, prefix, hosts));
    origin.set(target, repoFile);
  }
  for (const shipped of ["mime.types", "uwsgi_params"]) {
    if (!existsSync(join(prefix, shipped))) copyFileSync(join(distributionConfDir(), shipped), join(prefix, shipped));
  }
  mkdirSync(join(prefix, "conf.d"), { recursive: true });
  mkdirSync(join(prefix, "sites-enabled"), { recursive: true });
  writeFileSync(join(prefix, "nginx.conf"), WRAPPER);
  return { prefix, origin };
}

function nginxTest(prefix: string): { ok: boolean; output: string; file: string | undefined } {
  // `access_log /dev/stdout` is opened at load: give nginx a plain file as stdout, which
  // opens everywhere (a pipe or socket behind /dev/stdout does not in every sandbox).
  const stdout = openSync(join(prefix, "..", "stdout.log"), "w");
  const result = spawnSync("nginx", ["-t", "-q", "-p", `${prefix}/`, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "..", "error.log")], {
    encoding: "utf8",
    stdio: ["ignore", stdout, "pipe"],
  });
  closeSync(stdout);
  const output = result.stderr ?? "";
  return { ok: result.status === 0, output, file: /\[emerg\] .* in (\S+):\d+/.exec(output)?.[1] };
}

const nginxCases = [...PROJECTS, ...RULE_FIXTURES].flatMap((fixture) => {
  const { result } = lint(fixture);
  return result.model.stacks.flatMap((stack) =>
    stack.services.filter((s) => (s.nginx?.entryFiles.length ?? 0) > 0).map((service) => ({ fixture, stack, service })),
  );
});

describe.skipIf(!nginxAvailable || !opensslAvailable)("nginx -t on every nginx config the model loads", () => {
  it("covers every rule fixture with nginx (the django/* fixtures have none: Django's checks need no proxy)", () => {
    const covered = new Set(nginxCases.map((c) => c.fixture));
    const withNginx = RULE_FIXTURES.filter((f) => !f.startsWith("rules/django/"));
    expect(withNginx.length).toBeGreaterThan(40);
    expect(withNginx.filter((f) => !covered.has(f))).toEqual([]);
  });

  for (const { fixture, stack, service } of nginxCases) {
    it(`${fixture}: service '${service.name}'`, () => {
      const entry = lint(fixture);
      const { prefix, origin } = prepareNginx(entry, stack, service);
      // Every entry file the model loads must be one nginx loads through the wrapper.
      const loadedByWrapper = [...origin].filter(([tmp]) => /\/(conf\.d\/[^/]+\.conf|sites-enabled\/[^/]+)$/.test(tmp)).map(([, repo]) => repo);
      expect(service.nginx?.entryFiles.filter((f) => !loadedByWrapper.includes(f))).toEqual([]);

      const ours = entry.result.model.problems.filter((p) => [...origin.values()].includes(p.range.file));
      const real = nginxTest(prefix);
      if (ours.length === 0) {
        expect(real.output).toBe("");
        expect(real.ok).toBe(true);
      } else {
        // A syntax problem we report is one nginx refuses to start with, in the same file.
        expect(real.ok).toBe(false);
        expect(real.file && origin.get(real.file)).toBe(ours[0]?.range.file);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------
// docker-compose config

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The part of a service both sides must agree on. */
interface Essence {
  image: string | null;
  volumes: string[];
  ports: string[];
  environment: Record<string, string | null>;
}

function runComposeConfig(dir: string, stack: Stack): { status: number | null; stderr: string; services: Record<string, Record<string, Json>> } {
  const project = join(dir, stack.compose.projectDir);
  const result = spawnSync("docker-compose", ["--project-directory", project, ...stack.compose.files.flatMap((f) => ["-f", join(dir, f)]), "config"], {
    cwd: project,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
    encoding: "utf8",
  });
  if (result.status !== 0) return { status: result.status, stderr: result.stderr, services: {} };
  // `config` writes `$` as `$$`.
  const unescape = (v: Json): Json =>
    typeof v === "string"
      ? v.replace(/\$\$/g, "$")
      : Array.isArray(v)
        ? v.map(unescape)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescape(x)]))
          : v;
  const doc = unescape(parse(result.stdout) as Json) as { services?: Record<string, Record<string, Json>> };
  return { status: result.status, stderr: result.stderr, services: doc.services ?? {} };
}

function portRow(hostIp: string, published: string, target: string, protocol: string): string {
  return `${hostIp}|${published}|${target}|${protocol}`;
}

function theirEssence(svc: Record<string, Json>): Essence {
  const volumes = ((svc.volumes ?? []) as Json[]).map((v) => {
    if (typeof v === "string") {
      const parts = v.split(":");
      if (parts.length === 1) return `volume||${v}|false`;
      const [source = "", target = "", mode = "rw"] = parts;
      return `${source.startsWith("/") ? "bind" : "volume"}|${source}|${target}|${mode.split(",").includes("ro")}`;
    }
    const m = v as Record<string, Json>;
    return `${String(m.type)}|${String(m.source ?? "")}|${String(m.target)}|${m.read_only === true}`;
  });
  const ports = ((svc.ports ?? []) as Json[]).map((p) => {
    if (typeof p === "string" || typeof p === "number") {
      const [spec = "", protocol = "tcp"] = String(p).split("/");
      const parts = spec.split(":");
      const target = parts.pop() ?? "";
      const published = parts.pop() ?? "";
      return portRow(parts.join(":"), published, target, protocol);
    }
    const m = p as Record<string, Json>;
    return portRow("", m.published == null ? "" : String(m.published), String(m.target), String(m.protocol ?? "tcp"));
  });
  const environment = Object.fromEntries(
    Object.entries((svc.environment ?? {}) as Record<string, Json>).map(([k, v]) => [k, v === null ? null : String(v)]),
  );
  return { image: svc.image == null ? null : String(svc.image), volumes: volumes.sort(), ports: ports.sort(), environment };
}


function ourEssence(service: Service, linted: Linted): Essence {
  const compose = service.compose;
  // docker-compose prints env_file variables merged into environment (environment wins).
  const environment: Record<string, string | null> = {};
  for (const envFile of compose.envFiles) {
    for (const entry of linted.result.model.envFiles.find((e) => e.file === envFile.path)?.entries ?? []) environment[entry.name] = entry.value;
  }
  for (const [name, v] of compose.environment) environment[name] = v.value ?? null;
  return {
    image: compose.image?.value ?? null,
    // docker-compose makes bind sources absolute.
    volumes: compose.volumes
      .map((m) => `${m.type}|${m.type === "bind" ? resolve(linted.dir, m.source ?? "") : (m.source ?? "")}|${m.target}|${m.readOnly}`)
      .sort(),
    ports: compose.ports.map((p) => portRow(p.hostIp ?? "", p.published ?? "", p.target, p.protocol)).sort(),
    environment,
  };
}

/** Files docker-compose reads for a stack: the compose files, the project .env and the env_files. */
function composeInputs(stack: Stack): string[] {
  return [...stack.compose.files, ...(stack.compose.dotenvFile ? [stack.compose.dotenvFile] : []), ...stack.services.flatMap((s) => s.compose.envFiles.map((e) => e.path))];
}

// Host deployments (systemd, no compose file) have nothing for docker-compose to read.
const composeCases = [...PROJECTS, ...RULE_FIXTURES].flatMap((fixture) =>
  lint(fixture)
    .result.model.stacks.filter((stack) => stack.runtime === "compose")
    .map((stack) => ({ fixture, stack })),
);

describe.skipIf(!composeAvailable)("docker-compose config against the model's compose services", () => {
  for (const { fixture, stack } of composeCases) {
    it(`${fixture}: ${stack.id}`, () => {
      const entry = lint(fixture);
      const inputs = composeInputs(stack);
      const ours = entry.result.model.problems.filter((p) => inputs.includes(p.range.file));
      // An env_file the checkout lacks on purpose (git-ignored, a template beside it) exists on the deploy
      // machine; docker-compose refuses to start without it. An empty stand-in adds nothing to either side.
      for (const { path } of stack.services.flatMap((s) => s.environment.missingEnvFiles)) {
        const file = join(entry.dir, path);
        if (existsSync(file)) continue;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, "");
      }
      const theirs = runComposeConfig(entry.dir, stack);
      if (ours.length > 0) {
        // A compose file or env file we report as broken is one docker-compose refuses.
        expect(theirs.status).not.toBe(0);
        const inCompose = ours.find((p) => stack.compose.files.includes(p.range.file));
        if (inCompose) expect(theirs.stderr).toContain(`line ${inCompose.range.line}, column ${inCompose.range.column}`);
        return;
      }
      expect(theirs.stderr).not.toMatch(/ERROR|invalid/);
      expect(theirs.status).toBe(0);
      expect(stack.services.map((s) => s.name).sort()).toEqual(Object.keys(theirs.services).sort());
      for (const service of stack.services) {
        const ourSide = ourEssence(service, entry);
        const theirSide = theirEssence(theirs.services[service.name] ?? {});
        expect({ service: service.name, ...ourSide }).toEqual({ service: service.name, ...theirSide });
      }
    });
  }
});
