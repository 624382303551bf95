import type { PyValue } from "../python/values.js";
import type { DeploymentModel, Endpoint, NginxLocation, NginxServer, Service, Stack } from "./deployment-model.js";

/** Questions rules ask of the model, answered once here so rules stay small. */

/** The stacks rules lint: development stacks (local.yml, runserver beside a production stack) are left alone. */
export function productionStacks(model: DeploymentModel): Stack[] {
  return model.stacks.filter((s) => s.purpose.kind === "production");
}

export function djangoServices(stack: Stack): Service[] {
  return stack.services.filter((s) => s.django?.settings !== undefined);
}

export function nginxServices(stack: Stack): Service[] {
  return stack.services.filter((s) => s.nginx !== undefined);
}

/** Every location of a server, nested ones included. */
export function allLocations(server: NginxServer): NginxLocation[] {
  const out: NginxLocation[] = [];
  const walk = (locations: NginxLocation[]): void => {
    for (const l of locations) {
      out.push(l);
      walk(l.children);
    }
  };
  walk(server.locations);
  return out;
}

/** True when some location of the server hands requests to an app server. */
export function serverProxiesToApp(server: NginxServer): boolean {
  return allLocations(server).some((l) => l.pass !== undefined);
}

/** The compose service a hostname reaches on the compose network (service name, alias, container_name, hostname). */
export function serviceForHost(stack: Stack, host: string): Service | undefined {
  return stack.services.find(
    (s) =>
      s.name === host ||
      s.compose.containerName?.value === host ||
      s.compose.hostname?.value === host ||
      s.compose.networks.some((n) => n.aliases.some((a) => a.value === host)),
  );
}

/** A Python string or path value as text; undefined for anything else or unknown. */
export function pathOrString(value: PyValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === "str" || value.kind === "path") return value.value;
  return undefined;
}

/** Django's URL setting as a path prefix (`static/` → `/static/`); undefined for absolute URLs. */
export function urlPathPrefix(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith("//")) return undefined;
  const withSlash = url.startsWith("/") ? url : `/${url}`;
  return withSlash.endsWith("/") ? withSlash : `${withSlash}/`;
}

export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === "unix" ? `unix:${endpoint.path}` : `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host || "*"}:${endpoint.port}`;
}
