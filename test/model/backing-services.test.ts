import { describe, expect, it } from "vitest";
import {
  backingConnections,
  credentialDrifts,
  hostReach,
  mayRunInside,
  parseAddress,
  portVerdict,
  type BackingConnection,
} from "../../src/model/backing-services.js";
import type { DeploymentModel } from "../../src/model/deployment-model.js";
import { model, service } from "./helpers.js";

/** A gunicorn web service with proj/settings.py, plus other services (YAML under `services:`). */
function app(settings: string, options: { services?: string; web?: string; files?: Record<string, string>; dockerfile?: string; top?: string } = {}): DeploymentModel {
  const web = options.dockerfile
    ? "  web:\n    build: .\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n"
    : "  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n";
  const compose = `services:\n${web}    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n${options.web ?? ""}${options.services ?? ""}${options.top ?? ""}`;
  return model({
    "docker-compose.yml": compose,
    "proj/__init__.py": "",
    "proj/wsgi.py": "",
    "proj/settings.py": settings,
    "requirements.txt": "Django==4.2\n",
    ...(options.dockerfile ? { Dockerfile: options.dockerfile } : {}),
    ...options.files,
  });
}

const PG = "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: pw\n";
const REDIS = "  redis:\n    image: redis:7\n";

function conns(m: DeploymentModel): BackingConnection[] {
  const stack = m.stacks.findIndex((st) => st.services.some((x) => x.name === "web"));
  return backingConnections(service(m, "web", stack));
}

function db(host: string, extra = ""): string {
  return `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "shop", "PASSWORD": "pw", "HOST": ${host}, "PORT": 5432${extra}}}\n`;
}

/** [label, host, port, where it leads] */
function reach(m: DeploymentModel): [string, string, string, string][] {
  return conns(m).map((c) => {
    const r = hostReach(m, c);
    return [c.label, c.host?.text ?? (c.emptyHost ? "''" : "-"), c.port?.text ?? "-", r.kind === "service" ? `service ${r.target.name}` : r.kind === "silent" ? `silent: ${r.reason}` : r.kind];
  });
}

describe("backing connections: what the settings connect to", () => {
  it("DATABASES written as a dict: every part located at its token", () => {
    const m = app(db('"db"'), { services: PG });
    const [c] = conns(m);
    expect(c?.engine).toBe("postgresql");
    expect([c?.host?.text, c?.port?.text, c?.name?.text, c?.user?.text, c?.password?.text]).toEqual(["db", "5432", "shop", "shop", "pw"]);
    // HOST "db" starts at column 127 of line 1.
    expect(c?.host?.range).toMatchObject({ file: "proj/settings.py", line: 1, column: 127, endColumn: 131 });
    expect(c?.host?.from).toBe("");
  });

  it("a partial override in split settings is read where it was made, with the env line behind it", () => {
    const m = app("from .base import *\nimport os\nDATABASES['default']['HOST'] = os.environ['DB_HOST']\n", {
      services: PG,
      web: "      DB_HOST: localhost\n",
      files: { "proj/base.py": db('"db"') },
    });
    const [c] = conns(m);
    expect(c?.host?.text).toBe("localhost");
    expect(c?.host?.range).toMatchObject({ file: "docker-compose.yml", line: 10 });
    expect(c?.host?.from).toBe(" (DB_HOST in the compose environment, docker-compose.yml line 10)");
    expect(c?.host?.related.map((r) => [r.range.file, r.range.line, r.message])).toEqual([["proj/settings.py", 3, "DATABASES['default'] reads DB_HOST here"]]);
    expect(hostReach(m, c as BackingConnection).kind).toBe("loopback");
  });

  it("django-environ's env.db() and dj-database-url's config() from DATABASE_URL", () => {
    for (const settings of ["import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n", "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"]) {
      const m = app(settings, { services: PG, web: "      DATABASE_URL: postgres://shop:pw@db:5433/shop\n" });
      const [c] = conns(m);
      expect([c?.host?.text, c?.port?.text, c?.user?.text, c?.password?.text]).toEqual(["db", "5433", "shop", "pw"]);
      expect(c?.host?.range.line).toBe(10);
      expect(c?.host?.from).toBe(" (DATABASE_URL in the compose environment, docker-compose.yml line 10)");
    }
  });

  it("a value from a committed template standing in for a missing env file is used, and says so", () => {
    const m = app("import os\n" + db('os.environ["DB_HOST"]'), {
      services: PG,
      web: "    env_file: .env.prod\n",
      files: { ".env.prod.example": "DB_HOST=localhost\n" },
    });
    const [c] = conns(m);
    expect(c?.host?.range).toMatchObject({ file: ".env.prod.example", line: 1 });
    expect(c?.host?.from).toBe(" (DB_HOST in .env.prod.example line 1, the committed template of .env.prod, which the repository does not hold)");
    expect(hostReach(m, c as BackingConnection).kind).toBe("loopback");
  });

  it("sqlite, unknown engines and unknown hosts make no connection", () => {
    expect(conns(app('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/db.sqlite3"}}\n'))).toEqual([]);
    expect(conns(app("import os\n" + db('os.environ["NOWHERE"]')))).toEqual([]);
  });

  it("CACHES: URLs, lists, comma-separated strings, memcached host:port; unix sockets skipped", () => {
    const m = app(
      [
        "CACHES = {",
        "  'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': ['redis://redis:6379/1', 'redis://replica:6379/1']},",
        "  'sessions': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://:s3cret@redis:6379/2,unix:///run/redis.sock'},",
        "  'mc': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'memcached:11211;localhost'},",
        "  'local': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},",
        "}",
        "",
      ].join("\n"),
      { services: REDIS + "  memcached:\n    image: memcached:1.6\n" },
    );
    expect(reach(m)).toEqual([
      ["CACHES['default'] LOCATION", "redis", "6379", "service redis"],
      ["CACHES['default'] LOCATION", "replica", "6379", "no-such-service"],
      ["CACHES['sessions'] LOCATION", "redis", "6379", "service redis"],
      ["CACHES['mc'] LOCATION", "memcached", "11211", "service memcached"],
      ["CACHES['mc'] LOCATION", "localhost", "-", "loopback"],
    ]);
  });

  it("Celery broker (with failover) and result backend; channel layers as tuples, URLs, dicts, and the default", () => {
    const m = app(
      [
        "CELERY_BROKER_URL = 'amqp://guest:guest@rabbitmq:5672//;amqp://guest:guest@rabbit2:5672//'",
        "CELERY_RESULT_BACKEND = 'django-db'",
        "BROKER_URL = 'redis://localhost:6379/0'  # a leftover: Celery reads CELERY_BROKER_URL",
        "CHANNEL_LAYERS = {",
        "  'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer', 'CONFIG': {'hosts': [('redis', 6379), 'redis://redis:6380/0', {'address': 'redis://localhost:6379'}]}},",
        "  'bare': {'BACKEND': 'channels_redis.pubsub.RedisPubSubChannelLayer'},",
        "  'memory': {'BACKEND': 'channels.layers.InMemoryChannelLayer'},",
        "}",
        "",
      ].join("\n"),
      { services: REDIS + "  rabbitmq:\n    image: rabbitmq:3-management\n" },
    );
    expect(reach(m)).toEqual([
      ["CELERY_BROKER_URL", "rabbitmq", "5672", "service rabbitmq"],
      ["CELERY_BROKER_URL", "rabbit2", "5672", "no-such-service"],
      ["CHANNEL_LAYERS['default']", "redis", "6379", "service redis"],
      ["CHANNEL_LAYERS['default']", "redis", "6380", "service redis"],
      ["CHANNEL_LAYERS['default']", "localhost", "6379", "loopback"],
      ["CHANNEL_LAYERS['bare']", "localhost", "-", "loopback"],
    ]);
  });

  it("parseAddress reads the addresses the backends accept and leaves sockets alone", () => {
    expect(parseAddress("redis://user:pw@Cache:6380/1", "redis")).toEqual({ host: "cache", port: "6380", shown: "redis://user:…(2 chars)@Cache:6380/1" });
    expect(parseAddress("rediss://cache.example.net", "redis")?.port).toBeUndefined();
    expect(parseAddress("amqps://mq.example.net//", "amqp")?.port).toBe("5671");
    expect(parseAddress("127.0.0.1:11211", "memcached")).toEqual({ host: "127.0.0.1", port: "11211", shown: "127.0.0.1:11211" });
    expect(parseAddress("unix:/tmp/memcached.sock", "memcached")).toBeUndefined();
    expect(parseAddress("unix:///run/redis.sock", "redis")).toBeUndefined();
    expect(parseAddress("/var/run/redis.sock", "redis")).toBeUndefined();
    expect(parseAddress("sentinel://s1:26379", "redis")).toBeUndefined();
  });
});

describe("hostReach: where a host leads from the Django container", () => {
  it("service names, network aliases, container_name, hostname and links", () => {
    const services = [
      "  db:\n    image: postgres:16\n    container_name: shop-db\n    hostname: pg\n    networks:\n      default:\n        aliases:\n          - database\n",
    ].join("");
    for (const host of ["db", "DB", "shop-db", "pg", "database"]) expect(reach(app(db(`"${host}"`), { services }))[0]?.[3]).toBe("service db");
    expect(reach(app(db('"pglink"'), { services, web: "    links:\n      - db:pglink\n" }))[0]?.[3]).toBe("service db");
  });

  it("names that may resolve outside the stack are not judged", () => {
    expect(reach(app(db('"pg"'), { web: "    network_mode: host\n" }))[0]?.[3]).toBe("silent: service 'web' uses network_mode: host");
    expect(reach(app(db('"pg"'), { web: "    networks:\n      - shared\n", top: "networks:\n  shared:\n    external: true\n" }))[0]?.[3]).toBe(
      "silent: service 'web' joins the external network 'shared'",
    );
    expect(reach(app(db('"pg"'), { web: "    external_links:\n      - legacy_db:pg\n" }))[0]?.[3]).toBe("silent: service 'web' has external_links");
    expect(reach(app(db('"pg"'), { web: "    extra_hosts:\n      - pg:10.0.0.5\n" }))[0]?.[3]).toBe("silent: extra_hosts of service 'web' names it");
    expect(reach(app(db('"db.internal.example.com"')))[0]?.[3]).toBe("silent: an IP address or a fully qualified name: outside the stack");
    expect(reach(app(db('"10.0.0.5"')))[0]?.[3]).toBe("silent: an IP address or a fully qualified name: outside the stack");
    expect(reach(app(db('"/var/run/postgresql"')))[0]?.[3]).toBe("silent: a unix socket");
    for (const placeholder of ["[DB_HOST]", "{{ db_host }}", "<db-host>", "YOUR_DB_HOST", "your-db-host", "changeme"]) {
      expect(reach(app(db(JSON.stringify(placeholder))))[0]?.[3]).toBe("silent: a placeholder, filled in at deploy time");
    }
    expect(reach(app(db('"[::1]"')))[0]?.[3]).toBe("loopback");
    expect(reach(app(db('"localhost"'), { web: "    network_mode: service:db\n", services: PG }))[0]?.[3]).toBe("silent: service 'web' uses network_mode: service:db");
    expect(reach(app(db('"db"', ', "OPTIONS": {"service": "shop"}')))[0]?.[3]).toBe("silent: OPTIONS['service'] may name the server");
  });

  it("a name another compose file of the repository defines is accepted (files are combined with -f)", () => {
    const m = app(db('"db"'), { files: { "docker-compose.db.yml": "services:\n  db:\n    image: postgres:16\n" } });
    expect(reach(m).map((r) => r[3])).toEqual(["silent: stack docker-compose.db.yml has a service 'db'"]);
  });

  it("an unknown name suggests a service one or two edits away, else the only one running the engine", () => {
    const typo = hostReach(app(db('"dbb"'), { services: PG }), conns(app(db('"dbb"'), { services: PG }))[0] as BackingConnection);
    expect(typo.kind === "no-such-service" && typo.suggestion?.name).toBe("db");
    const m = app(db('"postgresql"'), { services: PG });
    const other = hostReach(m, conns(m)[0] as BackingConnection);
    expect(other.kind === "no-such-service" && other.suggestion?.name).toBe("db");
  });

  it("localhost is fine when the server may run in the same container", () => {
    const installs = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y postgresql supervisor\nCOPY . /code\nWORKDIR /code\n";
    const m = app(db('"localhost"'), { dockerfile: installs });
    expect(reach(m)[0]?.[3]).toMatch(/^silent: the image of service 'web' installs a server package \(Dockerfile:2\)$/);
    expect(mayRunInside(service(m, "web"), "redis")).toMatch(/installs a server package/); // supervisor may start anything
    const plain = app(db('"localhost"'), { dockerfile: "FROM python:3.12-slim\nRUN pip install psycopg2-binary\nCOPY . /code\nWORKDIR /code\n" });
    expect(reach(plain)[0]?.[3]).toBe("loopback");
    const started = model({
      "docker-compose.yml":
        "services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n" +
        "    command: sh -c \"service postgresql start && gunicorn proj.wsgi --bind 0.0.0.0:8000\"\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n",
      "proj/__init__.py": "",
      "proj/wsgi.py": "",
      "proj/settings.py": db('"localhost"'),
    });
    expect(reach(started)[0]?.[3]).toBe("silent: service 'web' starts more than the app server");
    const custom = app(db('"localhost"'), { dockerfile: "FROM mycompany/base:1\nCOPY . /code\nWORKDIR /code\n" });
    expect(reach(custom)[0]?.[3]).toBe("silent: service 'web' is built FROM mycompany/base:1, whose content we do not know");
  });

  it("an empty HOST: the local socket, unless PGHOST is set or a socket directory is mounted", () => {
    expect(reach(app(db('""'), { services: PG }))[0]?.[3]).toBe("local-socket");
    expect(reach(app(db("None"), { services: PG }))[0]?.[3]).toBe("local-socket");
    expect(reach(app(db('""'), { services: PG, web: "      PGHOST: db\n" }))[0]?.[3]).toBe("silent: PGHOST is set in service 'web'");
    expect(reach(app(db('""'), { services: PG, web: "    volumes:\n      - .:/code\n      - pgsocket:/var/run/postgresql\n", top: "volumes:\n  pgsocket:\n" }))[0]?.[3]).toBe(
      "silent: /var/run/postgresql is mounted in service 'web'",
    );
  });
});

describe("portVerdict and credentialDrifts", () => {
  function verdict(settingsPort: string, dbService: string): string {
    const m = app(db('"db"').replace('"PORT": 5432', `"PORT": ${settingsPort}`), { services: dbService });
    const c = conns(m)[0] as BackingConnection;
    const r = hostReach(m, c);
    if (r.kind !== "service") return r.kind;
    const v = portVerdict(c, r.target);
    return v.kind === "published" ? `published ${v.mapping.published}:${v.mapping.target}` : v.kind === "not-listening" ? `not-listening ${v.listens}` : v.kind;
  }

  it("the container port, the published port, a port the image does not listen on, and what makes it unknown", () => {
    expect(verdict("5432", PG)).toBe("ok");
    expect(verdict('""', PG)).toBe("ok");
    expect(verdict('"5433"', PG + '    ports:\n      - "5433:5432"\n')).toBe("published 5433:5432");
    expect(verdict("5433", PG)).toBe("not-listening 5432");
    expect(verdict("5433", PG + "    command: postgres -p 5433\n")).toBe("silent");
    expect(verdict("5433", PG + "      PGPORT: '5433'\n")).toBe("silent");
    expect(verdict("5433", PG + '    expose:\n      - "5433"\n')).toBe("ok");
    expect(verdict("5433", "  db:\n    image: bitnami/postgresql:16\n")).toBe("silent");
  });

  function drifts(settings: string, dbService: string, web = ""): string[] {
    const m = app(settings, { services: dbService, web });
    const c = conns(m)[0] as BackingConnection;
    const r = hostReach(m, c);
    return r.kind === "service" ? credentialDrifts(c, r.target).map((d) => `${d.field}: ${d.part.text} vs ${d.expected}`) : [`(${r.kind})`];
  }

  it("PostgreSQL: explicit variables, the image defaults, trust, *_FILE and init scripts", () => {
    expect(drifts(db('"db"'), PG)).toEqual([]);
    // POSTGRES_USER 'app' without POSTGRES_DB: the database is 'app' too.
    expect(drifts(db('"db"'), PG.replace("shop", "app"))).toEqual(["USER: shop vs app", "NAME: shop vs app"]);
    expect(drifts(db('"db"'), PG.replace("pw", "other"))).toEqual(["PASSWORD: pw vs other"]);
    // No POSTGRES_USER: the user is 'postgres' and the database is named after it.
    expect(drifts(db('"db"').replace('"USER": "shop"', '"USER": "postgres"'), "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: pw\n")).toEqual(["NAME: shop vs postgres"]);
    // NAME 'postgres' always exists.
    expect(drifts(db('"db"').replace('"NAME": "shop"', '"NAME": "postgres"'), PG)).toEqual([]);
    expect(drifts(db('"db"'), PG.replace("pw", "other") + "      POSTGRES_HOST_AUTH_METHOD: trust\n")).toEqual([]);
    expect(drifts(db('"db"'), PG.replace("      POSTGRES_PASSWORD: pw\n", "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n"))).toEqual([]);
    expect(drifts(db('"db"'), PG.replace("shop", "app") + "    volumes:\n      - ./initdb:/docker-entrypoint-initdb.d\n")).toEqual([]);
    // An env file the checkout lacks may set POSTGRES_USER: the default is not assumed.
    expect(drifts(db('"db"'), "  db:\n    image: postgres:16\n    env_file: db.env\n    environment:\n      POSTGRES_PASSWORD: pw\n")).toEqual([]);
    // Not the official image: its variables differ.
    expect(drifts(db('"db"'), "  db:\n    image: bitnami/postgresql:16\n    environment:\n      POSTGRES_USER: app\n")).toEqual([]);
  });

  it("MySQL / MariaDB: the app user, root, and MARIADB_* over MYSQL_*", () => {
    const mysql = (user: string, password: string) =>
      `DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop", "USER": "${user}", "PASSWORD": "${password}", "HOST": "db"}}\n`;
    const service = "  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_DATABASE: shop\n      MYSQL_USER: shop\n      MYSQL_PASSWORD: pw\n      MYSQL_ROOT_PASSWORD: rootpw\n";
    expect(drifts(mysql("shop", "pw"), service)).toEqual([]);
    expect(drifts(mysql("shop", "nope"), service)).toEqual(["PASSWORD: nope vs pw"]);
    expect(drifts(mysql("root", "pw"), service)).toEqual(["PASSWORD: pw vs rootpw"]);
    expect(drifts(mysql("app", "pw"), service)).toEqual(["USER: app vs shop"]);
    const maria = "  db:\n    image: mariadb:11\n    environment:\n      MYSQL_USER: shop\n      MARIADB_USER: app\n      MARIADB_PASSWORD: pw\n";
    expect(drifts(mysql("app", "pw"), maria)).toEqual([]);
    expect(drifts(mysql("shop", "pw"), maria)).toEqual(["USER: shop vs app"]);
  });
});
