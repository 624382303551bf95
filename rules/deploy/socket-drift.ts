import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { describeStorage } from "../../src/model/container-filesystem.js";
import type { Listener, Service } from "../../src/model/deployment-model.js";
import { describeEndpoint, productionStacks } from "../../src/model/queries.js";
import { describeNetworks, passWirings, type ServiceNetworks } from "../../src/model/socket-wiring.js";

const PROTOCOL_NAME = { uwsgi: "the uwsgi protocol", http: "HTTP" } as const;
const SERVER_NAME = { uwsgi: "uWSGI", gunicorn: "gunicorn", daphne: "daphne", uvicorn: "uvicorn", runserver: "runserver" } as const;

function listenerNote(app: Service, listener: Listener): RelatedLocation {
  return {
    range: listener.range,
    message: `${app.appServer ? SERVER_NAME[app.appServer.kind] : "the app server"} in service '${app.name}' listens on ${describeEndpoint(listener.endpoint)} (${listener.option}, ${PROTOCOL_NAME[listener.protocol]})`,
  };
}

/** Where a service's networks are chosen: its network_mode, its `networks:` entries, or the service itself (the implicit default network). */
function networkNotes(service: Service, networks: ServiceNetworks): RelatedLocation[] {
  switch (networks.kind) {
    case "networks": {
      const listed = networks.attachments.filter((a) => a.range !== undefined);
      if (listed.length === 0) return [{ range: service.compose.range, message: `service '${service.name}' lists no networks: it is on the project's default network` }];
      return listed.map((a) => ({ range: a.range as RelatedLocation["range"], message: `service '${service.name}' is on network '${a.name}'` }));
    }
    case "host":
    case "isolated":
    case "shared":
      return [{ range: networks.range, message: `service '${service.name}' uses ${describeNetworks(networks)}` }];
    case "unknown":
      return [];
  }
}

function listenersOf(apps: Service[]): RelatedLocation[] {
  return apps.flatMap((app) => (app.appServer?.listeners ?? []).map((l) => listenerNote(app, l)));
}

export default defineRule({
  id: "deploy/socket-drift",
  django: null,
  severity: "error",
  summary: "nginx's uwsgi_pass / proxy_pass does not reach the app server's socket, or speaks the wrong protocol",
  why:
    "nginx and the app server are configured in different files, often in different containers. When the uWSGI socket " +
    "moves and the nginx upstream does not, when the socket file lives on a filesystem only one container sees, when " +
    "the app server binds 127.0.0.1 inside its container, when nginx and the app service share no compose network " +
    "(separate `networks:`, or `network_mode: host`, where compose service names do not resolve), or when nginx speaks " +
    "the uwsgi protocol to an HTTP socket, every request ends in 502 Bad Gateway (or nginx refuses to start).",
  fix:
    "Point nginx at exactly the address the app server listens on: the same unix socket path on a volume both " +
    "containers mount (or one container running both), or `service:port` with the app server bound to 0.0.0.0 and both " +
    "services on one compose network. " +
    "Use `uwsgi_pass` for uWSGI's `socket`, `proxy_pass http://` for `http-socket`, gunicorn, daphne and uvicorn.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "# uwsgi.ini: socket = /tmp/app.sock (only inside the web container)\nupstream app { server unix:/code/app.sock; }\n",
      good: "# uwsgi.ini: socket = /code/app.sock (on the .:/code bind mount both services share)\nupstream app { server unix:/code/app.sock; }\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const { nginx, pass, endpoint, wiring } of passWirings(stack)) {
        const target = describeEndpoint(endpoint.endpoint);
        const via = endpoint.upstream ? ` (upstream '${endpoint.upstream}')` : "";
        const related: RelatedLocation[] = endpoint.upstream ? [{ range: pass.target.arg.range, message: `${pass.directive} ${pass.target.arg.value}` }] : [];
        switch (wiring.kind) {
          case "connected": {
            if (wiring.listener.protocol === pass.protocol) break;
            const fix = pass.protocol === "uwsgi" ? "use proxy_pass http://… for an HTTP socket" : "use uwsgi_pass (with include uwsgi_params), or make it an http-socket";
            report({
              stack: stack.id,
              message: `${pass.directive} speaks ${PROTOCOL_NAME[pass.protocol]} to ${target}${via}, but the app server there speaks ${PROTOCOL_NAME[wiring.listener.protocol]}: ${fix}`,
              range: endpoint.range,
              related: [...related, listenerNote(wiring.app, wiring.listener)],
            });
            break;
          }
          case "no-unix-listener": {
            const shared = wiring.samePathElsewhere;
            const message = shared
              ? `nginx (service '${nginx.name}') and the app server (service '${shared.app.name}') both use ${target}${via}, but the socket is on ` +
                `${describeStorage(shared.nginxSees.storage)} in '${nginx.name}' and ${describeStorage(shared.appHas.storage)} in '${shared.app.name}': ` +
                `the containers do not share it; put the socket on a volume both services mount`
              : `${pass.directive} reaches ${target}${via}, but no app server listens on that socket: point nginx at the socket the app server creates`;
            report({ message, range: endpoint.range, stack: stack.id, related: [...related, ...listenersOf(shared ? [shared.app] : wiring.apps)] });
            break;
          }
          case "wrong-port":
            report({
              stack: stack.id,
              message: `${pass.directive} reaches ${target}${via}, but service '${wiring.app.name}' does not listen on port ${endpoint.endpoint.kind === "tcp" ? endpoint.endpoint.port : ""}`,
              range: endpoint.range,
              related: [...related, ...listenersOf([wiring.app])],
            });
            break;
          case "loopback-bind":
            report({
              stack: stack.id,
              message: `${pass.directive} reaches ${target}${via}, but service '${wiring.app.name}' binds ${describeEndpoint(wiring.listener.endpoint.kind === "tcp" ? wiring.listener.endpoint : endpoint.endpoint)} inside its own container, unreachable from '${nginx.name}': bind 0.0.0.0`,
              range: endpoint.range,
              related: [...related, listenerNote(wiring.app, wiring.listener)],
            });
            break;
          case "loopback-target":
            report({
              stack: stack.id,
              message: `${pass.directive} reaches ${target}${via}: inside the nginx container (service '${nginx.name}') that is nginx itself, not the app server; use the app service's name`,
              range: endpoint.range,
              related: [...related, ...listenersOf(wiring.apps)],
            });
            break;
          case "no-common-network": {
            const app = wiring.app;
            report({
              stack: stack.id,
              message:
                `${pass.directive} reaches ${target}${via}, but services '${nginx.name}' (${describeNetworks(wiring.nginxNetworks)}) and '${app.name}' ` +
                `(${describeNetworks(wiring.appNetworks)}) share no compose network: '${endpoint.endpoint.kind === "tcp" ? endpoint.endpoint.host : app.name}' does not resolve in '${nginx.name}'; attach both services to one network`,
              range: endpoint.range,
              related: [...related, ...networkNotes(nginx, wiring.nginxNetworks), ...networkNotes(app, wiring.appNetworks), ...listenersOf([app])],
            });
            break;
          }
          case "unknown":
            break;
        }
      }
    }
  },
});
