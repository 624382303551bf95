import { defineRule } from "../../src/engine/rule.js";
import { containerListeners, describeListener, reachableFromPublishedPort } from "../../src/model/container-listeners.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "compose/dead-port",
  django: null,
  severity: "warning",
  summary: "The app service publishes a port that nothing in its container listens on",
  why:
    "A compose `ports:` mapping forwards a host port to a container port. When the app server listens elsewhere — " +
    "uWSGI only on a unix socket for nginx, gunicorn bound to 8000 while the mapping says `8000:8080`, or a bind to " +
    "127.0.0.1, which Docker's forwarded connections never reach — the published port answers with connection resets: " +
    "a health check, load balancer or tunnel pointed at it sees the service down, and the mapping misleads whoever " +
    "reads the compose file.",
  fix:
    "Publish the port the container listens on (`\"8000:8000\"` for gunicorn `--bind 0.0.0.0:8000`), bind the server to " +
    "0.0.0.0 on the published container port, or remove the mapping when nginx reaches the app over a socket or the " +
    "compose network.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  web:\n    command: gunicorn bookshelf.wsgi --bind 0.0.0.0:8000\n    ports:\n      - \"8000:8080\"\n",
      good: "services:\n  web:\n    command: gunicorn bookshelf.wsgi --bind 0.0.0.0:8000\n    ports:\n      - \"8000:8000\"\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        // With network_mode host (or another container's network) compose ignores `ports:`.
        if (service.compose.networkMode !== undefined || service.compose.ports.length === 0) continue;
        const sockets = containerListeners(service);
        if (!sockets || sockets.unknown !== undefined) continue;
        const related = sockets.listeners.map((l) => ({ range: l.range, message: `${describeListener(l)} (service '${service.name}')` }));
        for (const port of service.compose.ports) {
          if (port.protocol !== "tcp" || !/^\d+$/.test(port.target)) continue;
          const onPort = sockets.listeners.filter((l) => l.endpoint.kind === "tcp" && l.endpoint.port === port.target);
          if (onPort.some((l) => reachableFromPublishedPort(l.endpoint))) continue;
          const host = port.published !== undefined ? `host port ${port.published}` : "a random host port";
          const tcp = sockets.listeners.filter((l) => reachableFromPublishedPort(l.endpoint));
          let message: string;
          if (onPort.length > 0) {
            message =
              `service '${service.name}' publishes container port ${port.target} (${host}), but ${describeListener(onPort[0] as (typeof onPort)[number])} ` +
              `accepts connections from inside the container only: Docker's forwarded connections never reach it; bind 0.0.0.0:${port.target}`;
          } else {
            const listening = sockets.listeners.length > 0 ? sockets.listeners.map(describeListener).join(", ") : "nothing";
            const only = tcp.length === 1 && tcp[0]?.endpoint.kind === "tcp" ? tcp[0].endpoint.port : undefined;
            const fix = only
              ? `publish "${port.hostIp !== undefined ? `${port.hostIp.includes(":") ? `[${port.hostIp}]` : port.hostIp}:` : ""}${port.published !== undefined ? `${port.published}:` : ""}${only}" or make the server listen on ${port.target}`
              : tcp.length === 0
                ? "remove the mapping (nginx reaches the app through the socket) or add a TCP listener on that port"
                : `publish one of the ports it listens on, or make the server listen on ${port.target}`;
            message = `service '${service.name}' publishes container port ${port.target} (${host}), but nothing in the container listens on ${port.target}: the container has ${listening}; ${fix}`;
          }
          report({ stack: stack.id, message, range: port.range, related });
        }
      }
    }
  },
});
