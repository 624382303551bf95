import { defineRule } from "../../src/engine/rule.js";
import { isLoopbackHost } from "../../src/model/app-server.js";
import { productionStacks } from "../../src/model/queries.js";


export default defineRule({
  id: "compose/exposed-backing-port",
  django: null,
  severity: "warning",
  summary: "A PostgreSQL or Redis port is published on the host",
  why:
    "Services on the compose network reach the database and the cache by service name (`db:5432`, `cache:6379`) " +
    "without any `ports:` entry. Publishing them binds every host interface, and Docker's iptables rules bypass host " +
    "firewalls such as ufw: the database or an unauthenticated Redis is reachable from the internet.",
  fix: "Remove the `ports:` entry (use `expose:` if you want to document the port), or bind it to loopback: `127.0.0.1:5432:5432`.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n",
      good: "services:\n  db:\n    image: postgres:16\n    # reached as db:5432 on the compose network\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const kind = service.roles.has("postgres") ? "PostgreSQL" : service.roles.has("redis") ? "Redis" : undefined;
        if (!kind) continue;
        for (const port of service.compose.ports) {
          if (port.hostIp !== undefined && isLoopbackHost(port.hostIp.replace(/^\[(.*)\]$/, "$1"))) continue;
          const published = port.published === undefined ? "a random host port" : `host port ${port.published}`;
          report({
            message:
              `${kind} service '${service.name}' publishes container port ${port.target} on ${published} of every host interface: ` +
              `other services reach it as ${service.name}:${port.target} without it; remove the mapping or bind it to 127.0.0.1`,
            range: port.range,
            stack: stack.id,
          });
        }
      }
    }
  },
});
