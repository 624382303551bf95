import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { Service } from "../../src/model/deployment-model.js";
import { absentEnvReads, rangeKey } from "../../src/model/env-reads.js";
import { djangoServices, productionStacks } from "../../src/model/queries.js";
import type { EnvRead } from "../../src/python/evaluate.js";

/** How the read is written, for messages. */
const VIA: Partial<Record<string, string>> = {
  "os.environ[]": "os.environ[…]",
  "environ.Env": "django-environ's env(…)",
  "decouple.config": "decouple's config(…)",
};

export default defineRule({
  id: "deploy/env-missing",
  django: null,
  severity: "error",
  summary: "The production settings read an env var without a default that nothing provides to the Django service",
  why:
    "`os.environ[\"X\"]`, django-environ's `env(\"X\")` and python-decouple's `config(\"X\")` without a default raise " +
    "(KeyError, ImproperlyConfigured, UndefinedValueError) when the variable is missing, so Django does not start: " +
    "every request fails and the container restarts in a loop. The rule looks at everything that can set the " +
    "variable — compose `environment` and `env_file`, the image's `ENV`, uWSGI `env =`, variables the start " +
    "command assigns, and files the settings load themselves (`load_dotenv`, `read_env`, decouple's `.env`) — and " +
    "stays silent when any of them is not in the repository (an env_file absent from the checkout, an image built " +
    "from a base we cannot see). A variable the compose project's `.env` holds is reported by " +
    "deploy/env-not-injected instead.",
  fix:
    "Provide the variable to the service (compose `environment:` or an `env_file:` the service loads), or give the " +
    "read a default when the setting has a safe one (`os.environ.get(\"X\", …)`, `env(\"X\", default=…)`).",
  examples: [
    {
      file: "app/bookshelf/settings.py",
      bad: 'EMAIL_HOST = os.environ["EMAIL_HOST"]  # and docker-compose.yml gives the web service no EMAIL_HOST\n',
      good: 'EMAIL_HOST = os.environ["EMAIL_HOST"]  # docker-compose.yml: web: environment: EMAIL_HOST: smtp.example.com\n',
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const byRead = new Map<string, { read: EnvRead; services: Service[] }>();
      for (const service of djangoServices(stack)) {
        for (const { read, dotenvEntry } of absentEnvReads(model, stack, service)) {
          if (read.fatal === undefined || dotenvEntry !== undefined) continue;
          const key = `${rangeKey(read.range)}|${read.name}`;
          const entry = byRead.get(key) ?? { read, services: [] };
          entry.services.push(service);
          byRead.set(key, entry);
        }
      }
      for (const { read, services } of byRead.values()) {
        const names = services.map((s) => `'${s.name}'`).join(", ");
        const plural = services.length > 1 ? "services" : "service";
        const error = (read.fatal ?? "").split(":")[0];
        report({
          stack: stack.id,
          message:
            `${read.name} is read with ${VIA[read.via] ?? read.via} and no default, but nothing gives it to ${plural} ${names} ` +
            `(compose environment and env_file, Dockerfile ENV, app server env, files the settings load): Django stops at start with ${error}. ` +
            `Add ${read.name} to the service's environment or env_file, or give the read a default.`,
          range: read.range,
          related: services.flatMap(environmentSources),
        });
      }
    }
  },
});

/** Where a service's environment is declared: the compose service, its env_file entries. */
function environmentSources(service: Service): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  const files = service.compose.envFiles.map((f) => f.path);
  out.push({
    range: service.compose.range,
    message: `service '${service.name}' runs these settings; its environment comes from ${files.length ? `env_file ${files.join(", ")}, ` : ""}its environment: entries${service.image ? ` and ${service.image.dockerfile}` : ""}, none sets the variable`,
  });
  for (const f of service.compose.envFiles) out.push({ range: f.range, message: `env_file ${f.path} of service '${service.name}'` });
  return out;
}
