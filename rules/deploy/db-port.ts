import { defineRule } from "../../src/engine/rule.js";
import { connectionsByStack, portProblem } from "../../src/model/backing-services.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "deploy/db-port",
  django: null,
  severity: "error",
  summary: "DATABASES PORT is the host-published port of the database service, or a port its image does not listen on",
  why:
    "Containers on a compose network talk to each other's container ports. `ports: \"5433:5432\"` publishes PostgreSQL on " +
    "port 5433 of the host machine, but from the Django container the database is still `db:5432`: a PORT of 5433 (in " +
    "DATABASES or in DATABASE_URL) is refused. Likewise a PORT the official image does not listen on (PostgreSQL 5432, " +
    "MySQL / MariaDB 3306) fails, when the service's command and environment (PGPORT, MYSQL_TCP_PORT) leave the default " +
    "alone. Only DATABASES is checked here; deploy/cache-host reports the same mistakes for caches, brokers and channel " +
    "layers. Silent when the host is not a compose service, the port is not known, the service declares the port in " +
    "`ports:` / `expose:`, or either service uses `network_mode`.",
  fix: "Use the container port (the right-hand side of the `ports:` mapping), e.g. `PORT: 5432`, or leave PORT empty for the default.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5433:5432"\n  web:\n    environment:\n      DATABASE_URL: postgres://shop:…@db:5433/shop\n',
      good: 'services:\n  db:\n    image: postgres:16\n  web:\n    environment:\n      DATABASE_URL: postgres://shop:…@db:5432/shop\n',
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const { stack, conn } of connectionsByStack(productionStacks(model))) {
      if (conn.kind !== "database") continue;
      const problem = portProblem(model, conn);
      if (!problem) continue;
      const key = `${stack.id}:${problem.range.file}:${problem.range.line}:${problem.range.column}:${conn.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({ ...problem, stack: stack.id });
    }
  },
});
