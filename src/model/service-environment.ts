import { posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import { hasUrlCredentials, isSecretName } from "../core/secrets.js";
import { parseDotenv, type DotenvFile } from "../parsers/dotenv.js";
import type { DockerStage } from "../parsers/dockerfile.js";
import type { ComposeService } from "./compose-stack.js";
import type { EnvValue, ServiceEnvironment } from "./deployment-model.js";
import type { RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

export function loadDotenvFile(cache: SourceCache, file: string): DotenvFile {
  return cache.parse("dotenv", file, (text) => parseDotenv(text, file), () => ({ file, entries: [], problems: [] }));
}

/**
 * The environment a service's processes start with, lowest precedence first: the image's
 * ENV, the app server's own `env =` options, compose `env_file`s (later files win), compose
 * `environment`. Compose interpolation has already happened in the compose loader.
 */
export function buildServiceEnvironment(
  compose: ComposeService,
  stage: DockerStage | undefined,
  appServerEnv: ReadonlyMap<string, EnvValue>,
  cache: SourceCache,
  repo: RepoTree,
): ServiceEnvironment {
  const values = new Map<string, EnvValue>();
  const missingEnvFiles: { path: string; range: SourceRange }[] = [];
  let complete = true;
  for (const env of stage?.env.values() ?? []) {
    values.set(env.name, { name: env.name, value: env.value, source: "dockerfile-env", range: env.range });
  }
  for (const env of appServerEnv.values()) values.set(env.name, env);
  for (const envFile of compose.envFiles) {
    if (!repo.isFile(envFile.path)) {
      if (envFile.required) complete = false;
      missingEnvFiles.push({ path: envFile.path, range: envFile.range });
      const template = envFileTemplate(envFile.path, repo);
      if (template) for (const value of templateValues(cache, template, envFile.path)) values.set(value.name, value);
      continue;
    }
    const parsed = loadDotenvFile(cache, envFile.path);
    for (const entry of parsed.entries) {
      values.set(entry.name, { name: entry.name, value: entry.value, source: "env-file", range: entry.range });
    }
  }
  for (const env of compose.environment.values()) {
    values.set(env.name, {
      name: env.name,
      value: env.value === undefined || (env.unresolved?.length ?? 0) > 0 ? undefined : env.value,
      source: "compose-environment",
      range: env.range,
    });
  }
  return { values, complete, missingEnvFiles };
}

/** Suffixes of committed env templates: `.env.prod-sample`, `.env.example`, `web.env.dist`… */
const TEMPLATE_SUFFIXES = ["example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults"];

/**
 * The committed template of an env file the checkout does not hold (it is git-ignored, as it
 * should be): `<name>.example`, `<name>-sample`, `<name>_template`…, beside it; for a dotted
 * name also without the dot (`env.example` for `.env`).
 */
export function envFileTemplate(path: string, repo: Pick<RepoTree, "isFile">): string | undefined {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  const bases = base.startsWith(".") ? [base, base.slice(1)] : [base];
  for (const name of bases) {
    for (const suffix of TEMPLATE_SUFFIXES) {
      for (const separator of [".", "-", "_"]) {
        const candidate = posix.join(dir, `${name}${separator}${suffix}`);
        if (repo.isFile(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

/**
 * What a template tells about the real file: its non-secret values (DEBUG, hosts, ports,
 * database names). Secrets in a template are placeholders (`SECRET_KEY=change-me`) and an
 * empty value is one the user fills in: both stay unknown.
 */
function templateValues(cache: SourceCache, template: string, standsFor: string): EnvValue[] {
  return loadDotenvFile(cache, template).entries.map((entry) => {
    const placeholder = entry.value === "" || isSecretName(entry.name) || hasUrlCredentials(entry.value);
    return { name: entry.name, value: placeholder ? undefined : entry.value, source: "env-file", range: entry.range, templateFor: standsFor };
  });
}

/** `name` → its value, for loaders that substitute variables (undefined when unset or unknown). */
export function envLookup(environment: ServiceEnvironment): (name: string) => string | undefined {
  return (name) => environment.values.get(name)?.value;
}
