/**
 * The settings module a production service runs, as deploy/settings-module needs it: the
 * winning choice and the ones it overrides (DjangoApp.settingsCandidates), whether the module
 * imports on the app server's sys.path in the container (python-path.ts), and whether it is
 * a package whose `__init__.py` holds no settings while its modules sit beside it.
 */
import { posix } from "node:path";
import type { DeploymentModel, DjangoApp, Service, SettingsModuleChoice } from "./deployment-model.js";
import { SETTINGS_MODULE_PRECEDENCE } from "./deployment-model.js";
import { appServerSysPath, findModule, type ModuleLookup } from "./python-path.js";
import { resolveWsgiEntrypoint } from "./wsgi-resolution.js";

export interface SettingsModuleFacts {
  service: Service;
  app: DjangoApp;
  chosen: SettingsModuleChoice;
  /** Lower-precedence choices the winner overrides, highest first. */
  overridden: SettingsModuleChoice[];
  /** Why a choice we cannot see may win instead (an env file the checkout lacks, the start script). */
  hiddenChoice: string | undefined;
  /** Where the module is on the app server's sys.path; undefined without an app server that imports it. */
  lookup: ModuleLookup | undefined;
  /** The module is a package whose `__init__.py` sets no setting and imports nothing, beside other modules. */
  emptyPackage: { file: string; siblings: string[] } | undefined;
  /** The module's file in the repository (git-ignored files are deploy-time files, not development ones). */
  gitIgnored: boolean;
}

/** Facts about the settings module of a service that runs Django; undefined when no module is chosen. */
export function settingsModuleFacts(model: DeploymentModel, service: Service): SettingsModuleFacts | undefined {
  const app = service.django;
  const chosen = app?.settingsModule;
  if (!app || !chosen) return undefined;
  const candidates = app.settingsCandidates ?? [];
  const rank = (c: SettingsModuleChoice): number => SETTINGS_MODULE_PRECEDENCE.indexOf(c.source);
  const winnerAt = candidates.findIndex((c) => sameChoice(c, chosen));
  const overridden = winnerAt >= 0 ? candidates.slice(winnerAt + 1) : candidates.filter((c) => rank(c) > rank(chosen));
  const winner = winnerAt >= 0 ? candidates[winnerAt] : undefined;
  const stack = model.stacks.find((s) => s.id === service.stack);
  const hiddenChoice =
    winner?.interpolated && stack && stack.compose.dotenvFile === undefined
      ? `DJANGO_SETTINGS_MODULE is written with \${…} in ${chosen.range?.file ?? "the compose file"} and the project's .env is not in the checkout: the deployer's value may differ`
      : hiddenChoiceReason(service, chosen);

  let lookup: ModuleLookup | undefined;
  const sysPath = appServerSysPath(service);
  if (sysPath) {
    lookup = findModule(model, service, sysPath, chosen.module);
    if (lookup.kind !== "found" && lookup.kind !== "unknown") {
      // Django imports the settings from the application the server loads: when that does not
      // import, the settings are never reached (deploy/wsgi-entrypoint says why).
      const entrypoint = resolveWsgiEntrypoint(model, service)?.lookup;
      if (entrypoint && entrypoint.kind !== "found" && entrypoint.kind !== "unknown") lookup = { kind: "unknown", reason: "the app server cannot load its application" };
      else if (app.wsgiSysPathChange) lookup = { kind: "unknown", reason: `wsgi.py changes sys.path (${app.wsgiSysPathChange.file}:${app.wsgiSysPathChange.line})` };
    }
  }
  const file = app.settings?.file;
  return {
    service,
    app,
    chosen,
    overridden,
    hiddenChoice,
    lookup,
    emptyPackage: emptyPackage(model, app),
    gitIgnored: file !== undefined && model.git.ignore.check(file).ignored,
  };
}

function sameChoice(a: SettingsModuleChoice, b: SettingsModuleChoice): boolean {
  if (a.source !== b.source || a.module !== b.module) return false;
  if (a.range === undefined || b.range === undefined) return a.range === b.range;
  return a.range.file === b.range.file && a.range.line === b.range.line && a.range.column === b.range.column;
}

/** A choice above the winner that the repository does not show. */
function hiddenChoiceReason(service: Service, chosen: SettingsModuleChoice): string | undefined {
  if (chosen.source === "cli") return undefined;
  const assigned = (service.appServer?.startEnv ?? []).find((v) => v.value === "DJANGO_SETTINGS_MODULE");
  if (assigned) return `the start command sets DJANGO_SETTINGS_MODULE (${assigned.range.file}:${assigned.range.line})`;
  const env = service.environment;
  if (chosen.source !== "compose" && !env.complete) {
    return `DJANGO_SETTINGS_MODULE may come from ${env.missingEnvFiles.map((f) => f.path).join(", ")}, which the checkout does not have`;
  }
  return undefined;
}

function emptyPackage(model: DeploymentModel, app: DjangoApp): SettingsModuleFacts["emptyPackage"] {
  const settings = app.settings;
  if (!settings || posix.basename(settings.file) !== "__init__.py") return undefined;
  // Importing a.b.settings imports a and a.b first; any other module means the package imports settings from somewhere.
  const imported = settings.modules.filter((m) => m.module !== settings.module && !settings.module.startsWith(`${m.module}.`));
  if (settings.openNamespace !== undefined || settings.problems.length > 0 || imported.length > 0) return undefined;
  if ([...settings.values.keys()].some((name) => /^[A-Z][A-Z0-9_]*$/.test(name))) return undefined;
  // Names a module may define without assigning them (`from .base import *` would have imported a module).
  if ([...settings.values.keys()].length > 0 && [...settings.values.values()].some((v) => v.value.kind === "unknown")) return undefined;
  const dir = posix.dirname(settings.file);
  const siblings = model.files
    .filter((f) => posix.dirname(f) === dir && f.endsWith(".py") && posix.basename(f) !== "__init__.py")
    .map((f) => posix.basename(f, ".py"))
    .sort();
  if (siblings.length === 0) return undefined;
  return { file: settings.file, siblings };
}
