import { defineRule } from "../../src/engine/rule.js";
import { connectionsByStack, credentialDrifts, hostReach, shownValue } from "../../src/model/backing-services.js";
import { productionStacks } from "../../src/model/queries.js";

const WHAT = { NAME: "database name", USER: "user", PASSWORD: "password" } as const;

export default defineRule({
  id: "deploy/db-credentials-drift",
  django: null,
  severity: "error",
  summary: "DATABASES NAME / USER / PASSWORD differ from what the database service creates (POSTGRES_* / MYSQL_* / MARIADB_*)",
  why:
    "The official PostgreSQL image creates the user POSTGRES_USER (default `postgres`) with POSTGRES_PASSWORD and the " +
    "database POSTGRES_DB (default: the user's name); MySQL and MariaDB create MYSQL_DATABASE and MYSQL_USER / " +
    "MYSQL_PASSWORD (MariaDB also reads MARIADB_*, which win), and root has MYSQL_ROOT_PASSWORD. When the Django settings " +
    "(directly, through env files, or through DATABASE_URL) name another database, user or password, every connection " +
    "fails with \"password authentication failed\" or \"database does not exist\" — typically after one of the two env files " +
    "was edited and the other was not. Note that these variables only apply when the data volume is first initialised: " +
    "changing POSTGRES_PASSWORD later does not change the password of an existing database, so fix the settings side (or " +
    "change the password inside the database). Values are compared only when both sides are known (passwords are " +
    "compared, never printed); the rule stays silent for images other than the official ones, `*_FILE` secrets, " +
    "POSTGRES_HOST_AUTH_METHOD=trust, and, for names and users, when init scripts in /docker-entrypoint-initdb.d may " +
    "create others.",
  fix:
    "Make both sides read the same variables (e.g. `POSTGRES_PASSWORD` in one env file given to both services), or correct " +
    "the one that drifted. If the database was already initialised with other values, change them inside the database.",
  examples: [
    {
      file: ".env",
      bad: "# db service: POSTGRES_USER=bookshelf, POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\nDATABASE_URL=postgres://books:…@db:5432/bookshelf\n",
      good: "DATABASE_URL=postgres://bookshelf:…@db:5432/bookshelf\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const { stack, conn } of connectionsByStack(productionStacks(model))) {
      if (conn.kind !== "database") continue;
      const reach = hostReach(model, conn);
      if (reach.kind !== "service") continue;
      const target = reach.target;
      for (const drift of credentialDrifts(conn, target)) {
        const key = `${stack.id}:${drift.part.range.file}:${drift.part.range.line}:${drift.part.range.column}:${conn.label}:${drift.field}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const what = WHAT[drift.field];
        const values = drift.secret
          ? `the passwords differ (${shownValue("PASSWORD", drift.part.text)} vs ${shownValue("PASSWORD", drift.expected)})`
          : `${shownValue(drift.field, drift.part.text)} vs ${shownValue(drift.field, drift.expected)}`;
        report({
          stack: stack.id,
          message:
            `${conn.label} ${drift.field}${drift.part.from} is not the ${what} service '${target.name}' was initialised with ` +
            `(${drift.source}): ${values}; make both sides use the same value`,
          range: drift.part.range,
          related: [...drift.part.related, { range: drift.range, message: drift.note }],
        });
      }
    }
  },
});
