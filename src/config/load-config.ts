import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { FindingPolicy, SeverityOverride } from "../engine/config-filter.js";
import { unknownPatterns } from "../engine/selection.js";
import { packageRoot } from "../core/package-root.js";
import { ConfigError, configMessage, describeValue, type KeyPath } from "./config-errors.js";
import { findConfigFiles } from "./config-files.js";
import { readConfigFile, type RawConfig } from "./read-config-file.js";
import { isRegularFile } from "../core/fs-checks.js";

export type FailLevel = "error" | "warning" | "info" | "never";

/** A validated configuration; keys absent from the file are absent here, so the CLI's defaults apply. */
export interface ProjectConfig {
  /** The config file as messages name it. */
  file: string;
  select?: string[];
  ignore?: string[];
  policy: FindingPolicy;
  settings?: string;
  /** Absolute paths (the file gives them relative to the root). */
  composeFiles?: string[];
  /** "X.Y" or "X.Y.Z", already checked by the schema. */
  djangoVersion?: string;
  failOn?: FailLevel;
  /** Absolute path of the baseline file (the file gives it relative to the root); not checked for existence. */
  baselineFile?: string;
}

/** The configuration keys as the file spells them (docs/config.schema.json). */
interface ConfigFileShape {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, SeverityOverride>;
  "per-file-ignores"?: Record<string, string[]>;
  settings?: string;
  compose?: string[];
  "django-version"?: string;
  "fail-on"?: FailLevel;
  baseline?: string;
}

export interface LoadConfigOptions {
  rootAbs: string;
  /** Every rule id: config names rules, but src/config does not import rules/. */
  ruleIds: readonly string[];
  /** How to name a file in messages (e.g. relative to the working directory). */
  display: (absPath: string) => string;
}

/** The one config file in the root, or undefined; two or more is a ConfigError (which one would win is a guess). */
export function discoverConfigFile(rootAbs: string, display: (absPath: string) => string): string | undefined {
  const found = findConfigFiles(rootAbs);
  if (found.length > 1) throw new ConfigError(`found ${found.length} config files: ${found.map(display).join(" and ")}; keep one`);
  return found[0];
}

/** Reads, validates and resolves one config file. Every mistake is a ConfigError naming file, key and fix. */
export function loadConfig(absPath: string, options: LoadConfigOptions): ProjectConfig {
  const file = options.display(absPath);
  const raw = readConfigFile(absPath, file);
  const fail = (path: KeyPath, problem: string): never => {
    throw new ConfigError(configMessage(file, path, problem, raw.locate(path), raw.keyPrefix));
  };
  const validate = schemaValidator();
  if (!validate(raw.data)) describeSchemaError(raw, validate.errors?.[0], fail);
  const config = raw.data as ConfigFileShape;

  checkRuleNames(config, options.ruleIds, fail);
  const composeFiles = config.compose?.map((path, i) => {
    const abs = resolve(options.rootAbs, path);
    if (!isRegularFile(abs)) fail(["compose", i], `${JSON.stringify(path)} is not a file (compose paths are relative to the project root)`);
    return abs;
  });
  return {
    file,
    ...(config.select !== undefined ? { select: config.select } : {}),
    ...(config.ignore !== undefined ? { ignore: config.ignore } : {}),
    policy: {
      severity: config.severity ?? {},
      perFileIgnores: Object.entries(config["per-file-ignores"] ?? {}).map(([glob, rules]) => ({ glob, rules })),
    },
    ...(config.settings !== undefined ? { settings: config.settings } : {}),
    ...(composeFiles !== undefined ? { composeFiles } : {}),
    ...(config["django-version"] !== undefined ? { djangoVersion: config["django-version"] } : {}),
    ...(config["fail-on"] !== undefined ? { failOn: config["fail-on"] } : {}),
    ...(config.baseline !== undefined ? { baselineFile: resolve(options.rootAbs, config.baseline) } : {}),
  };
}

/** Rule ids and families anywhere in the file must exist: a typo would silently turn a check off (or not). */
function checkRuleNames(config: ConfigFileShape, ruleIds: readonly string[], fail: (path: KeyPath, problem: string) => never): void {
  const unknown = (name: string) => unknownPatterns([name], ruleIds).length > 0;
  const problem = "unknown rule or family (see --list-rules)";
  for (const key of ["select", "ignore"] as const) {
    config[key]?.forEach((name, i) => unknown(name) && fail([key, i], `${problem}: ${JSON.stringify(name)}`));
  }
  for (const name of Object.keys(config.severity ?? {})) if (unknown(name)) fail(["severity", name], problem);
  for (const [glob, names] of Object.entries(config["per-file-ignores"] ?? {})) {
    names.forEach((name, i) => name !== "*" && unknown(name) && fail(["per-file-ignores", glob, i], `${problem}: ${JSON.stringify(name)}; use "*" for every rule`));
  }
}

const PATTERN_HINTS: Record<string, string> = {
  settings: "a dotted Python module name such as mysite.settings.prod",
  "django-version": "a Django version such as 4.2 or 4.2.11",
};

const TYPE_NAMES: Record<string, string> = { array: "a list", object: "a mapping", string: "a string" };

/** What a key holds, for "must be …" (by the key path's shape; items of lists are strings). */
function expected(path: KeyPath, type: string): string {
  const [key] = path;
  if (path.length === 1) {
    if (key === "select" || key === "ignore") return "a list of rule ids or families";
    if (key === "compose") return "a list of compose files";
    if (key === "django-version") return 'a string such as "4.2" (quote it in YAML)';
    if (key === "severity") return "a mapping of rule id or family to error, warning, info or off";
    if (key === "per-file-ignores") return "a mapping of glob to a list of rule ids or families";
  }
  if (key === "per-file-ignores" && path.length === 2) return 'a list of rule ids or families, or ["*"]';
  return TYPE_NAMES[type] ?? type;
}

/** One ajv error in plain English, with the key path the user wrote. */
function describeSchemaError(raw: RawConfig, error: ErrorObject | undefined, fail: (path: KeyPath, problem: string) => never): never {
  if (!error) return fail([], "does not match docs/config.schema.json");
  const path = keyPathOf(raw.data, error.instancePath);
  const value = valueAt(raw.data, path);
  const got = ` (got ${describeValue(value)})`;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(readSchema().properties as object).join(", ");
      return fail([...path, key], `unknown key (allowed: ${allowed})`);
    }
    case "type": {
      const type = String((error.params as { type: string }).type);
      if (path.length === 0) return fail([], `must be a mapping of configuration keys${got}`);
      return fail(path, `must be ${expected(path, type)}${got}`);
    }
    case "enum":
      return fail(path, `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}${got}`);
    case "pattern":
      return fail(path, `must be ${PATTERN_HINTS[String(path[0])] ?? `a string matching ${String((error.params as { pattern: string }).pattern)}`}${got}`);
    case "minLength":
    case "minItems":
      return fail(path, "must not be empty");
    case "uniqueItems": {
      const { j } = error.params as { i: number; j: number };
      return fail(path, `lists ${describeValue((value as unknown[])[j])} twice`);
    }
    case "propertyNames":
      return fail(path, "has an empty key");
    default:
      return fail(path, error.message ?? "is not valid");
  }
}

/** ajv's instancePath (`/per-file-ignores/compose~1**\/0`) → key path, telling array indexes from keys by the data. */
function keyPathOf(data: unknown, instancePath: string): KeyPath {
  const path: KeyPath = [];
  let node = data;
  for (const encoded of instancePath.split("/").slice(1)) {
    const key = encoded.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = (node as Record<string | number, unknown> | undefined)?.[segment];
  }
  return path;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown> | undefined)?.[segment], data);
}

let compiled: ValidateFunction | undefined;
let schema: Record<string, unknown> | undefined;

/** ajv is loaded only when a config file exists: linting a project without one must start as fast as node. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    compiled = new Ajv({ allErrors: false, strict: true }).compile(readSchema());
  }
  return compiled;
}

/** docs/config.schema.json ships with the package. */
function readSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(join(packageRoot(), "docs", "config.schema.json"), "utf8")) as Record<string, unknown>;
  return schema;
}
