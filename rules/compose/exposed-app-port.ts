import { defineRule } from "../../src/engine/rule.js";
import { isLoopbackHost } from "../../src/model/app-server.js";
import { reachableFromPublishedPort } from "../../src/model/container-listeners.js";
import type { Listener, Service } from "../../src/model/deployment-model.js";
import { describeEndpoint, productionStacks } from "../../src/model/queries.js";
import { passWirings, type PassCheck } from "../../src/model/socket-wiring.js";

const SERVER_NAME = { uwsgi: "uWSGI", gunicorn: "gunicorn", daphne: "daphne", uvicorn: "uvicorn", runserver: "runserver" } as const;

/** True when `port` is the compose target (`8000`) or inside a target range (`8000-8010`). */
function inTarget(target: string, port: string): boolean {
  const [low, high = low] = target.split("-").map(Number);
  const p = Number(port);
  return low !== undefined && high !== undefined && p >= low && p <= high;
}

export default defineRule({
  id: "compose/exposed-app-port",
  django: null,
  severity: "warning",
  summary: "The app server's own port is published on the host next to the nginx that fronts it",
  why:
    "When nginx proxies to the app server, clients are meant to come in through nginx: its TLS, its Host checks, its " +
    "`X-Forwarded-*` headers, its upload limits and its static files. A `ports:` entry on the app service that " +
    "forwards to the port gunicorn, daphne, uvicorn or uWSGI listens on opens a second way in on every host interface " +
    "(Docker's iptables rules bypass host firewalls such as ufw): plain HTTP straight to Django, with whatever " +
    "`X-Forwarded-Proto` or `X-Forwarded-For` the client sends. A uWSGI `socket` speaks the raw uwsgi protocol, in " +
    "which the client sets every request variable itself — `HTTPS`, `REMOTE_ADDR`, and uWSGI's magic `UWSGI_*` " +
    "variables that can load other code.",
  fix:
    "Remove the `ports:` entry of the app service (nginx reaches it as `service:port` on the compose network; `expose:` " +
    "documents the port), or bind it to loopback for a local probe: `127.0.0.1:8000:8000`.",
  examples: [
    {
      file: "docker-compose.yml",
      bad:
        "services:\n  web:\n    command: gunicorn bookshelf.wsgi --bind 0.0.0.0:8000\n    ports:\n      - \"8000:8000\"\n" +
        "  nginx:\n    image: nginx:1.27  # proxy_pass http://web:8000\n    ports:\n      - \"443:443\"\n",
      good:
        "services:\n  web:\n    command: gunicorn bookshelf.wsgi --bind 0.0.0.0:8000\n    expose:\n      - \"8000\"\n" +
        "  nginx:\n    image: nginx:1.27  # proxy_pass http://web:8000\n    ports:\n      - \"443:443\"\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      // The app services some nginx of the stack actually reaches, with one pass that does.
      const fronted = new Map<Service, PassCheck>();
      for (const check of passWirings(stack)) {
        if (check.wiring.kind === "connected" && !fronted.has(check.wiring.app)) fronted.set(check.wiring.app, check);
      }
      for (const [app, front] of fronted) {
        const server = app.appServer;
        // With network_mode host (or another container's network) compose ignores `ports:`.
        if (!server || app.compose.networkMode !== undefined) continue;
        for (const port of app.compose.ports) {
          if (port.protocol !== "tcp") continue;
          const hostIp = port.hostIp?.replace(/^\[(.*)\]$/, "$1");
          if (hostIp !== undefined && isLoopbackHost(hostIp)) continue;
          const listener: Listener | undefined = server.listeners.find(
            (l) => l.endpoint.kind === "tcp" && reachableFromPublishedPort(l.endpoint) && inTarget(port.target, l.endpoint.port),
          );
          if (!listener || listener.endpoint.kind !== "tcp") continue;
          const name = SERVER_NAME[server.kind];
          const where = port.published === undefined ? "a random host port" : `host port ${port.published}`;
          const interfaces = hostIp === undefined || hostIp === "0.0.0.0" || hostIp === "::" ? "every host interface" : `host address ${hostIp}`;
          const what =
            listener.protocol === "uwsgi"
              ? `${name}'s ${listener.option} (the raw uwsgi protocol, in which the client sets HTTPS, REMOTE_ADDR and UWSGI_* variables itself)`
              : `${name}'s HTTP ${listener.option}`;
          report({
            stack: stack.id,
            message:
              `service '${app.name}' publishes container port ${listener.endpoint.port}, ${what}, on ${where} of ${interfaces}, ` +
              `while nginx in service '${front.nginx.name}' fronts it: clients bypass nginx's TLS and headers; remove the mapping ` +
              `(nginx reaches the app at ${describeEndpoint(front.endpoint.endpoint)} without it) or bind it to 127.0.0.1`,
            range: port.range,
            related: [
              { range: listener.range, message: `${name} in service '${app.name}' listens on ${describeEndpoint(listener.endpoint)} (${listener.option})` },
              {
                range: front.endpoint.range,
                message: `nginx in service '${front.nginx.name}' passes requests to ${describeEndpoint(front.endpoint.endpoint)} (${front.pass.directive})`,
              },
            ],
          });
        }
      }
    }
  },
});
