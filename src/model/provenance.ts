import { isSecretName, maskSecret, printableValue } from "../core/secrets.js";
import type { SourceRange } from "../core/location.js";
import type { EnvRead } from "../python/evaluate.js";
import { pyRepr, type PyValue } from "../python/values.js";
import type { DjangoApp, EnvSourceKind, EnvValue, Service } from "./deployment-model.js";
import { describeDjangoVersion, ignoredMiddlewareClasses, settingRange, type EffectiveSetting } from "./django-settings.js";
import { formatVersion } from "./django-version.js";
import { isEnvTemplateName } from "./env-files.js";

/** The other end of a finding (structurally the engine's RelatedLocation: the model does not import the engine). */
export interface RelatedLocation {
  range: SourceRange;
  message: string;
}

/**
 * Why a setting has the value it has — what Django's own messages never say: the
 * assignment, the environment variables it read and where each one's value was written
 * (an env file line, the compose `environment`, a Dockerfile ENV, uWSGI `env =`, or a file
 * the settings load themselves), or Django's default for the version in use.
 */
export interface Provenance {
  /** e.g. "DEBUG is True: DJANGO_DEBUG=1 in .env (line 3), read at app/shop/settings/prod.py:12". */
  text: string;
  /** The env file / compose / Dockerfile lines and read sites the text names. */
  related: RelatedLocation[];
}

/** A setting's value as it may be printed: secrets (SECRET_KEY, SECRET_KEY_FALLBACKS, …) masked. */
export function displaySetting(name: string, value: PyValue): string {
  return isSecretName(name) ? maskedRepr(value) : pyRepr(value);
}

function maskedRepr(value: PyValue): string {
  switch (value.kind) {
    case "str":
      return `'${maskSecret(value.value)}'`;
    case "list":
      return `[${value.items.map(maskedRepr).join(", ")}]`;
    case "tuple":
      return value.items.length === 1 ? `(${maskedRepr(value.items[0] as PyValue)},)` : `(${value.items.map(maskedRepr).join(", ")})`;
    default:
      return pyRepr(value);
  }
}

function at(range: SourceRange): string {
  return `${range.file}:${range.line}`;
}

const SOURCE_LABEL: Record<EnvSourceKind, string> = {
  "env-file": "env file",
  "compose-environment": "compose environment",
  "dockerfile-env": "Dockerfile ENV",
  "uwsgi-env": "uWSGI env",
  cli: "command line",
};

/** "in .env (line 3)", "in the compose environment (docker-compose.yml line 14)", … */
export function whereSet(env: EnvValue): string {
  switch (env.source) {
    case "env-file":
      return env.templateFor !== undefined
        ? `in ${env.range.file} (line ${env.range.line}), the committed template of ${env.templateFor}, which the repository does not hold`
        : `in ${env.range.file} (line ${env.range.line})`;
    case "compose-environment":
      return `in the compose environment (${env.range.file} line ${env.range.line})`;
    case "dockerfile-env":
      return `by ENV in ${env.range.file} (line ${env.range.line})`;
    case "uwsgi-env":
      return `by uWSGI env in ${env.range.file} (line ${env.range.line})`;
    case "cli":
      return "on the command line";
  }
}

/**
 * Where a variable of the service's environment is set, as related locations: the line that
 * sets it and, for an env file, the compose `env_file` entry that hands the file to the service.
 */
export function envValueLocations(service: Service, env: EnvValue): RelatedLocation[] {
  const out: RelatedLocation[] = [{ range: env.range, message: `${env.name} is set here (${SOURCE_LABEL[env.source]} of service '${service.name}')` }];
  if (env.source === "env-file") {
    const handedOver = service.compose.envFiles.find((f) => f.path === (env.templateFor ?? env.range.file));
    // A host deployment's env files come from its systemd unit's EnvironmentFile= (src/model/host-stack.ts).
    const key = handedOver?.range.file.endsWith(".service") ? "EnvironmentFile=" : "env_file";
    if (handedOver) out.push({ range: handedOver.range, message: `${key} gives ${handedOver.path} to service '${service.name}'` });
  }
  return out;
}

/** One env read, described with where its value came from; related locations appended to `related`. */
function describeRead(service: Service, setting: string, read: EnvRead, related: RelatedLocation[], findingRange: SourceRange | undefined): string {
  const secret = isSecretName(setting) || isSecretName(read.name);
  const show = (value: string): string => (secret ? maskSecret(value) : printableValue(read.name, value));
  const readAt = `read at ${at(read.range)}`;
  const sameLine = findingRange !== undefined && findingRange.file === read.range.file && findingRange.line === read.range.line;
  if (!sameLine) related.push({ range: read.range, message: `${setting} reads ${read.name} here` });

  if (read.unknown !== undefined) return `${read.name} may be set but its value is unknown (${read.unknown}), ${readAt}`;
  if (read.provided && read.source !== undefined) {
    // The read does not carry the text it found; the file line in `related` shows it.
    related.push({ range: read.source.range, message: `${read.name} is set here, in a file the settings load themselves` });
    // A git-ignored file the settings load is read through its committed template (django-app.ts).
    const template = isEnvTemplateName(read.source.file) ? ", the committed template of the git-ignored env file" : "";
    return `${read.name} in ${read.source.file} (line ${read.source.range.line})${template}, loaded by the settings, ${readAt}`;
  }
  if (read.provided) {
    const env = service.environment.values.get(read.name);
    if (env === undefined) return `${read.name} is set by the settings themselves, ${readAt}`;
    related.push(...envValueLocations(service, env));
    const shown = env.value === undefined ? " (value not in the repository)" : `=${show(env.value)}`;
    return `${read.name}${shown} ${whereSet(env)}, ${readAt}`;
  }
  if (read.hasDefault && read.defaultValue !== undefined) {
    const dflt = secret ? maskedRepr(read.defaultValue) : pyRepr(read.defaultValue);
    return `${read.name} is not set in service '${service.name}', so the default ${dflt} applies, ${readAt}`;
  }
  return `${read.name} is not set in service '${service.name}', ${readAt}`;
}

/** Each read site once, in order: one part of the provenance per read. */
function distinctReads(reads: readonly EnvRead[]): EnvRead[] {
  const seen = new Set<string>();
  const out: EnvRead[] = [];
  for (const read of reads) {
    const key = `${read.name}\0${read.range.file}\0${read.range.line}\0${read.range.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(read);
  }
  return out;
}

/**
 * Where `setting` (as `effective` holds it) came from in `service`: text for the message
 * and the related locations it names. The value is masked when the setting is a secret.
 */
export function settingProvenance(service: Service, app: DjangoApp, setting: string, effective: EffectiveSetting): Provenance {
  const shown = displaySetting(setting, effective.value);
  const explicit = effective.explicit;
  if (explicit === undefined) {
    const module = app.settings?.module ?? "the settings";
    return { text: `${setting} is not set in ${module}, so Django's default ${shown} applies (${describeDjangoVersion(app)})`, related: [] };
  }
  const related: RelatedLocation[] = [];
  const reads = distinctReads(explicit.envReads);
  if (reads.length === 0) return { text: `${setting} is ${shown} (${at(explicit.range)})`, related };
  const parts = reads.map((read) => describeRead(service, setting, read, related, explicit.range));
  return { text: `${setting} is ${shown}: ${parts.join("; ")}`, related };
}

/** "message. provenance." — Django's sentence first, then ours. */
export function withProvenance(message: string, provenance: Provenance): string {
  const head = /[.!?]$/.test(message) ? message : `${message}.`;
  return `${head} ${provenance.text}.`;
}

/**
 * A finding about one setting, shaped as a rule reports it: at the assignment that decides
 * the value (line 1 of the settings module when Django's default applies), Django's message
 * followed by the provenance, with the env lines and read sites as related locations.
 */
export function settingFinding(
  service: Service,
  app: DjangoApp,
  setting: string,
  effective: EffectiveSetting,
  message: string,
): { message: string; range: SourceRange; related: RelatedLocation[]; stack: string } {
  const provenance = settingProvenance(service, app, setting, effective);
  return { message: withProvenance(message, provenance), range: settingRange(app, effective), related: provenance.related, stack: service.stack };
}

/** A finding about a MIDDLEWARE / INSTALLED_APPS entry that is missing: at the list's assignment, naming what it lacks. */
export function middlewareFinding(
  service: Service,
  app: DjangoApp,
  effective: EffectiveSetting,
  missing: string,
  message: string,
  setting = "MIDDLEWARE",
): { message: string; range: SourceRange; related: RelatedLocation[]; stack: string } {
  const finding = missingEntryFinding(service, app, effective, missing, message, setting);
  const ignored = setting === "MIDDLEWARE" ? ignoredMiddlewareClasses(app) : undefined;
  if (ignored === undefined) return finding;
  // Settings written for Django 1.x on a 2.0+ pin: the list the project maintains does nothing.
  return {
    ...finding,
    // Where the fix goes, when MIDDLEWARE itself is not set.
    range: effective.explicit === undefined ? ignored.range : finding.range,
    message:
      `${finding.message} MIDDLEWARE_CLASSES is set at ${at(ignored.range)}, but Django 2.0 removed that setting and ` +
      `Django ${formatVersion(app.version.version)} ignores it: rename it to MIDDLEWARE.`,
    related: [...finding.related, { range: ignored.range, message: "MIDDLEWARE_CLASSES is set here: ignored since Django 2.0" }],
  };
}

function missingEntryFinding(
  service: Service,
  app: DjangoApp,
  effective: EffectiveSetting,
  missing: string,
  message: string,
  setting: string,
): { message: string; range: SourceRange; related: RelatedLocation[]; stack: string } {
  if (effective.explicit === undefined) return settingFinding(service, app, setting, effective, message);
  const value = effective.value;
  const count = value.kind === "list" || value.kind === "tuple" ? `its ${value.items.length} entries do not include '${missing}'` : `it does not contain '${missing}'`;
  const provenance = settingProvenance(service, app, setting, effective);
  const text = `${setting} is set at ${at(effective.explicit.range)} and ${count}`;
  return { message: withProvenance(message, { text, related: provenance.related }), range: settingRange(app, effective), related: provenance.related, stack: service.stack };
}
