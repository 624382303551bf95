import { defineRule } from "../../src/engine/rule.js";
import { connectionsByStack, hostProblem } from "../../src/model/backing-services.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "deploy/db-host",
  django: null,
  severity: "error",
  summary: "A DATABASES HOST that the Django container cannot reach: localhost, an empty HOST, or a name no compose service answers to",
  why:
    "Inside a container, `localhost` / `127.0.0.1` / `::1` is the container itself: unless PostgreSQL or MySQL runs in the same " +
    "container, the connection is refused and every request that touches the database fails. An explicitly empty HOST is no " +
    "better: Django's PostgreSQL backend (libpq) and MySQL backend then connect through the local unix socket " +
    "(/var/run/postgresql, /var/run/mysqld), which does not exist in an app container that runs no database and mounts no socket. " +
    "A single-label host name resolves on the compose network only when it is a service name, a network alias, a " +
    "`container_name`, a `hostname` or a `links` alias of the stack: a typo or a renamed service fails with \"could not translate " +
    "host name\". The rule stays silent for fully qualified names and IP addresses (managed databases outside the stack), unix " +
    "socket paths, values not in the repository, placeholders such as `[DB_HOST]`, a HOST key that is absent, OPTIONS that can name the server themselves " +
    "(`service`, `read_default_file`…), PGHOST / MYSQL_HOST in the environment, and services that use `network_mode`, join an " +
    "external network or have `external_links` / `extra_hosts` entries for the name (it may resolve there). A name that " +
    "another compose file of the repository defines is also accepted, as files are often combined with `-f`. A value " +
    "read from a committed env template standing in for a missing env file (`.env.prod-sample` for `.env.prod`) is " +
    "judged like the real file, and the message says so.",
  fix:
    "Set HOST (or the host of DATABASE_URL) to the name of the compose service that runs the database, e.g. `db`, and keep " +
    "PORT the container port (5432). Use a fully qualified name for a database outside the stack.",
  examples: [
    {
      file: "app/settings/prod.py",
      bad: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "localhost", "PORT": "5432", ...}}\n',
      good: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "PORT": "5432", ...}}  # services: db: image: postgres:16\n',
    },
    {
      file: ".env",
      bad: "DATABASE_URL=postgres://shop:…@127.0.0.1:5432/shop\n",
      good: "DATABASE_URL=postgres://shop:…@db:5432/shop\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const { stack, conn } of connectionsByStack(productionStacks(model))) {
      if (conn.kind !== "database") continue;
      const problem = hostProblem(model, conn);
      if (!problem) continue;
      // Two Django services with the same settings make the same mistake once.
      const key = `${stack.id}:${problem.range.file}:${problem.range.line}:${problem.range.column}:${conn.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({ ...problem, stack: stack.id });
    }
  },
});
