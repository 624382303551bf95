import { maskSecret, isSecretName, maskUrlCredentials } from "../../src/core/secrets.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { Service } from "../../src/model/deployment-model.js";
import { absentEnvReads, rangeKey } from "../../src/model/env-reads.js";
import { djangoServices, productionStacks } from "../../src/model/queries.js";
import type { DotenvEntry } from "../../src/parsers/dotenv.js";
import type { EnvRead } from "../../src/python/evaluate.js";
import { pyRepr } from "../../src/python/values.js";

export default defineRule({
  id: "deploy/env-not-injected",
  django: null,
  severity: "error",
  summary: "The project .env holds a variable the settings read, but compose never passes it into the Django container",
  why:
    "Docker compose reads the `.env` beside the compose file only to substitute `${VAR}` in the compose file " +
    "itself; it does not put those variables into any container. A service gets them only through `env_file: " +
    ".env` or an `environment:` entry (`X: ${X}`). So settings that read a variable written in `.env` see " +
    "nothing: a read without a default stops Django at start (KeyError, ImproperlyConfigured), one with a default " +
    "silently runs production on the default. Reported only when the service's whole environment is in the " +
    "repository and the settings do not load the file themselves.",
  fix:
    "Add `env_file: .env` to the Django service, or pass the variable explicitly (`environment: X: ${X}`).",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: bookshelf.settings\n",
      good: "services:\n  web:\n    build: .\n    env_file: .env\n    environment:\n      DJANGO_SETTINGS_MODULE: bookshelf.settings\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const byRead = new Map<string, { read: EnvRead; entry: DotenvEntry; services: Service[] }>();
      for (const service of djangoServices(stack)) {
        for (const { read, dotenvEntry } of absentEnvReads(model, stack, service)) {
          if (dotenvEntry === undefined) continue;
          const key = `${rangeKey(read.range)}|${read.name}`;
          const found = byRead.get(key) ?? { read, entry: dotenvEntry, services: [] };
          found.services.push(service);
          byRead.set(key, found);
        }
      }
      for (const { read, entry, services } of byRead.values()) {
        const names = services.map((s) => `'${s.name}'`).join(", ");
        const plural = services.length > 1 ? "services" : "service";
        const dotenv = entry.range.file;
        const outcome =
          read.fatal !== undefined
            ? `Django stops at start with ${read.fatal.split(":")[0]}`
            : `the settings get ${describeDefault(read)} instead`;
        const related: RelatedLocation[] = [
          { range: entry.range, message: `${read.name} is set here, in ${dotenv}, which compose uses only to interpolate \${…} in the compose file` },
          ...services.map((s) => ({ range: s.compose.range, message: `service '${s.name}' has no env_file: ${dotenv} and no environment: entry for ${read.name}` })),
        ];
        report({
          stack: stack.id,
          message:
            `${read.name} is in ${dotenv} (line ${entry.range.line}), but ${plural} ${names} never get${services.length > 1 ? "" : "s"} it: compose reads ${dotenv} only to interpolate the compose file, ` +
            `so ${outcome}. Add env_file: ${dotenv} to the service, or environment: ${read.name}: \${${read.name}}.`,
          range: read.range,
          related,
        });
      }
    }
  },
});

/** The default the read falls back to, masked when secret. */
function describeDefault(read: EnvRead): string {
  const d = read.defaultValue;
  if (d === undefined) return "no value";
  if (d.kind === "none") return "None";
  if (d.kind === "str") {
    if (isSecretName(read.name)) return `the default ${maskSecret(d.value)}`;
    return `the default ${maskUrlCredentials(pyRepr(d))}`;
  }
  if (d.kind === "unknown") return "the default";
  return `the default ${maskUrlCredentials(pyRepr(d))}`;
}
