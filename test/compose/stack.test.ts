import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { SourceRange } from "../../src/core/location.js";
import { readSourceText } from "../../src/core/source-file.js";
import { loadComposeStack, looksLikeCompose, planComposeStacks, resolveComposePath, type ComposeService } from "../../src/model/compose-stack.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes a small project to a fresh temporary directory and returns its path. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "dpl-compose-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function load(files: Record<string, string>, stackFiles: string[]) {
  const root = project(files);
  return loadComposeStack(stackFiles, root, (f) => readSourceText(join(root, f), f));
}

function service(stack: { services: ComposeService[] }, name: string): ComposeService {
  const found = stack.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

function r(file: string, line: number, column: number, endLine: number, endColumn: number): SourceRange {
  return { file, line, column, endLine, endColumn };
}

describe("planComposeStacks", () => {
  it("pairs the default file with its override and keeps other compose files on their own", () => {
    expect(
      planComposeStacks([
        "docker-compose.yml",
        "docker-compose.override.yml",
        "docker-compose.prod.yml",
        "production.yml",
        "docker-compose-deploy.yml",
        "docker/default.yml",
        "docker/postgres.override.yml",
        "docker/redis.override.yml",
        "docker-compose.override.https.yml",
        "docs/install/docker/plain/docker-compose.yml",
      ]),
    ).toEqual([
      ["docker-compose-deploy.yml"],
      ["docker-compose.prod.yml"],
      ["docker-compose.yml", "docker-compose.override.yml"],
      ["docker/default.yml"],
      ["docs/install/docker/plain/docker-compose.yml"],
      ["production.yml"],
    ]);
  });

  it("prefers compose.yaml over the other default names, which become stacks of their own", () => {
    expect(planComposeStacks(["app/docker-compose.yml", "app/compose.yaml", "app/compose.override.yml", "app/docker-compose.override.yml"])).toEqual([
      ["app/compose.yaml", "app/compose.override.yml"],
      ["app/docker-compose.yml"],
    ]);
  });

  it("makes no stack of an override without its base, and tolerates duplicates", () => {
    expect(planComposeStacks(["docker-compose.override.yml", "a/compose.yml", "a/compose.yml"])).toEqual([["a/compose.yml"]]);
    expect(planComposeStacks([])).toEqual([]);
  });
});

describe("looksLikeCompose", () => {
  it.each([
    ["services:\n  web:\n    image: nginx\n", true],
    ["version: '3'\nservices: {}\n", true],
    ["web:\n  image: nginx\n  ports: ['80:80']\ndb:\n  build: ./db\n", true],
    ["services:\n  - docker\n", false], // .travis.yml
    ["test:\n  image: python:3.12\n  script:\n    - pytest\n", false], // .gitlab-ci.yml job
    ["jobs:\n  build:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n", false],
    ["apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n", false],
    ["- a\n- b\n", false],
    ["x-common: &c\n  image: a\nversion: '2'\n", false],
    ["web:\n  restart: always\n", false],
    ["web:\n  build:\n    runs-on: x\n", false],
    ["web:\n  build:\n    context: .\n", true],
    ["web:\n  image: [a]\n", false],
    ["::: not yaml :::\n\t", false],
    ["", false],
  ])("%j → %s", (text, expected) => {
    expect(looksLikeCompose(text)).toBe(expected);
  });
});

describe("resolveComposePath", () => {
  it.each([
    [".", "./app", "app"],
    [".", ".", "."],
    [".", "./", "."],
    [".", "../shared", "../shared"],
    ["docker", "..", "."],
    ["docker", "../configuration/nginx/", "configuration/nginx"],
    ["docker", "env_file_app", "docker/env_file_app"],
    ["a/b", "./../../../x", "../x"],
    ["docker", "/srv/data/", "/srv/data"],
    ["docker", "~/.ssh", "~/.ssh"],
    ["docker", "/", "/"],
  ])("(%j, %j) → %j", (dir, path, expected) => {
    expect(resolveComposePath(dir, path)).toBe(expected);
  });
});

describe("loadComposeStack", () => {
  it("names the stack, its project dir and .env, and locates services in the first file that defines them", () => {
    const stack = load(
      {
        "docker/default.yml": "services:\n  web:\n    image: app:${TAG:-dev}\n",
        "docker/prod.override.yml": "services:\n  web:\n    image: app:prod\n  db:\n    image: postgres\n",
        "docker/.env": "TAG=1.0\n",
        ".env": "TAG=root-is-not-the-project\n",
      },
      ["docker/default.yml", "docker/prod.override.yml"],
    );
    expect(stack.id).toBe("docker/default.yml + docker/prod.override.yml");
    expect(stack.files).toEqual(["docker/default.yml", "docker/prod.override.yml"]);
    expect(stack.projectDir).toBe("docker");
    expect(stack.dotenvFile).toBe("docker/.env");
    expect(stack.problems).toEqual([]);
    expect(service(stack, "web").range).toEqual(r("docker/default.yml", 2, 3, 2, 6));
    expect(service(stack, "web").files).toEqual(["docker/default.yml", "docker/prod.override.yml"]);
    expect(service(stack, "web").image).toEqual({ value: "app:prod", range: r("docker/prod.override.yml", 3, 12, 3, 20) });
    expect(service(stack, "db").range).toEqual(r("docker/prod.override.yml", 4, 3, 4, 5));
    expect(service(stack, "db").files).toEqual(["docker/prod.override.yml"]);
  });

  it("interpolates from the project .env only, never from process.env", () => {
    process.env.DPL_TEST_FROM_SHELL = "shell";
    try {
      const stack = load(
        { "compose.yaml": "services:\n  web:\n    image: app:${FROM_ENV}-${DPL_TEST_FROM_SHELL}\n    environment:\n      - DPL_TEST_FROM_SHELL\n", ".env": "FROM_ENV=x\n" },
        ["compose.yaml"],
      );
      expect(service(stack, "web").image).toEqual({ value: "app:x-", range: r("compose.yaml", 3, 12, 3, 50), unresolved: ["DPL_TEST_FROM_SHELL"] });
      expect(service(stack, "web").environment.get("DPL_TEST_FROM_SHELL")?.value).toBeUndefined();
    } finally {
      delete process.env.DPL_TEST_FROM_SHELL;
    }
  });

  it("has no dotenvFile without a .env, and a .env directory is not one", () => {
    expect(load({ "compose.yaml": "services: {}\n" }, ["compose.yaml"]).dotenvFile).toBeUndefined();
    expect(load({ "compose.yaml": "services: {}\n", ".env/keep": "" }, ["compose.yaml"]).dotenvFile).toBeUndefined();
  });

  it("merges an override field by field", () => {
    const stack = load(
      {
        "docker-compose.yml": [
          "services:",
          "  web:",
          "    build: {context: ./app, args: {A: '1', B: '1'}}",
          "    image: app",
          "    command: uwsgi --ini uwsgi.ini",
          "    entrypoint: [/entry.sh]",
          "    environment: {DEBUG: 'false', KEEP: 'yes'}",
          "    env_file: base.env",
          "    volumes: ['static:/app/static', './conf:/etc/app:ro']",
          "    ports: ['8000:8000']",
          "    expose: ['8000']",
          "    depends_on: [db]",
          "    networks: {back: {aliases: [app]}}",
          "    profiles: [prod]",
          "    healthcheck: {test: [CMD, true], interval: 5s}",
          "  db:",
          "    image: postgres",
          "",
        ].join("\n"),
        "docker-compose.override.yml": [
          "services:",
          "  web:",
          "    build: {dockerfile: Dockerfile.dev, args: [B=2, C=3]}",
          "    command: python manage.py runserver",
          "    environment: [DEBUG=true]",
          "    env_file: [dev.env]",
          "    volumes: ['./static-dev:/app/static/', 'logs:/logs']",
          "    ports: ['8000:8000', '5678:5678']",
          "    expose: ['8000', '5678']",
          "    depends_on: {redis: {condition: service_started}, db: {condition: service_healthy}}",
          "    networks: {back: {aliases: [django]}, front: null}",
          "    profiles: [dev]",
          "    healthcheck: {interval: 10s}",
          "",
        ].join("\n"),
        "base.env": "",
        "dev.env": "",
      },
      ["docker-compose.yml", "docker-compose.override.yml"],
    );
    expect(stack.problems).toEqual([]);
    const web = service(stack, "web");
    const base = "docker-compose.yml";
    const over = "docker-compose.override.yml";
    expect(web.build).toEqual({
      context: "app",
      dockerfile: "app/Dockerfile.dev",
      args: new Map([
        ["A", { value: "1", range: r(base, 3, 36, 3, 42) }],
        ["B", { value: "2", range: r(over, 3, 48, 3, 51) }],
        ["C", { value: "3", range: r(over, 3, 53, 3, 56) }],
      ]),
      range: r(over, 3, 5, 3, 58),
    });
    expect(web.image?.value).toBe("app");
    expect(web.command?.argv.map((a) => a.value)).toEqual(["python", "manage.py", "runserver"]);
    expect(web.entrypoint?.argv.map((a) => a.value)).toEqual(["/entry.sh"]);
    expect([...web.environment.values()].map((v) => [v.name, v.value, v.range.file])).toEqual([
      ["DEBUG", "true", over],
      ["KEEP", "yes", base],
    ]);
    expect(web.envFiles.map((e) => e.path)).toEqual(["base.env", "dev.env"]);
    expect(web.volumes.map((v) => [v.type, v.source, v.target, v.readOnly, v.range.file])).toEqual([
      ["bind", "static-dev", "/app/static", false, over],
      ["bind", "conf", "/etc/app", true, base],
      ["volume", "logs", "/logs", false, over],
    ]);
    expect(web.ports.map((p) => [p.published, p.target, p.range.file])).toEqual([
      ["8000", "8000", base],
      ["5678", "5678", over],
    ]);
    expect(web.expose.map((e) => e.value)).toEqual(["8000", "5678"]);
    expect(web.dependsOn.map((d) => [d.value, d.range.file])).toEqual([
      ["db", base],
      ["redis", over],
    ]);
    expect(web.networks.map((n) => [n.name, n.aliases.map((a) => a.value)])).toEqual([
      ["back", ["app", "django"]],
      ["front", []],
    ]);
    expect(web.profiles).toEqual(["prod", "dev"]);
    expect(web.healthcheck?.test?.argv.map((a) => a.value)).toEqual(["CMD", "true"]);
    expect(web.healthcheck?.range.file).toBe(over);
    expect(service(stack, "db").networks).toEqual([{ name: "default", aliases: [] }]);
  });

  it("honours compose v2's !reset and !override tags in override files", () => {
    const stack = load(
      {
        "compose.yml": [
          "services:",
          "  web:",
          "    image: app",
          "    ports: ['80:80']",
          "    environment: {A: '1', B: '2'}",
          "    command: serve",
          "  db:",
          "    image: postgres",
          "  cache:",
          "    image: redis",
          "",
        ].join("\n"),
        "compose.override.yml": [
          "services:",
          "  web:",
          "    ports: !reset []",
          "    environment: !override {C: '3'}",
          "    command: !reset null",
          "    expose: !override ['9000']",
          "  db: !reset null",
          "  new: !reset null",
          "",
        ].join("\n"),
      },
      ["compose.yml", "compose.override.yml"],
    );
    expect(stack.problems).toEqual([]);
    expect(stack.services.map((s) => s.name)).toEqual(["web", "cache"]);
    const web = service(stack, "web");
    expect(web.ports).toEqual([]);
    expect(web.command).toBeUndefined();
    expect(web.image?.value).toBe("app");
    expect([...web.environment.keys()]).toEqual(["C"]);
    expect(web.expose.map((e) => e.value)).toEqual(["9000"]);
  });

  it("resolves relative paths from the project dir, also in override files elsewhere", () => {
    const stack = load(
      {
        "deploy/compose.yml": [
          "services:",
          "  web:",
          "    build:",
          "      context: ..",
          "      dockerfile: docker/Dockerfile",
          "    env_file: [./web.env, {path: ../secrets.env, required: false}]",
          "    volumes:",
          "      - ../app:/app",
          "      - /srv/media:/media",
          "      - ~/.cache:/cache",
          "      - {type: bind, source: data, target: /data}",
          "  worker:",
          "    build: https://github.com/example/worker.git#main",
          "  plain:",
          "    build: .",
          "",
        ].join("\n"),
        "overrides/extra.yml": "services:\n  web:\n    volumes: ['./logs:/logs']\n    env_file: extra.env\n",
      },
      ["deploy/compose.yml", "overrides/extra.yml"],
    );
    const web = service(stack, "web");
    expect(web.build).toMatchObject({ context: ".", dockerfile: "docker/Dockerfile" });
    expect(web.envFiles.map((e) => [e.path, e.required])).toEqual([
      ["deploy/web.env", true],
      ["secrets.env", false],
      ["deploy/extra.env", true],
    ]);
    expect(web.volumes.map((v) => [v.type, v.source, v.target])).toEqual([
      ["bind", "app", "/app"],
      ["bind", "/srv/media", "/media"],
      ["bind", "~/.cache", "/cache"],
      ["bind", "deploy/data", "/data"],
      ["bind", "deploy/logs", "/logs"],
    ]);
    expect(service(stack, "worker").build).toMatchObject({ context: "https://github.com/example/worker.git#main", dockerfile: "Dockerfile" });
    expect(service(stack, "plain").build).toMatchObject({ context: "deploy", dockerfile: "deploy/Dockerfile" });
  });

  it("re-resolves the dockerfile when an override changes only the context", () => {
    const stack = load(
      {
        "compose.yml": "services:\n  web:\n    build: {context: ./a, dockerfile: prod.Dockerfile}\n",
        "compose.override.yml": "services:\n  web:\n    build: ./b\n",
      },
      ["compose.yml", "compose.override.yml"],
    );
    expect(service(stack, "web").build).toMatchObject({ context: "b", dockerfile: "b/prod.Dockerfile" });
  });

  it("merges top-level volumes and networks, keeping the first definition's range", () => {
    const stack = load(
      {
        "compose.yml": "services: {}\nvolumes:\n  data:\n  static:\nnetworks:\n  proxy:\n",
        "compose.override.yml": "volumes:\n  data:\n    external: true\n    name: shared_data\nnetworks:\n  proxy:\n    external: true\n",
      },
      ["compose.yml", "compose.override.yml"],
    );
    expect(stack.namedVolumes).toEqual(
      new Map([
        ["data", { name: "shared_data", external: true, range: r("compose.yml", 3, 3, 3, 7) }],
        ["static", { name: "static", external: false, range: r("compose.yml", 4, 3, 4, 9) }],
      ]),
    );
    expect(stack.networks).toEqual(new Map([["proxy", { name: "proxy", external: true, range: r("compose.yml", 6, 3, 6, 8) }]]));
  });

  it("in v1 files, an override's image replaces the base build and the other way round", () => {
    const stack = load(
      {
        "docker-compose.yml": "web:\n  build: .\ndb:\n  image: postgres:9.6\n",
        "docker-compose.override.yml": "web:\n  image: web:latest\ndb:\n  build: ./db\n",
      },
      ["docker-compose.yml", "docker-compose.override.yml"],
    );
    expect(service(stack, "web").build).toBeUndefined();
    expect(service(stack, "web").image?.value).toBe("web:latest");
    expect(service(stack, "db").image).toBeUndefined();
    expect(service(stack, "db").build?.context).toBe("db");
    expect(service(stack, "web").networks).toEqual([{ name: "default", aliases: [] }]);
  });

  it("collects problems of every file, including unreadable and missing ones, and still merges the rest", () => {
    const stack = load(
      {
        "compose.yml": "services:\n  web:\n    image: app\n    ports: 80\n",
        "broken.yml": "services:\n\tweb: {}\n",
        "binary.yml": "services:\u0000\n",
      },
      ["compose.yml", "broken.yml", "binary.yml", "missing.yml"],
    );
    expect(stack.problems).toEqual([
      { range: r("compose.yml", 4, 12, 4, 14), message: "services.web.ports must be a list, not the number 80" },
      { range: r("broken.yml", 2, 1, 2, 2), message: "YAML: Tabs are not allowed as indentation" },
      { range: r("binary.yml", 1, 1, 1, 1), message: "binary file (contains NUL bytes); not parsed" },
      { range: r("missing.yml", 1, 1, 1, 1), message: "cannot read file (ENOENT)" },
    ]);
    expect(stack.services.map((s) => [s.name, s.image?.value])).toEqual([["web", "app"]]);
  });

  it("resolves `extends` from the same file and from another file, rebasing that file's paths", () => {
    const stack = load(
      {
        "compose.yml": [
          "services:",
          "  web:",
          "    extends: {file: common/base.yml, service: app}",
          "    command: gunicorn app.wsgi",
          "  worker:",
          "    extends: web",
          "    environment: [ROLE=worker]",
          "",
        ].join("\n"),
        "common/base.yml": [
          "services:",
          "  app:",
          "    build: ../src",
          "    image: app:${TAG:-dev}",
          "    env_file: app.env",
          "    volumes: ['./conf:/etc/app:ro']",
          "    environment: {ROLE: base, DEBUG: 'false'}",
          "",
        ].join("\n"),
        ".env": "TAG=1.2\n",
      },
      ["compose.yml"],
    );
    expect(stack.problems).toEqual([]);
    const web = service(stack, "web");
    expect(web.range).toEqual(r("compose.yml", 2, 3, 2, 6));
    expect(web.files).toEqual(["compose.yml", "common/base.yml"]);
    expect(web.image).toEqual({ value: "app:1.2", range: r("common/base.yml", 4, 12, 4, 27) });
    expect(web.build).toMatchObject({ context: "src", dockerfile: "src/Dockerfile" });
    expect(web.envFiles.map((e) => e.path)).toEqual(["common/app.env"]);
    expect(web.volumes.map((v) => v.source)).toEqual(["common/conf"]);
    expect(web.command?.argv.map((a) => a.value)).toEqual(["gunicorn", "app.wsgi"]);
    const worker = service(stack, "worker");
    expect(worker.files).toEqual(["compose.yml", "common/base.yml"]);
    expect(worker.command?.argv.map((a) => a.value)).toEqual(["gunicorn", "app.wsgi"]);
    expect(Object.fromEntries([...worker.environment].map(([k, v]) => [k, v.value]))).toEqual({ ROLE: "worker", DEBUG: "false" });
  });

  it("reports `extends` of a missing service, an unreadable file and a cycle, and keeps the service", () => {
    const stack = load(
      {
        "compose.yml": [
          "services:",
          "  a:",
          "    extends: nope",
          "    image: a",
          "  b:",
          "    extends: {file: missing.yml, service: x}",
          "  c:",
          "    extends: d",
          "  d:",
          "    extends: {service: c}",
          "",
        ].join("\n"),
      },
      ["compose.yml"],
    );
    expect(stack.problems).toEqual([
      { range: r("compose.yml", 3, 14, 3, 18), message: 'services.a.extends: cannot extend service "nope": no such service in compose.yml' },
      { range: r("missing.yml", 1, 1, 1, 1), message: "cannot read file (ENOENT)" },
      { range: r("compose.yml", 6, 21, 6, 32), message: "services.b.extends: cannot read missing.yml" },
      { range: r("compose.yml", 10, 5, 10, 26), message: "services.d.extends: circular reference: compose.yml#c → compose.yml#d → compose.yml#c" },
      { range: r("compose.yml", 8, 5, 8, 15), message: "services.c.extends: circular reference: compose.yml#d → compose.yml#c → compose.yml#d" },
    ]);
    expect(stack.services.map((s) => s.name)).toEqual(["a", "b", "c", "d"]);
    expect(service(stack, "a").image?.value).toBe("a");
  });

  it("loads nothing from an empty file list without throwing", () => {
    const stack = loadComposeStack([], "/nonexistent", () => {
      throw new Error("must not read");
    });
    expect(stack).toEqual({ id: "", files: [], projectDir: ".", services: [], namedVolumes: new Map(), networks: new Map(), problems: [] });
  });
});
