import type { SourceRange } from "../core/location.js";
import type { DotenvEntry } from "../parsers/dotenv.js";
import type { EnvRead } from "../python/evaluate.js";
import type { DeploymentModel, Service, Stack } from "./deployment-model.js";

/**
 * Env reads of a Django service's settings whose variable is certainly absent when the
 * settings run: the service's environment is all in the repository (no missing env_file, no
 * env file with parse problems, no image from a base we cannot see, no start script we cannot read, not assigned by the
 * start command) and neither the environment nor a file the settings load themselves
 * holds the variable. Reads of unknown variables are left out: unknown is not wrong.
 */
export interface AbsentEnvRead {
  read: EnvRead;
  /** Where the variable is set in the compose project's `.env` (interpolation only), when it is. */
  dotenvEntry: DotenvEntry | undefined;
}

export function absentEnvReads(model: DeploymentModel, stack: Stack, service: Service): AbsentEnvRead[] {
  const settings = service.django?.settings;
  if (!settings) return [];
  if (!service.environment.complete || service.collectstatic.unknown !== undefined) return [];
  // An env file that did not parse cleanly (binary, broken quoting) may hold variables we did not read.
  const envFiles = new Set([...service.compose.envFiles.map((f) => f.path), ...(stack.compose.dotenvFile ? [stack.compose.dotenvFile] : [])]);
  if (model.problems.some((p) => envFiles.has(p.range.file))) return [];
  const assigned = new Set((service.appServer?.startEnv ?? []).map((v) => v.value));
  const dotenv = projectDotenvEntries(model, stack);
  const out: AbsentEnvRead[] = [];
  const seen = new Set<string>();
  for (const read of settings.envReads) {
    if (read.provided || read.unknown !== undefined || read.via === "in os.environ") continue;
    if (service.environment.values.has(read.name) || assigned.has(read.name)) continue;
    const key = `${rangeKey(read.range)}|${read.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ read, dotenvEntry: dotenv.get(read.name) });
  }
  return out;
}

/** The entries of the compose project's `.env` (the file compose reads to interpolate `${VAR}`), by name. */
export function projectDotenvEntries(model: DeploymentModel, stack: Stack): Map<string, DotenvEntry> {
  const file = stack.compose.dotenvFile;
  const out = new Map<string, DotenvEntry>();
  if (file === undefined) return out;
  const envFile = model.envFiles.find((f) => f.file === file && f.exists);
  for (const entry of envFile?.entries ?? []) out.set(entry.name, entry);
  return out;
}

export function rangeKey(range: SourceRange): string {
  return `${range.file}:${range.line}:${range.column}`;
}
