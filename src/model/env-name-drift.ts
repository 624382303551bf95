import type { SourceRange } from "../core/location.js";
import type { EnvRead } from "../python/evaluate.js";
import type { DeploymentModel, Service, Stack } from "./deployment-model.js";
import { deployTimeReason, missingEnvFileReason } from "./django-app.js";
import { envFileTemplate } from "./service-environment.js";
import { isEnvFileName } from "./env-files.js";
import { absentEnvReads, projectDotenvEntries, rangeKey } from "./env-reads.js";
import { djangoServices } from "./queries.js";

/**
 * Env-name drift: the Django service is given a variable nothing reads, while its settings
 * read a variable with a close name (`HOST` / `SITE_HOST`, `DATABSE_URL` / `DATABASE_URL`)
 * with a default, and nothing provides that one: production silently runs on the default.
 *
 * Unknown is not wrong: a provided variable counts as read when its name appears in any
 * repository file other than env files (scripts, compose interpolation, nginx templates,
 * modules the settings evaluation did not reach, docs), when a well-known image or tool
 * consumes it, or when another service of unknown image loads the same env file.
 */
export interface EnvNameDrift {
  /** The Django services (web, worker…) given the variable whose settings make the read; the first one first. */
  services: Service[];
  /** The settings read (with a default) of a variable nothing provides. */
  read: EnvRead;
  /** The variable the service is given that nothing reads. */
  provided: ProvidedVariable;
  /** The variable-name string of the read (`"SITE_HOST"` without its quotes), or the whole read when not found. */
  nameRange: SourceRange;
}

export interface ProvidedVariable {
  name: string;
  /** The value as written; undefined when not in the repository. */
  value: string | undefined;
  /** Where it is set (the env-file line, compose `environment` entry, Dockerfile `ENV`). */
  range: SourceRange;
  /** "env file .env.prod", "compose environment", "Dockerfile ENV", "env template .env.example"… */
  origin: string;
  /** Set when the variable comes from a committed template standing in for (or beside) an env file the service loads. */
  template?: string;
}

/** Variables images and tools read themselves (postgres, mysql, redis, Python, uWSGI, gunicorn, cloud SDKs…). */
const CONSUMED_PREFIX =
  /^(POSTGRES|PG|MYSQL|MARIADB|REDIS|RABBITMQ|MONGO|ELASTIC|MEMCACHED?|PYTHON|PIP|POETRY|UV|UWSGI|GUNICORN|CELERY|FLOWER|AWS|GOOGLE|GCP|GCLOUD|AZURE|SENTRY|NEW_RELIC|NEWRELIC|DD|OTEL|NGINX|LETSENCRYPT|CERTBOT|ACME|VIRTUAL|DOCKER|COMPOSE|NODE|NPM|YARN|LC|SSL|REQUESTS|CURL|HTTP|HTTPS|NO|FTP|GIT|SSH|MINIO|TRAEFIK|CADDY|PGADMIN|DEBIAN|APT|JAVA|GRPC|UVICORN|DAPHNE|WEB)_/;
const CONSUMED_NAME = new Set([
  "DJANGO_SETTINGS_MODULE",
  "DJANGO_ALLOW_ASYNC_UNSAFE",
  "DJANGO_COLORS",
  "PATH",
  "HOME",
  "USER",
  "HOSTNAME",
  "SHELL",
  "TERM",
  "TZ",
  "LANG",
  "LANGUAGE",
  "LC_ALL",
  "PORT",
  "WEB_CONCURRENCY",
  "FORWARDED_ALLOW_IPS",
  "GUNICORN_CMD_ARGS",
  "VIRTUAL_HOST",
  "VIRTUAL_PORT",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "PGDATA",
  "PGPASSWORD",
  "DATABASE_URL",
  "CELERY_BROKER_URL",
  "SECRETS_DIR",
  "PYTHONPATH",
  "PYTHONUNBUFFERED",
  "PYTHONDONTWRITEBYTECODE",
]);

export function wellKnownConsumer(name: string): boolean {
  return CONSUMED_NAME.has(name) || CONSUMED_PREFIX.test(name) || /^PG(HOST|PORT|USER|PASSWORD|DATABASE|PASSFILE|SSLMODE|SERVICE|OPTIONS|APPNAME|TZ)$/.test(name);
}

/** Settings frameworks that read variables by names built from the setting names (django-configurations, dynaconf, pydantic…). */
const DERIVED_NAMES = /\b(configurations|dynaconf|pydantic_settings|pydantic|goodconf|environ_prefix|class_based_settings|django_settings_env)\b/;

/** A read whose variable name is computed (`os.getenv(f"{PREFIX}_HOST")`, `os.environ[name]`): its name is unknown. */
const COMPUTED_READ = /\b(?:os\.getenv|environ\.get|getenv|os\.environ\.setdefault)\s*\(\s*(?:[fF]["']|[A-Za-z_])|\bos\.environ\s*\[\s*(?:[fF]["']|[A-Za-z_])/;

/**
 * How close two variable names are: "affix" when one is the other with a `PREFIX_` or
 * `_SUFFIX` added (`HOST` / `SITE_HOST`, `DJANGO_SECRET` / `DJANGO_SECRET_KEY`), "typo" for a
 * small edit distance relative to the length (`DATABSE_URL` / `DATABASE_URL`, `ALLOWED_HOST` /
 * `ALLOWED_HOSTS`); undefined otherwise. Names under 4 characters never match by typo.
 */
export function nameCloseness(a: string, b: string): { kind: "affix" | "typo"; distance: number } | undefined {
  if (a === b) return undefined;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && (long.startsWith(`${short}_`) || long.endsWith(`_${short}`))) {
    return { kind: "affix", distance: long.length - short.length };
  }
  if (short.length < 4) return undefined;
  const distance = editDistance(a, b);
  const allowed = short.length >= 8 ? 2 : 1;
  if (distance <= allowed) return { kind: "typo", distance };
  return undefined;
}

/** Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The env-name drifts of a production stack's Django services. */
const fileSets = new WeakMap<DeploymentModel, ReadonlySet<string>>();

/** The repository's files as a set, built once per model (the rule asks once per stack, and 1000 stacks share 11 000 files). */
function fileSet(model: DeploymentModel): ReadonlySet<string> {
  let files = fileSets.get(model);
  if (!files) fileSets.set(model, (files = new Set(model.files)));
  return files;
}

export function envNameDrifts(model: DeploymentModel, stack: Stack): EnvNameDrift[] {
  const out: EnvNameDrift[] = [];
  const files = fileSet(model);
  for (const service of djangoServices(stack)) {
    const settings = service.django?.settings;
    if (!settings || settings.openNamespace !== undefined) continue;
    if (settings.modules.some((m) => settingsUseDerivedNames(model, m.file))) continue;
    const reads = absentDefaultedReads(model, stack, service, files);
    if (reads.length === 0) continue;
    const readNames = new Set(settings.envReads.map((r) => r.name));
    const provided = providedVariables(model, stack, service, files).filter((p) => !readNames.has(p.name) && !wellKnownConsumer(p.name));
    const candidates: EnvNameDrift[] = [];
    for (const p of provided) {
      let best: { read: EnvRead; distance: number }[] = [];
      for (const read of reads) {
        const close = nameCloseness(p.name, read.name);
        if (!close) continue;
        if (best.length === 0 || close.distance < (best[0] as { distance: number }).distance) best = [{ read, distance: close.distance }];
        else if (close.distance === (best[0] as { distance: number }).distance && !best.some((b) => b.read.name === read.name)) best.push({ read, distance: close.distance });
      }
      // Two reads as close as each other: which one was meant is not known.
      if (best.length !== 1) continue;
      const read = (best[0] as { read: EnvRead }).read;
      candidates.push({ services: [service], read, provided: p, nameRange: readNameRange(model, read) });
    }
    for (const c of candidates) {
      // One read paired with several provided variables: pair it with none.
      if (candidates.filter((o) => o.read.name === c.read.name && o.provided.name !== c.provided.name).length > 0) continue;
      const same = out.find((o) => rangeKey(o.nameRange) === rangeKey(c.nameRange) && o.provided.name === c.provided.name && rangeKey(o.provided.range) === rangeKey(c.provided.range));
      if (same) {
        same.services.push(service);
        continue;
      }
      if (referencedOutsideEnvFiles(model, c.provided)) continue;
      out.push(c);
    }
  }
  return out;
}

/** Settings reads with a default whose variable nothing provides (the read itself, the first of each name). */
function absentDefaultedReads(model: DeploymentModel, stack: Stack, service: Service, files: ReadonlySet<string>): EnvRead[] {
  const settings = service.django?.settings;
  if (!settings) return [];
  const dotenv = projectDotenvEntries(model, stack);
  const accept = (read: EnvRead): boolean => read.fatal === undefined && read.hasDefault && read.via !== "in os.environ" && !dotenv.has(read.name);
  let absent: EnvRead[];
  if (service.environment.complete) {
    absent = absentEnvReads(model, stack, service).map((a) => a.read);
  } else {
    // Env files the checkout lacks: read through their committed templates, the variables the
    // deployer sets are the template's. Any other unknown (a file the settings load from a
    // volume, a pass-through variable) keeps the rule silent.
    const missing = service.environment.missingEnvFiles;
    const templated = missing.every((f) => [...service.environment.values.values()].some((v) => v.templateFor === f.path) || templateOf(f.path, files) !== undefined);
    if (!templated || service.collectstatic.unknown !== undefined) return [];
    const missingReason = (name: string): string => missingEnvFileReason(name, missing);
    // Unknown only because the value is given at deploy time or kept out of a template: still provided, by name.
    const providedByName = (r: EnvRead): boolean => {
      const value = service.environment.values.get(r.name);
      return (value !== undefined && r.unknown === deployTimeReason(r.name, value.range)) || /, the template of the git-ignored \.\//.test(r.unknown ?? "");
    };
    if (settings.envReads.some((r) => r.unknown !== undefined && r.unknown !== missingReason(r.name) && !providedByName(r))) return [];
    const envFiles = new Set([...service.compose.envFiles.map((f) => f.path), ...(stack.compose.dotenvFile ? [stack.compose.dotenvFile] : [])]);
    if (model.problems.some((p) => envFiles.has(p.range.file))) return [];
    const assigned = new Set((service.appServer?.startEnv ?? []).map((v) => v.value));
    absent = settings.envReads.filter((r) => !r.provided && r.unknown === missingReason(r.name) && !service.environment.values.has(r.name) && !assigned.has(r.name));
  }
  // A name read anywhere without a default, or provided on some path, is not a drift candidate.
  const names = new Set<string>();
  const out: EnvRead[] = [];
  for (const read of absent) {
    if (!accept(read) || names.has(read.name)) continue;
    const elsewhere = settings.envReads.some((r) => r.name === read.name && (r.provided || r.fatal !== undefined || (r.unknown !== undefined && !absent.includes(r))));
    if (elsewhere) continue;
    names.add(read.name);
    out.push(read);
  }
  return out;
}

/** The committed template beside an env file (`.env.example` for `.env`), among the repository's files. */
function templateOf(path: string, files: ReadonlySet<string>): string | undefined {
  return envFileTemplate(path, { isFile: (candidate) => files.has(candidate) });
}

/** The variables given to the service (its whole environment) and those of the templates of env files it loads. */
function providedVariables(model: DeploymentModel, stack: Stack, service: Service, files: ReadonlySet<string>): ProvidedVariable[] {
  const out = new Map<string, ProvidedVariable>();
  const sharedWithUnknown = envFilesSharedWithUnknownImages(stack, service);
  for (const env of service.environment.values.values()) {
    const file = env.templateFor ?? env.range.file;
    if (env.source === "env-file" && sharedWithUnknown.has(file)) continue;
    if (env.source === "cli") continue;
    const origin =
      env.templateFor !== undefined
        ? `env template ${env.range.file}`
        : env.source === "env-file"
          ? `env file ${env.range.file}`
          : env.source === "compose-environment"
            ? `compose environment`
            : env.source === "dockerfile-env"
              ? `Dockerfile ENV`
              : `uWSGI env`;
    out.set(env.name, { name: env.name, value: env.value, range: env.range, origin, ...(env.templateFor !== undefined ? { template: env.range.file } : {}) });
  }
  // Templates beside env files the checkout holds: what deployers copy into them.
  for (const envFile of service.compose.envFiles) {
    if (!files.has(envFile.path) || sharedWithUnknown.has(envFile.path)) continue;
    const template = templateOf(envFile.path, files);
    const entries = template === undefined ? undefined : model.envFiles.find((f) => f.file === template)?.entries;
    for (const entry of entries ?? []) {
      if (out.has(entry.name) || template === undefined) continue;
      out.set(entry.name, { name: entry.name, value: undefined, range: entry.range, origin: `env template ${template}`, template });
    }
  }
  return [...out.values()];
}

/**
 * Env files another service loads whose image may read any variable: an image pulled from
 * elsewhere that is not postgres, redis or nginx. A service built from the repository (a
 * Celery or RQ worker from the web image) runs code the repository scan sees.
 */
function envFilesSharedWithUnknownImages(stack: Stack, service: Service): Set<string> {
  const out = new Set<string>();
  for (const other of stack.services) {
    if (other === service || other.django?.settings !== undefined || other.roles.size > 0 || other.image !== undefined) continue;
    for (const f of other.compose.envFiles) out.add(f.path);
  }
  return out;
}

const BINARY = /\.(png|jpe?g|gif|ico|svg|webp|woff2?|ttf|eot|otf|pdf|zip|gz|tgz|bz2|xz|tar|jar|pyc|so|dylib|mo|sqlite3?|db|mp[34]|mov|avi|wasm|map|lock|min\.js|min\.css)$/i;
const MAX_SCAN_BYTES = 1_000_000;

/**
 * True when the name appears where something may read it: in any repository file that is
 * not an env file (in Python files as a string that is not a dict key, or as `$NAME`), the
 * line that sets it aside.
 */
function referencedOutsideEnvFiles(model: DeploymentModel, p: ProvidedVariable): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${p.name}([^A-Za-z0-9_]|$)`);
  const python = new RegExp(`["']${p.name}["'](?!\\s*:)|\\$\\{?${p.name}\\b|\\{${p.name}\\}`);
  for (const { file, text } of scannableTexts(model)) {
    if (!text.includes(p.name)) continue;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (file === p.range.file && i + 1 >= p.range.line && i + 1 <= p.range.endLine) continue;
      const line = lines[i] as string;
      if (!line.includes(p.name)) continue;
      if (file.endsWith(".py") ? python.test(line) : word.test(line)) return true;
    }
  }
  return false;
}

const scannable = new WeakMap<DeploymentModel, { file: string; text: string }[]>();

/** The texts of the repository files a variable's name is looked for in (not env files, binaries or huge files), read once per model. */
function scannableTexts(model: DeploymentModel): { file: string; text: string }[] {
  let texts = scannable.get(model);
  if (texts) return texts;
  const envFiles = new Set(model.envFiles.map((f) => f.file));
  texts = [];
  for (const file of model.files) {
    if (BINARY.test(file) || /(^|\/)(node_modules|\.git)\//.test(file)) continue;
    if (isEnvFileName(file) || envFiles.has(file)) continue;
    const text = model.sourceText(file);
    if (text !== undefined && text.length <= MAX_SCAN_BYTES) texts.push({ file, text });
  }
  scannable.set(model, texts);
  return texts;
}

function settingsUseDerivedNames(model: DeploymentModel, file: string): boolean {
  const text = model.sourceText(file);
  if (text === undefined) return true;
  return DERIVED_NAMES.test(text) || COMPUTED_READ.test(text);
}

/** The name string inside a read expression (`os.environ.get("SITE_HOST", …)` → `SITE_HOST`). */
function readNameRange(model: DeploymentModel, read: EnvRead): SourceRange {
  const lines = model.sourceText(read.range.file)?.split("\n") ?? [];
  for (let line = read.range.line; line <= read.range.endLine; line++) {
    const text = lines[line - 1];
    if (text === undefined) break;
    const from = line === read.range.line ? read.range.column - 1 : 0;
    const match = new RegExp(`["']${read.name}["']`).exec(text.slice(from));
    if (match) {
      const column = from + match.index + 2;
      return { file: read.range.file, line, column, endLine: line, endColumn: column + read.name.length };
    }
  }
  return read.range;
}
