import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { missingDatabasePassword } from "../../src/model/database-init.js";
import { productionStacks } from "../../src/model/queries.js";

const ENGINE = { postgres: "PostgreSQL", mysql: "MySQL", mariadb: "MariaDB" } as const;

/** What each image says and does when it finds no password setting on an empty data directory. */
const REFUSAL = {
  postgres: "the image refuses to initialise an empty database (\"superuser password is not specified\") and the container exits",
  mysql: "the image refuses to initialise an empty database (\"password option is not specified\") and the container exits",
  mariadb: "the image refuses to initialise an empty database (\"password option is not specified\") and the container exits",
} as const;

/** The other settings that would also do, as the message lists them. */
const ALTERNATIVES = {
  postgres: "POSTGRES_PASSWORD_FILE or POSTGRES_HOST_AUTH_METHOD=trust",
  mysql: "MYSQL_ROOT_PASSWORD_FILE, MYSQL_RANDOM_ROOT_PASSWORD or MYSQL_ALLOW_EMPTY_PASSWORD",
  mariadb: "MARIADB_ROOT_PASSWORD_FILE, MARIADB_RANDOM_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or their MYSQL_* names",
} as const;

/** How to choose the value. */
const ADVICE = {
  postgres: "with the password Django connects with (the image gives it to POSTGRES_USER)",
  mysql: "(the value from the git-ignored .env), or MYSQL_RANDOM_ROOT_PASSWORD: \"1\" when Django connects as MYSQL_USER",
  mariadb: "(the value from the git-ignored .env), or MARIADB_RANDOM_ROOT_PASSWORD: \"1\" when Django connects as MARIADB_USER",
} as const;

export default defineRule({
  id: "compose/db-password-missing",
  django: null,
  severity: "error",
  summary: "A PostgreSQL / MySQL / MariaDB service's environment sets no superuser or root password, so the official image will not initialise",
  why:
    "The official database images create the database on the first start from environment variables, and they refuse " +
    "to do it without a password setting: `postgres` (and `postgis/postgis`, `timescale/timescaledb`, built on its " +
    "entrypoint) exits with \"Database is uninitialized and superuser password is not specified\" unless " +
    "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) is set or POSTGRES_HOST_AUTH_METHOD is `trust`; `mysql` exits unless " +
    "one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD is set; `mariadb` reads the " +
    "MARIADB_* names (MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, " +
    "MARIADB_RANDOM_ROOT_PASSWORD) and their MYSQL_* equivalents. (postgres tags built before February 2020 started " +
    "anyway, with every connection trusted — no password at all.) The usual cause is a password given to the Django " +
    "service only (its env_file) and not to the database service. The variables are read from the service's whole " +
    "environment — compose `environment`, `env_file`s, the Dockerfile's ENV when the image is built FROM one of these — " +
    "and a variable whose value comes from outside the repository counts as set; the rule stays silent when an env file " +
    "the checkout lacks may hold it, when the entrypoint is replaced, and for images with other variables " +
    "(bitnami/postgresql reads POSTGRESQL_PASSWORD / ALLOW_EMPTY_PASSWORD, mysql/mysql-server generates a root password).",
  fix:
    "Give the database service the password in its environment, from the git-ignored .env or a compose secret: " +
    "`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}` (or `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`), " +
    "`MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}`, `MARIADB_ROOT_PASSWORD: ${MARIADB_ROOT_PASSWORD}` " +
    "(or `MARIADB_RANDOM_ROOT_PASSWORD: \"1\"` when the application connects as MARIADB_USER). Use the same value the " +
    "Django settings connect with.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: bookshelf\n      POSTGRES_USER: bookshelf\n",
      good:
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: bookshelf\n      POSTGRES_USER: bookshelf\n" +
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const missing = missingDatabasePassword(service);
        if (!missing) continue;
        const { database, variable } = missing;
        const key = `${service.name}:${database.range.file}:${database.range.line}:${database.range.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const related: RelatedLocation[] = [];
        if (database.from === "dockerfile") {
          related.push({ range: service.compose.range, message: `service '${service.name}' is built FROM ${database.image}` });
        }
        for (const value of missing.nearby) {
          related.push({ range: value.range, message: `service '${service.name}' sets ${value.name} here, which does not set the ${database.family === "postgres" ? "superuser" : "root"} password` });
        }
        // The usual mistake: the password reaches the Django service (its env_file) but not the database.
        const elsewhere = stack.services.find((s) => s !== service && s.environment.values.has(variable));
        const given = elsewhere?.environment.values.get(variable);
        if (elsewhere && given) related.push({ range: given.range, message: `service '${elsewhere.name}' gets ${variable} here; service '${service.name}' does not` });
        const where = database.from === "dockerfile" ? `is built FROM ${database.image}` : `runs ${database.image}`;
        report({
          stack: stack.id,
          message:
            `${ENGINE[database.family]} service '${service.name}' ${where}, but its environment sets no ${variable} (nor ${ALTERNATIVES[database.family]}): ` +
            `${REFUSAL[database.family]}; add ${variable}: \${${variable}} to service '${service.name}' ${ADVICE[database.family]}.`,
          range: database.range,
          related,
        });
      }
    }
  },
});
