import { posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import { hasUrlCredentials, isSecretVariable } from "../core/secrets.js";
import type { DeploymentModel, EnvFile, Stack } from "./deployment-model.js";
import { isInsideRepo, type RepoTree } from "./repo-tree.js";
import { developmentWordIn } from "./stack-purpose.js";
import { loadDotenvFile } from "./service-environment.js";
import type { SourceCache } from "./source-cache.js";

/** `.env`, `.env.prod`, `.env_prod`, `env.prod`, `env_file_app`, `prod.env`, `prod.env.example`, cookiecutter's `.envs/.production/.django`. */
const ENV_FILE_NAME = /^\.?env([._-].*)?$|\.env$|\.env[._-]/;
/** Code and documents that happen to be named like env files (`env.py`, `.env.d.ts`, `env.yml`). */
const NOT_ENV_EXTENSION = /\.(py|pyc|sh|bash|js|mjs|cjs|ts|tsx|jsx|json|ya?ml|toml|md|rst|html|lock|cfg)$/i;
const TEMPLATE_NAME = /(^|[._-])(example|sample|template|tmpl|tpl|dist|defaults?|skel|j2|jinja2?|in)([._-]|$)/i;

export function isEnvFileName(path: string): boolean {
  const base = posix.basename(path);
  if (/(^|\/)\.envs\//.test(path)) return true;
  return ENV_FILE_NAME.test(base) && !NOT_ENV_EXTENSION.test(base);
}

export function isEnvTemplateName(path: string): boolean {
  const base = posix.basename(path);
  return TEMPLATE_NAME.test(base.replace(/^\.env/, "env"));
}

/** Every env file the repository holds or a compose file names, with what uses it. */
export function collectEnvFiles(files: readonly string[], stacks: readonly Stack[], repo: RepoTree, cache: SourceCache): EnvFile[] {
  const byPath = new Map<string, EnvFile>();
  const ensure = (file: string): EnvFile => {
    let envFile = byPath.get(file);
    if (!envFile) {
      const exists = repo.isFile(file);
      envFile = { file, isTemplate: isEnvTemplateName(file), exists, entries: exists ? loadDotenvFile(cache, file).entries : [], usedBy: [] };
      byPath.set(file, envFile);
    }
    return envFile;
  };
  for (const file of files) if (isEnvFileName(file)) ensure(file);
  for (const stack of stacks) {
    if (stack.compose.dotenvFile) ensure(stack.compose.dotenvFile).usedBy.push({ stack: stack.id, range: { file: stack.compose.files[0] ?? stack.compose.dotenvFile, line: 1, column: 1, endLine: 1, endColumn: 1 } });
    for (const service of stack.services) {
      for (const envFile of service.compose.envFiles) {
        if (!isInsideRepo(envFile.path)) continue;
        ensure(envFile.path).usedBy.push({ stack: stack.id, service: service.name, range: envFile.range });
      }
      // Files the settings load themselves (load_dotenv("config/secrets"), read_env(...)), whatever their names.
      const loaded = new Map<string, SourceRange>();
      for (const read of service.django?.settings?.envReads ?? []) {
        const file = read.source?.file;
        if (file !== undefined && !loaded.has(file) && repo.isFile(file) && !isEnvTemplateName(file)) loaded.set(file, read.range);
      }
      for (const [file, range] of loaded) ensure(file).usedBy.push({ stack: stack.id, service: service.name, range, via: "settings" });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** "SECRET_KEY, POSTGRES_PASSWORD and 2 more" for the secret-named (or credential-carrying URL) variables with a value; undefined when none. */
export function secretNames(envFile: EnvFile): string | undefined {
  const names = [...new Set(envFile.entries.filter((e) => e.value !== "" && (isSecretVariable(e.name) || hasUrlCredentials(e.value))).map((e) => e.name))];
  if (names.length === 0) return undefined;
  const shown = names.slice(0, 3);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] as string);
}

/**
 * True when only development stacks read the file (a committed `.env.dev` with throwaway
 * values beside a production stack that reads git-ignored files): not a production leak.
 * A file no stack names counts as development only when its name says so (`env_file_app_ci`,
 * `.env.test`, `.envs/.local/.django`): production settings may read any other.
 */
export function usedOnlyInDevelopment(model: DeploymentModel, envFile: EnvFile): boolean {
  if (envFile.usedBy.length === 0) return developmentWordIn(envFile.file) !== undefined;
  const purposes = new Map(model.stacks.map((s) => [s.id, s.purpose.kind]));
  return envFile.usedBy.every((u) => purposes.get(u.stack) === "development");
}
