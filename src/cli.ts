#!/usr/bin/env node
import { appendFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ALL_RULES } from "../rules/index.js";
import { renderRuleMarkdown } from "./docs/rule-doc.js";
import { SEVERITY_ORDER, type Severity } from "./engine/finding.js";
import { splitList, unknownPatterns } from "./engine/selection.js";
import { lintProject } from "./lint.js";
import { FORMATTERS, isFormatName } from "./report/formats.js";
import { useColor } from "./report/text.js";
import { formatGithubSummary } from "./report/github.js";
import type { LintReport } from "./report/report.js";
import { parseDjangoVersionOption } from "./model/django-version-detect.js";
import { printableModel } from "./model/print-model.js";
import { TOOL_NAME, VERSION } from "./version.js";

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
  --django-version X.Y     Django version whose checks and defaults apply (overrides the pins)
  --select RULES           only these rule ids or families, comma-separated
  --ignore RULES           skip these rule ids or families, comma-separated
  --fail-on LEVEL          error|warning|info|never: exit 1 at or above it (default: warning)
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
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${TOOL_NAME} ${VERSION}\n`);
    return 0;
  }
  const format = values.format ?? "text";
  if (!isFormatName(format)) throw new UsageError(`--format must be one of ${Object.keys(FORMATTERS).join(", ")} (got '${values.format}')`);
  const failOn = (values["fail-on"] ?? "warning") as FailLevel;
  if (!FAIL_LEVELS.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_LEVELS.join(", ")} (got '${values["fail-on"]}')`);

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

  const select = (values.select ?? []).flatMap(splitList);
  const ignore = (values.ignore ?? []).flatMap(splitList);
  const ruleIds = ALL_RULES.map((r) => r.id);
  const unknown = unknownPatterns([...select, ...ignore], ruleIds);
  if (unknown.length > 0) throw new UsageError(`unknown rule or family: ${unknown.join(", ")} (see --list-rules)`);

  const djangoVersionText = values["django-version"];
  const djangoVersion = djangoVersionText === undefined ? undefined : parseDjangoVersionOption(djangoVersionText);
  if (djangoVersionText !== undefined && !djangoVersion) {
    throw new UsageError(`--django-version must be a Django version such as 4.2 or 4.2.11 (got '${djangoVersionText}')`);
  }

  const composeFiles = values.compose;
  for (const file of composeFiles ?? []) {
    if (!isFile(resolve(file))) throw new UsageError(`--compose '${file}' is not a file`);
  }
  const result = lintProject(root, {
    selection: { select, ignore },
    ...(values.settings !== undefined ? { settingsModule: values.settings } : {}),
    ...(composeFiles !== undefined ? { composeFiles } : {}),
    ...(djangoVersion !== undefined ? { djangoVersion } : {}),
  });

  if (values["print-model"]) {
    writeOutput(`${JSON.stringify(printableModel(result.model), null, 2)}\n`, values.output);
    return 0;
  }

  const report: LintReport = {
    root,
    findings: result.findings,
    rules: ALL_RULES,
    cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
    // A file written with --output never gets colour codes.
    color: values.output === undefined && useColor(process.env, process.stdout.isTTY === true),
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
  return result.findings.some((f) => SEVERITY_ORDER[f.severity] >= threshold) ? 1 : 0;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function writeOutput(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new UsageError(`cannot write --output '${output}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

// `django-prod-lint . | head` closes stdout early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

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
