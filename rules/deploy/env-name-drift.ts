import { isSecretName, maskSecret, maskUrlCredentials } from "../../src/core/secrets.js";
import { defineRule } from "../../src/engine/rule.js";
import { envNameDrifts } from "../../src/model/env-name-drift.js";
import { productionStacks } from "../../src/model/queries.js";
import type { EnvRead } from "../../src/python/evaluate.js";
import { pyRepr } from "../../src/python/values.js";

export default defineRule({
  id: "deploy/env-name-drift",
  django: null,
  severity: "warning",
  summary: "The Django service is given a variable nothing reads, while the settings read a close name with a default that nothing provides",
  why:
    "When the env file (or its committed template) says `HOST=books.example.org` but the settings read " +
    "`os.environ.get(\"SITE_HOST\", \"localhost\")`, nothing fails: Django starts, the provided value goes nowhere and " +
    "production silently runs on the default (a wrong host, a development secret key, a local database). The rule " +
    "pairs a variable given to the Django service (compose `environment`, an `env_file` or its template, Dockerfile " +
    "`ENV`) that no file of the repository reads — not the settings, not compose interpolation, scripts, app server " +
    "or nginx configs, nor a well-known image (POSTGRES_*, REDIS_*, PYTHON*…) — with a settings read of a close name " +
    "(one is the other with a prefix or suffix added, or a small typo) that has a default and that nothing provides. " +
    "It stays silent when the service's environment or the settings' reads are not all in the repository.",
  fix:
    "Rename one of the two so they match (usually the variable in the env file or template), and remove the " +
    "default from the read if production must not run without the value.",
  examples: [
    {
      file: ".env",
      bad: "# settings.py: SITE_HOST = os.environ.get(\"SITE_HOST\", \"localhost\")\nHOST=books.example.org\n",
      good: "# settings.py: SITE_HOST = os.environ.get(\"SITE_HOST\", \"localhost\")\nSITE_HOST=books.example.org\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const { services, read, provided, nameRange } of envNameDrifts(model, stack)) {
        const names = services.map((s) => `'${s.name}'`).join(", ");
        const plural = services.length > 1 ? "services" : "service";
        const where = `${provided.range.file}:${provided.range.line}`;
        const given = provided.template !== undefined ? `its env file template names` : `${plural} ${names} ${services.length > 1 ? "are" : "is"} given`;
        const origin = provided.origin.startsWith("env ") ? where : `${provided.origin}, ${where}`;
        report({
          stack: stack.id,
          message:
            `The settings read ${read.name} (default ${describeDefault(read)}), which nothing provides, but ${given} ${provided.name} (${origin}), which nothing reads: ` +
            `production runs on the default. Rename one of them so the names match.`,
          range: nameRange,
          related: [
            {
              range: provided.range,
              message: `${provided.name}${describeValue(provided.name, provided.value)} is set here for ${plural} ${names} (${provided.origin}); no file reads it`,
            },
          ],
        });
      }
    }
  },
});

/** The read's default as it may be printed (masked when the name looks secret). */
function describeDefault(read: EnvRead): string {
  const d = read.defaultValue;
  if (d === undefined || d.kind === "unknown") return "a value from the code";
  if (d.kind === "none") return "None";
  if (d.kind === "str" && isSecretName(read.name)) return maskSecret(d.value) || "''";
  if (isSecretName(read.name)) return "a value from the code";
  return maskUrlCredentials(pyRepr(d));
}

function describeValue(name: string, value: string | undefined): string {
  if (value === undefined || value === "") return "";
  return ` = ${isSecretName(name) ? maskSecret(value) : maskUrlCredentials(value)}`;
}

