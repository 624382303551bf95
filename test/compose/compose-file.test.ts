import { describe, expect, it } from "vitest";
import type { SourceRange } from "../../src/core/location.js";
import { parseComposeFile, parsePortSpec, type ServiceFragment } from "../../src/parsers/compose-file.js";

const FILE = "docker-compose.yml";

function r(line: number, column: number, endLine: number, endColumn: number): SourceRange {
  return { file: FILE, line, column, endLine, endColumn };
}

function parse(lines: string[], env: Record<string, string> = {}) {
  return parseComposeFile(FILE, lines.join("\n") + "\n", new Map(Object.entries(env)));
}

/** The only service of a file that must parse without problems. */
function only(lines: string[], env: Record<string, string> = {}): ServiceFragment {
  const data = parse(lines, env);
  expect(data.problems).toEqual([]);
  expect(data.services).toHaveLength(1);
  return data.services[0]!;
}

describe("services and scalars", () => {
  it("locates each service by its key and reads image, container_name, hostname", () => {
    const data = parse([
      "services:", //
      "  web:",
      "    image: app:1.0",
      "    container_name: web_1",
      "    hostname: web",
      "  db:",
      "    image: 'postgres:16'",
    ]);
    expect(data.problems).toEqual([]);
    expect(data.legacyV1).toBe(false);
    const [web, db] = data.services;
    expect(web).toEqual({
      name: "web",
      file: FILE,
      range: r(2, 3, 2, 6),
      image: { value: "app:1.0", range: r(3, 12, 3, 19) },
      containerName: { value: "web_1", range: r(4, 21, 4, 26) },
      hostname: { value: "web", range: r(5, 15, 5, 18) },
    });
    expect(db?.image).toEqual({ value: "postgres:16", range: r(7, 12, 7, 25) });
  });

  it("interpolates values (not keys) from the given env and keeps the original scalar's range", () => {
    const web = only(["services:", "  web:", "    image: nginx:${NGINX_VERSION:-1.25}-alpine", "    environment:", "      ${KEY}: ${KEY}"], { KEY: "k" });
    expect(web.image).toEqual({ value: "nginx:1.25-alpine", range: r(3, 12, 3, 47) });
    expect([...web.environment!.values()]).toEqual([{ name: "${KEY}", value: "k", range: r(5, 7, 5, 21), valueRange: r(5, 15, 5, 21), fromVariables: true }]);
  });

  it("marks variables that had no value", () => {
    const web = only(["services:", "  web:", "    image: ${REGISTRY}/app:${TAG}"], { TAG: "2" });
    expect(web.image).toEqual({ value: "/app:2", range: r(3, 12, 3, 34), unresolved: ["REGISTRY"] });
  });

  it("treats a service with no body as empty", () => {
    const data = parse(["services:", "  web:", "  db: ~"]);
    expect(data.problems).toEqual([]);
    expect(data.services).toEqual([
      { name: "web", file: FILE, range: r(2, 3, 2, 6) },
      { name: "db", file: FILE, range: r(3, 3, 3, 5) },
    ]);
  });
});

describe("command and entrypoint", () => {
  it("splits the string form like shlex and locates every word", () => {
    const web = only(["services:", "  web:", `    command: gunicorn -b "0.0.0.0:8000" app.wsgi`]);
    expect(web.command).toEqual({
      form: "string",
      range: r(3, 14, 3, 49),
      argv: [
        { value: "gunicorn", range: r(3, 14, 3, 22) },
        { value: "-b", range: r(3, 23, 3, 25) },
        { value: "0.0.0.0:8000", range: r(3, 26, 3, 40) },
        { value: "app.wsgi", range: r(3, 41, 3, 49) },
      ],
    });
  });

  it("maps words through quoted scalars, escapes and interpolation", () => {
    const web = only(
      [
        "services:",
        "  web:",
        `    command: "uwsgi --http :\${PORT:-8000} --env \\"A=1\\""`,
        `    entrypoint: 'sh -c ''exec "$$@"'''`,
      ],
      {},
    );
    expect(web.command?.argv).toEqual([
      { value: "uwsgi", range: r(3, 15, 3, 20) },
      { value: "--http", range: r(3, 21, 3, 27) },
      { value: ":8000", range: r(3, 28, 3, 42) },
      { value: "--env", range: r(3, 43, 3, 48) },
      { value: "A=1", range: r(3, 49, 3, 56) },
    ]);
    expect(web.entrypoint).toEqual({
      form: "string",
      range: r(4, 17, 4, 39),
      argv: [
        { value: "sh", range: r(4, 18, 4, 20) },
        { value: "-c", range: r(4, 21, 4, 23) },
        { value: 'exec "$@"', range: r(4, 24, 4, 38) },
      ],
    });
  });

  it("maps words of folded and literal block scalars to their lines", () => {
    const web = only(["services:", "  web:", "    command: >", "      sh -c", "      'migrate", "      && serve'", "    entrypoint: |", "      run", "      now"]);
    expect(web.command?.argv).toEqual([
      { value: "sh", range: r(4, 7, 4, 9) },
      { value: "-c", range: r(4, 10, 4, 12) },
      { value: "migrate && serve", range: r(5, 7, 6, 16) },
    ]);
    expect(web.entrypoint?.argv).toEqual([
      { value: "run", range: r(8, 7, 8, 10) },
      { value: "now", range: r(9, 7, 9, 10) },
    ]);
  });

  it("reads the list form item by item, stringifying numbers", () => {
    const web = only(["services:", "  web:", `    command: ["celery", "-A", app, --concurrency, 4]`]);
    expect(web.command).toEqual({
      form: "list",
      range: r(3, 14, 3, 53),
      argv: [
        { value: "celery", range: r(3, 15, 3, 23) },
        { value: "-A", range: r(3, 25, 3, 29) },
        { value: "app", range: r(3, 31, 3, 34) },
        { value: "--concurrency", range: r(3, 36, 3, 49) },
        { value: "4", range: r(3, 51, 3, 52) },
      ],
    });
  });

  it("attaches an unresolved variable to the word it left empty", () => {
    const web = only(["services:", "  web:", "    command: gunicorn -b ${BIND}:8000 -w ${W:-2}"]);
    expect(web.command?.argv.map((a) => [a.value, a.unresolved])).toEqual([
      ["gunicorn", undefined],
      ["-b", undefined],
      [":8000", ["BIND"]],
      ["-w", undefined],
      ["2", undefined],
    ]);
  });

  it("keeps an empty word where an unset variable stood alone, which compose would drop", () => {
    const web = only(["services:", "  web:", "    command: redis-server --requirepass ${PASS} --port ${A}${B} ''"]);
    expect(web.command?.argv).toEqual([
      { value: "redis-server", range: r(3, 14, 3, 26) },
      { value: "--requirepass", range: r(3, 27, 3, 40) },
      { value: "", range: r(3, 41, 3, 48), unresolved: ["PASS"] },
      { value: "--port", range: r(3, 49, 3, 55) },
      { value: "", range: r(3, 56, 3, 64), unresolved: ["A", "B"] },
      { value: "", range: r(3, 65, 3, 67) },
    ]);
  });

  it("treats `command: null` as no command and an empty string as an empty argv", () => {
    expect(only(["services:", "  web:", "    command: ~"]).command).toBeUndefined();
    expect(only(["services:", "  web:", `    command: ""`]).command).toEqual({ form: "string", argv: [], range: r(3, 14, 3, 16) });
  });
});

describe("environment", () => {
  it("reads the list form: NAME=value, NAME= and bare NAME (resolved from .env when it is there)", () => {
    const web = only(
      ["services:", "  web:", "    environment:", "      - DEBUG=0", "      - EMPTY=", "      - FROM_SHELL", "      - FROM_DOTENV", "      - URL=a=b"],
      { FROM_DOTENV: "dotenv-value" },
    );
    expect([...web.environment!.values()]).toEqual([
      { name: "DEBUG", value: "0", range: r(4, 9, 4, 16), valueRange: r(4, 15, 4, 16) },
      { name: "EMPTY", value: "", range: r(5, 9, 5, 15), valueRange: r(5, 15, 5, 15) },
      { name: "FROM_SHELL", value: undefined, range: r(6, 9, 6, 19) },
      { name: "FROM_DOTENV", value: "dotenv-value", range: r(7, 9, 7, 20), fromVariables: true },
      { name: "URL", value: "a=b", range: r(8, 9, 8, 16), valueRange: r(8, 13, 8, 16) },
    ]);
  });

  it("reads the map form, stringifying numbers as written and booleans as compose does", () => {
    const web = only([
      "services:",
      "  web:",
      "    environment:",
      "      WORKERS: 4",
      "      RATIO: 1.50",
      "      MODE: 0755",
      "      ENABLED: true",
      "      OFF: False",
      "      NOTHING:",
      "      TILDE: ~",
      "      QUOTED: 'yes'",
    ]);
    expect([...web.environment!.values()]).toEqual([
      { name: "WORKERS", value: "4", range: r(4, 7, 4, 17), valueRange: r(4, 16, 4, 17) },
      { name: "RATIO", value: "1.50", range: r(5, 7, 5, 18), valueRange: r(5, 14, 5, 18) },
      { name: "MODE", value: "0755", range: r(6, 7, 6, 17), valueRange: r(6, 13, 6, 17) },
      { name: "ENABLED", value: "true", range: r(7, 7, 7, 20), valueRange: r(7, 16, 7, 20) },
      { name: "OFF", value: "false", range: r(8, 7, 8, 17), valueRange: r(8, 12, 8, 17) },
      { name: "NOTHING", value: undefined, range: r(9, 7, 9, 15) },
      { name: "TILDE", value: undefined, range: r(10, 7, 10, 15) },
      { name: "QUOTED", value: "yes", range: r(11, 7, 11, 20), valueRange: r(11, 15, 11, 20) },
    ]);
  });

  it("keeps the later of two definitions of a name", () => {
    const web = only(["services:", "  web:", "    environment:", "      - A=1", "      - A=2"]);
    expect([...web.environment!.values()]).toEqual([{ name: "A", value: "2", range: r(5, 9, 5, 12), valueRange: r(5, 11, 5, 12) }]);
  });

  it("records unresolved variables per variable", () => {
    const web = only(["services:", "  web:", "    environment:", "      - URL=postgres://${DB_USER}@db/${DB_NAME:-app}"]);
    expect(web.environment!.get("URL")).toEqual({ name: "URL", value: "postgres://@db/app", range: r(4, 9, 4, 53), unresolved: ["DB_USER"], valueRange: r(4, 13, 4, 53), fromVariables: true });
  });
});

describe("env_file", () => {
  it("reads a string, a list and the long syntax {path, required}", () => {
    const web = only([
      "services:",
      "  web:",
      "    env_file:",
      "      - .env",
      "      - path: ./envs/${STAGE:-prod}.env",
      "        required: false",
      "      - path: other.env",
    ]);
    expect(web.envFiles).toEqual([
      { path: ".env", required: true, range: r(4, 9, 4, 13) },
      { path: "./envs/prod.env", required: false, range: r(5, 9, 7, 1) },
      { path: "other.env", required: true, range: r(7, 9, 8, 1) },
    ]);
    expect(only(["services:", "  web:", "    env_file: web.env"]).envFiles).toEqual([{ path: "web.env", required: true, range: r(3, 15, 3, 22) }]);
  });
});

describe("volumes", () => {
  it("reads the short syntax: bind, named, anonymous, modes", () => {
    const web = only([
      "services:",
      "  web:",
      "    volumes:",
      "      - ./static:/app/static:ro",
      "      - media:/app/media",
      "      - /var/lib/anon",
      "      - /etc/localtime:/etc/localtime:ro,z",
      "      - ~/.ssh:/root/.ssh",
      "      - ../shared:/shared/:rw",
      "      - ${DATA_DIR:-./data}:/data",
    ]);
    expect(web.volumes).toEqual([
      { type: "bind", source: "./static", target: "/app/static", readOnly: true, range: r(4, 9, 4, 32) },
      { type: "volume", source: "media", target: "/app/media", readOnly: false, range: r(5, 9, 5, 25) },
      { type: "volume", target: "/var/lib/anon", readOnly: false, range: r(6, 9, 6, 22) },
      { type: "bind", source: "/etc/localtime", target: "/etc/localtime", readOnly: true, range: r(7, 9, 7, 43) },
      { type: "bind", source: "~/.ssh", target: "/root/.ssh", readOnly: false, range: r(8, 9, 8, 26) },
      { type: "bind", source: "../shared", target: "/shared", readOnly: false, range: r(9, 9, 9, 30) },
      { type: "bind", source: "./data", target: "/data", readOnly: false, range: r(10, 9, 10, 34) },
    ]);
  });

  it("reads the long syntax", () => {
    const web = only([
      "services:",
      "  web:",
      "    volumes:",
      "      - type: bind",
      "        source: ./conf",
      "        target: /etc/app",
      "        read_only: true",
      "      - {type: volume, source: static, target: /static}",
      "      - {type: volume, target: /anon}",
      "      - {type: tmpfs, target: /tmp, read_only: 'yes'}",
      "      - {type: npipe, source: '\\\\.\\pipe\\docker_engine', target: '\\\\.\\pipe\\docker_engine'}",
    ]);
    expect(web.volumes).toEqual([
      { type: "bind", source: "./conf", target: "/etc/app", readOnly: true, range: r(4, 9, 8, 1) },
      { type: "volume", source: "static", target: "/static", readOnly: false, range: r(8, 9, 8, 56) },
      { type: "volume", target: "/anon", readOnly: false, range: r(9, 9, 9, 38) },
      { type: "tmpfs", target: "/tmp", readOnly: true, range: r(10, 9, 10, 54) },
    ]);
  });
});

describe("ports and expose", () => {
  it.each([
    ["80", { target: "80", protocol: "tcp" }],
    ["8000:8000", { published: "8000", target: "8000", protocol: "tcp" }],
    ["127.0.0.1:5432:5432", { hostIp: "127.0.0.1", published: "5432", target: "5432", protocol: "tcp" }],
    ["127.0.0.1::5432", { hostIp: "127.0.0.1", target: "5432", protocol: "tcp" }],
    [":80", { target: "80", protocol: "tcp" }],
    ["8000-8010:8000-8010", { published: "8000-8010", target: "8000-8010", protocol: "tcp" }],
    ["53:53/udp", { published: "53", target: "53", protocol: "udp" }],
    ["[::1]:6379:6379", { hostIp: "::1", published: "6379", target: "6379", protocol: "tcp" }],
    ["::1:6379:6379", { hostIp: "::1", published: "6379", target: "6379", protocol: "tcp" }],
  ])("parsePortSpec(%j)", (spec, expected) => {
    expect(parsePortSpec(spec)).toEqual(expected);
  });

  it.each(["", "abc", "80:http", "80/", "1.2.3.4:x:80", "[::1:80"])("parsePortSpec rejects %j", (spec) => {
    expect(parsePortSpec(spec)).toBeUndefined();
  });

  it("reads short, YAML-integer and long ports with ranges", () => {
    const web = only([
      "services:",
      "  web:",
      "    ports:",
      `      - "127.0.0.1:8000:8000"`,
      "      - 9000",
      "      - ${PUBLIC_PORT:-443}:443/tcp",
      "      - target: 80",
      "        published: 8080",
      "        host_ip: 0.0.0.0",
      "        protocol: udp",
      "        mode: host",
      "    expose:",
      `      - "8001"`,
      "      - 9191",
    ]);
    expect(web.ports).toEqual([
      { hostIp: "127.0.0.1", published: "8000", target: "8000", protocol: "tcp", range: r(4, 9, 4, 30) },
      { target: "9000", protocol: "tcp", range: r(5, 9, 5, 13) },
      { published: "443", target: "443", protocol: "tcp", range: r(6, 9, 6, 36) },
      { hostIp: "0.0.0.0", published: "8080", target: "80", protocol: "udp", range: r(7, 9, 12, 1) },
    ]);
    expect(web.expose).toEqual([
      { value: "8001", range: r(13, 9, 13, 15) },
      { value: "9191", range: r(14, 9, 14, 13) },
    ]);
  });
});

describe("build", () => {
  it("reads the string form as the context", () => {
    expect(only(["services:", "  web:", "    build: ./app"]).build).toEqual({ range: r(3, 5, 3, 17), context: { value: "./app", range: r(3, 12, 3, 17) }, args: new Map() });
  });

  it("reads context, dockerfile, target and args in both forms", () => {
    const web = only(
      [
        "services:",
        "  web:",
        "    build:",
        "      context: ..",
        "      dockerfile: docker/Dockerfile",
        "      target: prod",
        "      args:",
        "        - PY=3.12",
        "        - GIT_SHA",
        "        - NOT_SET",
      ],
      { GIT_SHA: "abc" },
    );
    expect(web.build).toEqual({
      range: r(3, 5, 11, 1),
      context: { value: "..", range: r(4, 16, 4, 18) },
      dockerfile: { value: "docker/Dockerfile", range: r(5, 19, 5, 36) },
      target: { value: "prod", range: r(6, 15, 6, 19) },
      args: new Map([
        ["PY", { value: "3.12", range: r(8, 11, 8, 18) }],
        ["GIT_SHA", { value: "abc", range: r(9, 11, 9, 18) }],
        ["NOT_SET", { value: "", range: r(10, 11, 10, 18), unresolved: ["NOT_SET"] }],
      ]),
    });
    const mapArgs = only(["services:", "  web:", "    build:", "      args:", "        N: 1"]).build?.args;
    expect(mapArgs).toEqual(new Map([["N", { value: "1", range: r(5, 9, 5, 13) }]]));
  });
});

describe("depends_on, networks, profiles, healthcheck", () => {
  it("reads depends_on as a list or a map of conditions", () => {
    expect(only(["services:", "  web:", "    depends_on: [db, redis]"]).dependsOn).toEqual([
      { value: "db", range: r(3, 18, 3, 20) },
      { value: "redis", range: r(3, 22, 3, 27) },
    ]);
    expect(only(["services:", "  web:", "    depends_on:", "      db:", "        condition: service_healthy"]).dependsOn).toEqual([{ value: "db", range: r(4, 7, 4, 9) }]);
  });

  it("reads networks as a list or a map with aliases", () => {
    expect(only(["services:", "  web:", "    networks: [front, back]"]).networks).toEqual([
      { name: "front", aliases: [], range: r(3, 16, 3, 21) },
      { name: "back", aliases: [], range: r(3, 23, 3, 27) },
    ]);
    expect(only(["services:", "  web:", "    networks:", "      back:", "        aliases: [app]", "      front:"]).networks).toEqual([
      { name: "back", aliases: [{ value: "app", range: r(5, 19, 5, 22) }], range: r(4, 7, 4, 11) },
      { name: "front", aliases: [], range: r(6, 7, 6, 12) },
    ]);
  });

  it("reads profiles", () => {
    expect(only(["services:", "  web:", "    profiles: [debug, tools]"]).profiles).toEqual(["debug", "tools"]);
  });

  it("reads healthcheck tests: list, string (CMD-SHELL) and disable", () => {
    expect(only(["services:", "  web:", "    healthcheck:", `      test: ["CMD", "curl", "-f", "http://localhost/"]`]).healthcheck).toEqual({
      range: r(3, 5, 5, 1),
      test: {
        form: "list",
        range: r(4, 13, 4, 55),
        argv: [
          { value: "CMD", range: r(4, 14, 4, 19) },
          { value: "curl", range: r(4, 21, 4, 27) },
          { value: "-f", range: r(4, 29, 4, 33) },
          { value: "http://localhost/", range: r(4, 35, 4, 54) },
        ],
      },
    });
    expect(only(["services:", "  web:", "    healthcheck:", "      test: curl -f http://localhost/ || exit 1"]).healthcheck?.test).toEqual({
      form: "string",
      range: r(4, 13, 4, 48),
      argv: [
        { value: "CMD-SHELL", range: r(4, 13, 4, 48) },
        { value: "curl -f http://localhost/ || exit 1", range: r(4, 13, 4, 48) },
      ],
    });
    expect(only(["services:", "  web:", "    healthcheck:", "      disable: true"]).healthcheck?.test).toEqual({
      form: "list",
      range: r(4, 7, 4, 20),
      argv: [{ value: "NONE", range: r(4, 7, 4, 20) }],
    });
  });
});

describe("anchors, merge keys and extensions", () => {
  it("applies `<<` merge keys: explicit keys win, values keep the anchor's ranges", () => {
    const data = parse([
      "x-app: &app",
      "  image: app:1",
      "  environment:",
      "    A: from-anchor",
      "services:",
      "  web:",
      "    <<: *app",
      "    environment:",
      "      B: own",
      "  worker:",
      "    <<: [*app]",
      "    command: celery",
    ]);
    expect(data.problems).toEqual([]);
    const [web, worker] = data.services;
    expect(web?.image).toEqual({ value: "app:1", range: r(2, 10, 2, 15) });
    expect([...web!.environment!.keys()]).toEqual(["B"]);
    expect(worker?.image).toEqual({ value: "app:1", range: r(2, 10, 2, 15) });
    expect([...worker!.environment!.keys()]).toEqual(["A"]);
    expect(worker?.command?.argv.map((a) => a.value)).toEqual(["celery"]);
  });

  it("follows plain aliases", () => {
    const web = only(["x-env: &env", "  - A=1", "services:", "  web:", "    environment: *env"]);
    expect([...web.environment!.values()]).toEqual([{ name: "A", value: "1", range: r(2, 5, 2, 8), valueRange: r(2, 7, 2, 8) }]);
  });
});

describe("top-level volumes and networks", () => {
  it("reads external and named resources", () => {
    const data = parse([
      "services: {}",
      "volumes:",
      "  static:",
      "  pg:",
      "    external: true",
      "  legacy:",
      "    external:",
      "      name: old_pg",
      "  named:",
      "    name: ${PROJECT:-app}_named",
      "networks:",
      "  default:",
      "    name: proxy",
      "    external: true",
    ]);
    expect(data.problems).toEqual([]);
    expect(data.volumes).toEqual(
      new Map([
        ["static", { name: "static", external: false, range: r(3, 3, 3, 9) }],
        ["pg", { name: "pg", external: true, range: r(4, 3, 4, 5) }],
        ["legacy", { name: "old_pg", external: true, range: r(6, 3, 6, 9) }],
        ["named", { name: "app_named", external: false, range: r(9, 3, 9, 8) }],
      ]),
    );
    expect(data.networks).toEqual(new Map([["default", { name: "proxy", external: true, range: r(12, 3, 12, 10) }]]));
  });
});

describe("compose file format v1", () => {
  it("reads top-level services when there is no `services:` key", () => {
    const data = parse(["web:", "  build: .", "  links: [db]", "db:", "  image: postgres:9.6"]);
    expect(data.problems).toEqual([]);
    expect(data.legacyV1).toBe(true);
    expect(data.services.map((s) => [s.name, s.range])).toEqual([
      ["web", r(1, 1, 1, 4)],
      ["db", r(4, 1, 4, 3)],
    ]);
    expect(data.services[1]?.image?.value).toBe("postgres:9.6");
  });

  it("does not take a v2 override without services for v1", () => {
    const data = parse(["volumes:", "  data:"]);
    expect(data.legacyV1).toBe(false);
    expect(data.services).toEqual([]);
    expect(data.problems).toEqual([]);
  });
});

describe("CRLF and unicode", () => {
  it("counts columns in UTF-16 code units and handles CRLF line breaks", () => {
    const text = "services:\r\n  wéb:\r\n    image: \"😀:${T:-1}\"\r\n    command: echo 😀 done\r\n";
    const data = parseComposeFile(FILE, text, new Map());
    expect(data.problems).toEqual([]);
    const web = data.services[0]!;
    expect(web.range).toEqual(r(2, 3, 2, 6));
    expect(web.image).toEqual({ value: "😀:1", range: r(3, 12, 3, 24) });
    expect(web.command?.argv).toEqual([
      { value: "echo", range: r(4, 14, 4, 18) },
      { value: "😀", range: r(4, 19, 4, 21) },
      { value: "done", range: r(4, 22, 4, 26) },
    ]);
  });
});
