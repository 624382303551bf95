import { defineRule } from "../../src/engine/rule.js";
import { isLoopbackHost } from "../../src/model/app-server.js";
import { backingEngine } from "../../src/model/backing-images.js";
import { productionStacks } from "../../src/model/queries.js";


export default defineRule({
  id: "compose/exposed-backing-port",
  django: null,
  severity: "warning",
  summary: "A database, cache, broker or search server port is published on the host",
  why:
    "Services on the compose network reach the database, the cache, the broker and the search server by service name " +
    "(`db:5432`, `cache:6379`, `rabbitmq:5672`, `search:9200`) without any `ports:` entry. Publishing them binds every " +
    "host interface, and Docker's iptables rules bypass host firewalls such as ufw: PostgreSQL, MySQL / MariaDB or " +
    "MongoDB open to password guessing, an unauthenticated Redis, Memcached or Elasticsearch, RabbitMQ's broker and its " +
    "management UI (15672) are reachable from the internet.",
  fix:
    "Remove the `ports:` entry (use `expose:` if you want to document the port), or bind it to loopback: " +
    "`127.0.0.1:5432:5432` (and reach a management UI through an SSH tunnel).",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n",
      good: "services:\n  db:\n    image: postgres:16\n    # reached as db:5432 on the compose network\n",
    },
    {
      file: "docker-compose.yml",
      bad: "services:\n  rabbitmq:\n    image: rabbitmq:3-management\n    ports:\n      - \"5672:5672\"\n      - \"15672:15672\"\n",
      good: "services:\n  rabbitmq:\n    image: rabbitmq:3-management\n    ports:\n      - \"127.0.0.1:15672:15672\"  # ssh -L 15672:localhost:15672\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const engine = backingEngine(service);
        if (!engine) continue;
        for (const port of service.compose.ports) {
          if (port.hostIp !== undefined && isLoopbackHost(port.hostIp.replace(/^\[(.*)\]$/, "$1"))) continue;
          const published = port.published === undefined ? "a random host port" : `host port ${port.published}`;
          const what = port.target === engine.mainPort ? undefined : engine.ports.get(port.target);
          const hostIp = port.hostIp?.replace(/^\[(.*)\]$/, "$1");
          const interfaces = hostIp === undefined || hostIp === "0.0.0.0" || hostIp === "::" ? "every host interface" : `host address ${hostIp}`;
          report({
            message:
              `${engine.name} service '${service.name}' publishes container port ${port.target}${what ? ` (${what})` : ""} on ${published} of ${interfaces}: ` +
              (engine.uiPorts.has(port.target)
                ? `bind it to 127.0.0.1 and open the UI through an SSH tunnel, or remove the mapping`
                : `other services reach it as ${service.name}:${port.target} without it; remove the mapping or bind it to 127.0.0.1`),
            range: port.range,
            stack: stack.id,
          });
        }
      }
    }
  },
});
