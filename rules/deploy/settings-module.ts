import { fileStart } from "../../src/core/location.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { Service, SettingsModuleChoice } from "../../src/model/deployment-model.js";
import { productionStacks } from "../../src/model/queries.js";
import { settingsModuleFacts, type SettingsModuleFacts } from "../../src/model/settings-resolution.js";

/** Words of a module name that mean "not for production" (`local`, `settings_dev`, `test_settings`…). */
const DEVELOPMENT_WORDS = new Set(["local", "dev", "devel", "develop", "development", "test", "tests", "testing", "ci", "debug"]);
const PRODUCTION_WORDS = new Set(["prod", "production", "live", "deploy", "deployment", "staging", "stage", "release", "server"]);
const PRECEDENCE = "--settings > compose environment / env_file > uWSGI env= > Dockerfile ENV > wsgi.py > manage.py";
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The development word of the module's own name (its last dotted segment), unless it also says production. */
export function developmentWord(module: string): string | undefined {
  const last = module.split(".").pop() ?? "";
  const words = last.toLowerCase().split(/[_-]+/);
  if (words.some((w) => PRODUCTION_WORDS.has(w))) return undefined;
  return words.find((w) => DEVELOPMENT_WORDS.has(w));
}

/** "the compose environment", "env_file .env.prod", "Dockerfile ENV", "wsgi.py's setdefault"… */
function label(service: Service, choice: SettingsModuleChoice): string {
  switch (choice.source) {
    case "cli":
      return "--settings";
    case "compose":
      return choice.range && !service.compose.files.includes(choice.range.file) ? `env_file ${choice.range.file}` : "the compose environment";
    case "uwsgi-env":
      return service.appServer?.kind === "gunicorn" ? "gunicorn -e" : "uWSGI env=";
    case "dockerfile":
      return "Dockerfile ENV";
    case "wsgi.py":
      return "wsgi.py's setdefault";
    case "manage.py":
      return "manage.py's setdefault";
  }
}

/** "the compose environment (docker-compose.yml:15) chooses it over Dockerfile ENV 'a.b', … (precedence: …)". */
function chain(facts: SettingsModuleFacts): string {
  const { service, chosen } = facts;
  const where = chosen.range ? ` (${chosen.range.file}:${chosen.range.line})` : "";
  const others = overriddenChoices(facts);
  const head = `${label(service, chosen)}${where} chooses it`;
  if (others.length === 0) return head;
  return `${head} over ${others.map((o) => `${label(service, o)} '${o.module}'`).join(", ")} (precedence: ${PRECEDENCE})`;
}

/** The lower choices that name another module. */
function overriddenChoices(facts: SettingsModuleFacts): SettingsModuleChoice[] {
  return facts.overridden.filter((o) => o.module !== facts.chosen.module);
}

function overriddenNotes(facts: SettingsModuleFacts): RelatedLocation[] {
  return overriddenChoices(facts)
    .filter((o) => o.range !== undefined)
    .map((o) => ({ range: o.range as NonNullable<typeof o.range>, message: `overridden: ${label(facts.service, o)} names '${o.module}'` }));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export default defineRule({
  id: "deploy/settings-module",
  django: null,
  severity: "error",
  summary: "The production service runs a development settings module, one that does not exist in its container, or an empty settings package",
  why:
    "DJANGO_SETTINGS_MODULE is chosen in up to six places — `--settings`, the compose `environment` / `env_file`, uWSGI " +
    "`env =`, the Dockerfile's ENV, and the `os.environ.setdefault` in wsgi.py and manage.py — and the highest one wins. " +
    "A leftover `settings.local` / `settings.dev` there runs production with DEBUG, console e-mail and development " +
    "hosts; a module name that does not exist in the container (`settings.production` when the file is `prod.py`, or " +
    "code not copied into the image) stops every worker with ModuleNotFoundError; and pointing at the `settings` " +
    "package whose `__init__.py` is empty gives Django no settings at all (ImproperlyConfigured: SECRET_KEY).",
  fix:
    "Set DJANGO_SETTINGS_MODULE for the production service to the production module that exists in the image " +
    "(`bookshelf.settings.prod`), in the place that wins (the compose `environment`), and remove or align the " +
    "lower-precedence choices so the chain is not misleading. `--settings` on the command line is taken as your choice.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: bookshelf.settings.dev\n",
      good: "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: bookshelf.settings.prod\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const facts = settingsModuleFacts(model, service);
        if (!facts) continue;
        const { chosen, lookup, emptyPackage } = facts;
        // --settings is the user's explicit choice; manage.py's default applies to management commands, not the server.
        if (chosen.source === "cli" || chosen.source === "manage.py" || !chosen.range) continue;
        if (facts.hiddenChoice !== undefined) continue;
        const module = `'${chosen.module}'`;
        const range = chosen.range;
        const related = overriddenNotes(facts);
        if (!DOTTED.test(chosen.module)) {
          report({
            stack: stack.id,
            message: `service '${service.name}' runs settings module ${module}, which is not a dotted Python module path (write it as package.module, without .py or slashes). ${capitalize(chain(facts))}`,
            range,
            related,
          });
          continue;
        }
        if (lookup && (lookup.kind === "missing-in-package" || lookup.kind === "not-on-path")) {
          const where =
            lookup.kind === "missing-in-package"
              ? missingInPackage(service, chosen.module, lookup.root.dir)
              : lookup.elsewhere[0]?.containerPath
                ? `it is not on the app server's sys.path (${lookup.elsewhere[0].repoFile} is at ${lookup.elsewhere[0].containerPath} in the container)`
                : `the repository has it at ${lookup.elsewhere[0]?.repoFile ?? "another folder"}, which no mount or COPY puts into the container`;
          report({
            stack: stack.id,
            message:
              `service '${service.name}' runs settings module ${module}, which does not exist in its container: ${where}, so Django stops with ModuleNotFoundError. ` +
              `${capitalize(chain(facts))}; name the production module that exists`,
            range,
            related,
          });
          continue;
        }
        if (emptyPackage) {
          const suggestion = emptyPackage.siblings.find((s) => !developmentWord(s) && s !== "base" && s !== "common") ?? emptyPackage.siblings[0];
          report({
            stack: stack.id,
            message:
              `service '${service.name}' runs settings module ${module}, the package ${emptyPackage.file}, which sets no settings while ${emptyPackage.siblings.join(", ")} sit beside it: ` +
              `Django runs on its defaults (no SECRET_KEY). ${capitalize(chain(facts))}; name the production module (${chosen.module}.${suggestion})`,
            range,
            related: [{ range: fileStart(emptyPackage.file), message: `${emptyPackage.file} defines no settings` }, ...related],
          });
          continue;
        }
        const word = facts.gitIgnored ? undefined : developmentWord(chosen.module);
        if (word) {
          const better = overriddenChoices(facts).find((o) => !developmentWord(o.module));
          report({
            stack: stack.id,
            message:
              `service '${service.name}' runs the development settings module ${module}: ${chain(facts)}; ` +
              `set DJANGO_SETTINGS_MODULE there to the production module${better ? ` ('${better.module}')` : ""}`,
            range,
            related,
          });
        }
      }
    }
  },
});

/** "/app/bookshelf/settings has base, dev, prod" for a module whose package exists. */
function missingInPackage(service: Service, module: string, root: string): string {
  const parts = module.split(".");
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    const next = `${dir === "/" ? "" : dir}/${part}`;
    if (service.filesystem.repoPath(next) === undefined) return `${dir} has no package '${part}'`;
    dir = next;
  }
  const names = new Set<string>();
  for (const { containerPath } of service.filesystem.listFiles(dir)) {
    const rest = containerPath.slice(dir.length + 1).split("/");
    if (rest.length === 1 && rest[0]?.endsWith(".py") && rest[0] !== "__init__.py") names.add(rest[0].slice(0, -3));
  }
  const last = parts[parts.length - 1] as string;
  return `${dir} has no ${last}.py${names.size > 0 ? ` (it has ${[...names].sort().join(", ")})` : ""}`;
}
