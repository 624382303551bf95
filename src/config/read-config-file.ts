import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { jsonErrorReason } from "../core/json-error.js";
import { ConfigError, type KeyPath, type Position } from "./config-errors.js";

export type ConfigSyntax = "json" | "yaml" | "pyproject";

/** The raw configuration of one file, before validation. */
export interface RawConfig {
  data: unknown;
  /** Where a key (or array item) is written, when the syntax lets us find it. */
  locate(path: KeyPath): Position | undefined;
  /** Put before key paths in messages (`[tool.django-prod-lint] `), so the user finds the table. */
  keyPrefix: string;
}

export const PYPROJECT_TABLE = "django-prod-lint";

export function syntaxOf(path: string): ConfigSyntax {
  const name = basename(path);
  if (name === "pyproject.toml" || name.endsWith(".toml")) return "pyproject";
  return name.endsWith(".json") ? "json" : "yaml";
}

/** Reads a config file; syntax errors and unreadable files are ConfigErrors with file:line:col. */
export function readConfigFile(absPath: string, display: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (code ?? (error as Error).message);
    throw new ConfigError(`cannot read config file ${display}: ${why}`);
  }
  const syntax = syntaxOf(absPath);
  if (syntax === "pyproject") return readPyproject(text, display);
  if (syntax === "json") {
    try {
      JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${display}${jsonErrorPosition(text, (error as Error).message)}: invalid JSON: ${jsonErrorReason((error as Error).message)}`);
    }
  }
  return readYaml(text, display, syntax === "json" ? "JSON" : "YAML");
}

/** JSON is YAML 1.2: one parser gives both the data and the ranges of keys for messages. */
function readYaml(text: string, display: string, syntaxName: "JSON" | "YAML"): RawConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0];
    const reason = error.message.split(/ at line \d+, column \d+/)[0]!.split("\n")[0];
    throw new ConfigError(`${display}${pos ? `:${pos.line}:${pos.col}` : ""}: invalid ${syntaxName}: ${reason}`);
  }
  const data: unknown = doc.contents === null ? {} : doc.toJS();
  return {
    data,
    keyPrefix: "",
    locate: (path) => {
      const offset = offsetOf(doc, path);
      if (offset === undefined) return undefined;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
  };
}

/** The start offset of the key (for a mapping entry) or the item (for a list entry) at `path`. */
function offsetOf(doc: Document, path: KeyPath): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!item) return offset;
      offset = (item as { range?: [number] }).range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function readPyproject(text: string, display: string): RawConfig {
  let table: unknown;
  try {
    table = (parseToml(text) as { tool?: Record<string, unknown> }).tool?.[PYPROJECT_TABLE];
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigError(`${display}:${error.line}:${error.column}: invalid TOML: ${error.message.split("\n")[0]}`);
    throw error;
  }
  if (table === undefined) throw new ConfigError(`${display}: has no [tool.${PYPROJECT_TABLE}] table`);
  return { data: table, keyPrefix: `[tool.${PYPROJECT_TABLE}] `, locate: () => undefined };
}

/** Node's JSON.parse says "at position N" (and on newer releases "(line L column C)"). */
function jsonErrorPosition(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m) return "";
  const before = text.slice(0, Number(m[1]));
  const line = before.split("\n").length;
  return `:${line}:${before.length - before.lastIndexOf("\n")}`;
}
