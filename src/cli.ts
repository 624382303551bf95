#!/usr/bin/env node
import { appendFileSync, fstatSync, statSync, writeFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ALL_RULES } from "../rules/index.js";
import { ConfigError } from "./config/config-errors.js";
import { discoverConfigFile, loadConfig, type ProjectConfig } from "./config/load-config.js";
import { renderRuleMarkdown } from "./docs/rule-doc.js";
import { applyBaseline, baselineOf, BaselineError, readBaseline, writeBaseline } from "./engine/baseline.js";
import { applyFindingPolicy, EMPTY_POLICY, rulesTurnedOff } from "./engine/config-filter.js";
import type { Finding } from "./engine/finding.js";
import { SEVERITY_ORDER, type Severity } from "./engine/finding.js";
import { splitList, unknownPatterns } from "./engine/selection.js";
import { lintProject } from "./lint.js";
import { FORMATTERS, isFormatName } from "./report/formats.js";
import { useColor } from "./report/text.js";
import { formatGithubSummary } from "./report/github.js";
import type { LintReport } from "./report/report.js";
import { parseDjangoVersionOption } from "./model/django-version-detect.js";
import { formatVersion, modelledRange, NEWEST_DJANGO, OLDEST_DJANGO } from "./model/django-version.js";
import { printableModel } from "./model/print-model.js";
import { TOOL_NAME, VERSION } from "./version.js";
import { isRegularFile } from "./core/fs-checks.js";

const FAIL_LEVELS = ["error", "warning", "info", "never"] as const;
type FailLevel = (typeof FAIL_LEVELS)[number];

const HELP = `Usage: ${TOOL_NAME} [options] [PATH]

Lint a Django production deployment (compose, nginx, uWSGI/gunicorn, Dockerfiles,
.env files, settings) rooted at PATH (default: .).

Options:
  --format FORMAT          ${Object.keys(FORMATTERS).join("|")} (default: text)
  --output FILE            write the report to FILE instead of stdout
  --settings MODULE        production settings module (overrides detection)
  --compose FILE           compose file of the stack to lint, repeatable (as docker compose -f)
  --django-version X.Y     Django version (1.11 … 5.2) whose checks and defaults apply (overrides the pins)
  --select RULES           only these rule ids or families, comma-separated
  --ignore RULES           skip these rule ids or families, comma-separated
  --fail-on LEVEL          error|warning|info|never: exit 1 at or above it (default: warning)
  --config FILE            read the configuration from FILE (JSON, YAML or pyproject.toml)
                           instead of looking for django-prod-lint.config.{json,yaml,yml},
                           .django-prod-lint.{yaml,yml} or [tool.django-prod-lint] in
                           pyproject.toml in PATH; options given here replace its values
  --no-config              do not look for a configuration file
  --baseline FILE          report only findings FILE does not hold (see --write-baseline)
  --write-baseline FILE    record every current finding in FILE, report none, exit 0
  --print-model            print the linked deployment model as JSON (secrets masked)
  --list-rules             list every rule
  --explain RULE           show a rule's documentation
  --version                print the version
  --help                   show this help

Exit status: 0 no finding at or above the fail level, 1 findings, 2 usage or internal error.
`;

class UsageError extends Error {}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        output: { type: "string" },
        settings: { type: "string" },
        compose: { type: "string", multiple: true },
        "django-version": { type: "string" },
        select: { type: "string", multiple: true },
        ignore: { type: "string", multiple: true },
        "fail-on": { type: "string" },
        config: { type: "string" },
        "no-config": { type: "boolean" },
        baseline: { type: "string" },
        "write-baseline": { type: "string" },
        "print-model": { type: "boolean" },
        "list-rules": { type: "boolean" },
        explain: { type: "string" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    writeStdout(HELP);
    return 0;
  }
  if (values.version) {
    writeStdout(`${TOOL_NAME} ${VERSION}\n`);
    return 0;
  }
  const format = values.format ?? "text";
  if (!isFormatName(format)) throw new UsageError(`--format must be one of ${Object.keys(FORMATTERS).join(", ")} (got '${values.format}')`);
  const cliFailOn = values["fail-on"] as FailLevel | undefined;
  if (cliFailOn !== undefined && !FAIL_LEVELS.includes(cliFailOn)) throw new UsageError(`--fail-on must be one of ${FAIL_LEVELS.join(", ")} (got '${values["fail-on"]}')`);

  if (values["list-rules"]) {
    const out = format === "json"
      ? `${JSON.stringify(ALL_RULES.map((r) => ({ id: r.id, django: r.django, severity: r.severity, summary: r.summary })), null, 2)}\n`
      : ALL_RULES.map((r) => `${r.id.padEnd(36)} ${r.severity.padEnd(8)} ${r.summary}`).join("\n") + "\n";
    writeOutput(out, values.output);
    return 0;
  }
  if (values.explain !== undefined) {
    const rule = ALL_RULES.find((r) => r.id === values.explain);
    if (!rule) throw new UsageError(`unknown rule '${values.explain}' (see --list-rules)`);
    writeOutput(renderRuleMarkdown(rule), values.output);
    return 0;
  }

  if (positionals.length > 1) throw new UsageError(`expected at most one PATH, got ${positionals.length}`);
  const root = resolve(positionals[0] ?? ".");
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch {
    throw new UsageError(`PATH '${positionals[0] ?? "."}' does not exist`);
  }
  if (!rootStat.isDirectory()) throw new UsageError(`PATH '${positionals[0]}' is not a directory: give the project root`);

  if (values.baseline !== undefined && values["write-baseline"] !== undefined) {
    throw new UsageError("--baseline and --write-baseline exclude each other: write the baseline once, then lint with it");
  }
  const ruleIds = ALL_RULES.map((r) => r.id);
  const config = readConfig(root, values.config, values["no-config"] === true, ruleIds);
  // An option given on the command line replaces the config's value for that key.
  const select = values.select !== undefined ? values.select.flatMap(splitList) : (config?.select ?? []);
  const listedIgnore = values.ignore !== undefined ? values.ignore.flatMap(splitList) : (config?.ignore ?? []);
  const unknown = unknownPatterns([...select, ...listedIgnore], ruleIds);
  if (unknown.length > 0) throw new UsageError(`unknown rule or family: ${unknown.join(", ")} (see --list-rules)`);
  const policy = config?.policy ?? EMPTY_POLICY;
  // `severity: off` rules do not run at all.
  const ignore = [...listedIgnore, ...rulesTurnedOff(ruleIds, policy.severity)];
  const failOn: FailLevel = cliFailOn ?? config?.failOn ?? "warning";
  const settingsModule = values.settings ?? config?.settings;

  const djangoVersionText = values["django-version"] ?? config?.djangoVersion;
  const djangoVersion = djangoVersionText === undefined ? undefined : parseDjangoVersionOption(djangoVersionText);
  if (djangoVersionText !== undefined && !djangoVersion) {
    throw new UsageError(`--django-version must be a Django version such as 4.2 or 4.2.11 (got '${djangoVersionText}')`);
  }
  if (djangoVersion && modelledRange(djangoVersion) !== "modelled") {
    throw new UsageError(
      `--django-version ${djangoVersionText}: django-prod-lint models Django ${formatVersion(OLDEST_DJANGO)} … ${formatVersion(NEWEST_DJANGO)}; name one of those releases`,
    );
  }

  for (const file of values.compose ?? []) {
    if (!isRegularFile(resolve(file))) throw new UsageError(`--compose '${file}' is not a file`);
  }
  const composeFiles = values.compose ?? config?.composeFiles;
  const result = lintProject(root, {
    selection: { select, ignore },
    ...(settingsModule !== undefined ? { settingsModule } : {}),
    ...(composeFiles !== undefined ? { composeFiles } : {}),
    ...(djangoVersion !== undefined ? { djangoVersion } : {}),
  });

  if (values["print-model"]) {
    writeOutput(`${JSON.stringify(printableModel(result.model), null, 2)}\n`, values.output);
    return 0;
  }

  const findings = applyBaselineOptions(applyFindingPolicy(result.findings, policy), {
    read: values.baseline !== undefined ? resolve(values.baseline) : config?.baselineFile,
    write: values["write-baseline"],
  });
  const report: LintReport = {
    root,
    findings,
    rules: ALL_RULES,
    model: result.model,
    cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
    // A file written with --output never gets colour codes.
    // Only text has colour; asking whether stdout is a terminal loads node:tty (and net, and streams).
    color: format === "text" && values.output === undefined && useColor(process.env, stdoutIsTerminal()),
  };
  writeOutput(FORMATTERS[format](report), values.output);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (format === "github" && stepSummary) appendFileSync(stepSummary, formatGithubSummary(report));
  for (const internal of result.internalErrors) {
    process.stderr.write(`${TOOL_NAME}: internal error in rule ${internal.rule} (please report it):\n${internal.error}\n`);
  }
  if (result.internalErrors.length > 0) return 2;
  if (failOn === "never") return 0;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  return findings.some((f) => SEVERITY_ORDER[f.severity] >= threshold) ? 1 : 0;
}

/**
 * `--write-baseline FILE` records the findings and hides them all; `--baseline FILE` (or the config's
 * `baseline`) hides the recorded ones. A note on stderr says what the baseline did.
 */
function applyBaselineOptions(findings: Finding[], files: { read: string | undefined; write: string | undefined }): Finding[] {
  try {
    if (files.write !== undefined) {
      writeBaseline(files.write, baselineOf(findings, { name: TOOL_NAME, version: VERSION }));
      process.stderr.write(`${TOOL_NAME}: wrote ${plural(findings.length, "finding")} to the baseline ${files.write}\n`);
      return [];
    }
    if (files.read === undefined) return findings;
    const result = applyBaseline(findings, readBaseline(files.read));
    if (result.hidden > 0 || result.stale > 0) {
      const stale = result.stale > 0 ? `; ${plural(result.stale, "baseline entry", "baseline entries")} no longer ${result.stale === 1 ? "occurs" : "occur"} (fixed? rewrite it with --write-baseline)` : "";
      process.stderr.write(`${TOOL_NAME}: the baseline hid ${plural(result.hidden, "known finding")}${stale}\n`);
    }
    return result.findings;
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The configuration: --config FILE, else the one file found in the root, unless --no-config. */
function readConfig(root: string, explicit: string | undefined, skip: boolean, ruleIds: readonly string[]): ProjectConfig | undefined {
  if (explicit !== undefined && skip) throw new UsageError("--config and --no-config exclude each other: give one");
  if (skip) return undefined;
  // Files under the working directory are named relative to it, like every other path the user typed.
  const display = (abs: string): string => {
    const rel = relative(process.cwd(), abs);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
  };
  try {
    const file = explicit !== undefined ? resolve(explicit) : discoverConfigFile(root, display);
    if (file === undefined) return undefined;
    return loadConfig(file, { rootAbs: root, ruleIds, display: explicit !== undefined ? () => explicit : display });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function writeOutput(text: string, output: string | undefined): void {
  if (output === undefined) {
    writeStdout(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new UsageError(`cannot write --output '${output}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** node:tty loads net and streams: asked only when stdout is a character device (pipes and files are not terminals). */
function stdoutIsTerminal(): boolean {
  try {
    if (!fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (createRequire(import.meta.url)("node:tty") as typeof import("node:tty")).isatty(1);
}

/**
 * Writes to fd 1 directly: creating `process.stdout` for a pipe loads Node's stream and net
 * modules, a few milliseconds of a lint that takes little more than Node's start-up. A
 * non-blocking stdout that is full (EAGAIN) gets the rest through process.stdout, which waits.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // `django-prod-lint . | head` closes stdout early: that is not an error.
    if (code === "EPIPE") return;
    if (code !== "EAGAIN") throw error;
    process.stdout.on("error", (streamError: NodeJS.ErrnoException) => {
      if (streamError.code !== "EPIPE") throw streamError;
    });
    process.stdout.write(bytes.subarray(offset));
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${TOOL_NAME}: ${error.message}\nTry '${TOOL_NAME} --help'.\n`);
  } else {
    process.stderr.write(`${TOOL_NAME}: internal error (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exitCode = 2;
}
