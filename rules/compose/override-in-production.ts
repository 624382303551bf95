import { posix } from "node:path";
import type { SourceRange } from "../../src/core/location.js";
import { defineRule } from "../../src/engine/rule.js";
import { isLoopbackHost } from "../../src/model/app-server.js";
import type { Service } from "../../src/model/deployment-model.js";
import { productionStacks } from "../../src/model/queries.js";

/** The override file names plain `docker compose up` merges without being asked. */
const DEFAULT_OVERRIDES = new Set(["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"]);
const DEBUG_NAMES = new Set(["DEBUG", "DJANGO_DEBUG"]);
const TRUTHY = /^(1|true|yes|on|y|t)$/i;

interface DevSetting {
  /** What the override does, e.g. "sets DJANGO_DEBUG=1 for service 'web'". */
  what: string;
  range: SourceRange;
}

export default defineRule({
  id: "compose/override-in-production",
  django: null,
  severity: "warning",
  summary: "docker-compose.override.yml brings development settings into the production stack",
  why:
    "`docker compose up` (without `-f`) always merges `docker-compose.override.yml` (or `compose.override.yaml`) " +
    "over the main file, silently. An override written for development — DEBUG on, the source tree bind-mounted over " +
    "the application directory, the app server or the database published on the host — then runs in production " +
    "whenever someone deploys with the plain command: tracebacks and settings leak to visitors, the code in the " +
    "container is whatever the host's checkout holds, and services meant to sit behind nginx are reachable directly.",
  fix:
    "Rename the override to `docker-compose.dev.yml` and start development with " +
    "`docker compose -f docker-compose.yml -f docker-compose.dev.yml up`, or deploy with " +
    "`docker compose -f docker-compose.yml up` and keep production settings out of the override.",
  examples: [
    {
      file: "docker-compose.override.yml",
      bad: "services:\n  web:\n    environment:\n      DJANGO_DEBUG: \"1\"\n    volumes:\n      - ./app:/app\n    ports:\n      - \"8000:8000\"\n",
      good: "# renamed to docker-compose.dev.yml: used only with\n# docker compose -f docker-compose.yml -f docker-compose.dev.yml up\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const stack of productionStacks(model)) {
      const override = stack.compose.files.slice(1).find((f) => DEFAULT_OVERRIDES.has(posix.basename(f)));
      if (override === undefined) continue;
      const base = stack.compose.files[0] ?? "";
      for (const service of stack.services) {
        for (const dev of developmentSettings(service, override, model.files)) {
          const key = `${dev.range.file}:${dev.range.line}:${dev.range.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const defined = service.compose.range.file !== override;
          report({
            message:
              `${override} ${dev.what}, and a plain \`docker compose up\` merges it silently into the production stack ${stack.id}: ` +
              `rename it (e.g. ${posix.join(posix.dirname(override), "docker-compose.dev.yml")}, used with -f) or deploy with \`docker compose -f ${posix.basename(base)} up\`.`,
            range: dev.range,
            related: defined ? [{ range: service.compose.range, message: `service '${service.name}' is defined in ${service.compose.range.file}` }] : [],
            stack: stack.id,
          });
        }
      }
    }
  },
});

/** What the override file itself sets on the merged service that belongs to development. */
function developmentSettings(service: Service, override: string, files: string[]): DevSetting[] {
  const out: DevSetting[] = [];
  const app = service.django !== undefined || service.appServer !== undefined;
  const backing = service.roles.has("postgres") || service.roles.has("redis");
  if (app) {
    for (const variable of service.compose.environment.values()) {
      if (variable.range.file !== override || !DEBUG_NAMES.has(variable.name)) continue;
      if (variable.value === undefined || !TRUTHY.test(variable.value.trim())) continue;
      out.push({ what: `sets ${variable.name}=${variable.value} for service '${service.name}'`, range: variable.valueRange ?? variable.range });
    }
    for (const mount of service.compose.volumes) {
      if (mount.range.file !== override || mount.type !== "bind" || mount.source === undefined) continue;
      // Over the whole app directory (not one package of it): it hides what the image built there.
      if (!holdsPythonSource(mount.source, files) || !coversAppDirectory(mount.target, service)) continue;
      out.push({ what: `bind-mounts the source folder ${mount.source === "." ? "./" : `${mount.source}/`} over ${mount.target} of service '${service.name}'`, range: mount.range });
    }
  }
  if (app || backing) {
    for (const port of service.compose.ports) {
      if (port.range.file !== override) continue;
      if (port.hostIp !== undefined && isLoopbackHost(port.hostIp.replace(/^\[(.*)\]$/, "$1"))) continue;
      const kind = app ? "the app server's" : service.roles.has("postgres") ? "the PostgreSQL" : "the Redis";
      const published = port.published === undefined ? "a random host port" : `host port ${port.published}`;
      out.push({ what: `publishes ${kind} port ${port.target} of service '${service.name}' on ${published}`, range: port.range });
    }
  }
  return out;
}

/** The mount's target is the app server's working directory (or a folder above it). */
function coversAppDirectory(target: string, service: Service): boolean {
  const workdir = service.appServer?.workingDir ?? service.compose.workingDir?.value ?? service.image?.stage.finalWorkdir;
  if (workdir === undefined) return false;
  const t = posix.normalize(target).replace(/\/+$/, "");
  const w = posix.normalize(workdir).replace(/\/+$/, "");
  return t !== "" && (w === t || w.startsWith(`${t}/`));
}

/** A repository folder with Python files in it: the project's source, not a data or config folder. */
function holdsPythonSource(dir: string, files: string[]): boolean {
  if (dir.startsWith("/") || dir.startsWith("~") || dir.startsWith("../")) return false;
  const prefix = dir === "." ? "" : `${dir}/`;
  return files.some((f) => f.startsWith(prefix) && f.endsWith(".py"));
}

