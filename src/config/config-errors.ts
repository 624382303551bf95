import { maskSecretsInText } from "../core/secrets.js";

/** A mistake in the user's configuration file: the CLI prints the message on one line and exits 2. */
export class ConfigError extends Error {}

/** A key path into the configuration: object keys and array indexes. */
export type KeyPath = (string | number)[];

export interface Position {
  line: number;
  column: number;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["per-file-ignores", "compose/**", 0]` → `per-file-ignores."compose/**"[0]` (the form users see in messages). */
export function formatKeyPath(path: KeyPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += text === "" ? JSON.stringify(segment) : `.${JSON.stringify(segment)}`;
  }
  return text;
}

/** `file:line:col: key.path: problem`, leaving out what is unknown. */
export function configMessage(file: string, path: KeyPath, problem: string, at?: Position, prefix = ""): string {
  const where = at ? `${file}:${at.line}:${at.column}` : file;
  const key = formatKeyPath(path);
  return key === "" && prefix === "" ? `${where}: ${problem}` : `${where}: ${prefix}${key}: ${problem}`;
}

/** A value for a message: short, JSON-quoted strings, kinds for containers (never a whole structure). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = maskSecretsInText(value);
    return JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown);
  }
  return String(value);
}
