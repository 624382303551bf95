import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { PYPROJECT_TABLE } from "./read-config-file.js";
import { isRegularFile } from "../core/fs-checks.js";

/** The file names looked for in the lint root, in the order messages list them. */
export const CONFIG_FILE_NAMES = [
  "django-prod-lint.config.json",
  "django-prod-lint.config.yaml",
  "django-prod-lint.config.yml",
  ".django-prod-lint.yaml",
  ".django-prod-lint.yml",
] as const;

// `[tool.django-prod-lint]` or a sub-table `[tool."django-prod-lint".x]`.
const TABLE_HEADER = /^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*["']?django-prod-lint["']?[ \t]*[\].]/m;

/**
 * The config files present in `rootAbs` (absolute paths). A pyproject.toml counts only when it has a
 * [tool.django-prod-lint] table; we look for the name in the text first so that projects without it
 * never pay for a TOML parse.
 */
export function findConfigFiles(rootAbs: string): string[] {
  const found = CONFIG_FILE_NAMES.map((name) => join(rootAbs, name)).filter(isRegularFile);
  const pyproject = join(rootAbs, "pyproject.toml");
  if (isRegularFile(pyproject) && hasToolTable(pyproject)) found.push(pyproject);
  return found;
}

function hasToolTable(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return false;
  }
  if (!text.includes(PYPROJECT_TABLE)) return false;
  // A broken pyproject with our table header is still ours: reading it reports the syntax error.
  if (TABLE_HEADER.test(text)) return true;
  try {
    // `django-prod-lint = {…}` or dotted keys under [tool]: only a full parse tells.
    const tool = (parseToml(text) as { tool?: Record<string, unknown> }).tool;
    return typeof tool?.[PYPROJECT_TABLE] === "object";
  } catch {
    return false;
  }
}
