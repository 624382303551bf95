import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { SourceRange } from "../core/location.js";
import type { Severity } from "../engine/finding.js";
import type { RuleDefinition } from "../engine/rule.js";
import { renderRuleMarkdown, ruleDocPath } from "../docs/rule-doc.js";
import { REPOSITORY_URL, TOOL_NAME, VERSION } from "../version.js";
import { fingerprintFindings } from "../engine/fingerprint.js";
import type { LintReport } from "./report.js";

/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and
 * other SARIF viewers. See docs/sarif.md for the choices made here (security rules and their
 * security-severity, fingerprints, paths).
 */

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";
/** The partialFingerprints key: bump the version when the fingerprint recipe changes. */
export const FINGERPRINT_KEY = "djangoProdLint/v1";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/**
 * Security rules that do not mirror a Django `security.*` check, with their GitHub
 * security-severity (CVSS-like 0.0–10.0: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, else low).
 */
const SECURITY_RULES: Readonly<Record<string, number>> = {
  "compose/inline-secret": 8.0,
  "docker/secret-in-env": 8.0,
  "docker/env-in-image": 8.0,
  "git/env-tracked": 8.0,
  "git/secret-file-tracked": 8.0,
  "git/env-not-ignored": 5.0,
  "django/secret-key-in-source": 7.0,
  "compose/exposed-backing-port": 6.5,
  "compose/exposed-app-port": 6.0,
  "django/credential-in-source": 7.0,
  "nginx/weak-tls": 5.0,
  "compose/runserver": 7.0,
  "nginx/alias-traversal": 7.5,
  "django/cache-location-exposed": 6.5,
};

/** Django `security.*` mirrors are security rules, medium by default; these rank higher. */
const DJANGO_SECURITY_OVERRIDES: Readonly<Record<string, number>> = {
  "django/debug-enabled": 7.5,
  "django/secret-key-weak": 7.0,
  "django/secret-key-fallbacks-weak": 7.0,
};
const DJANGO_SECURITY_DEFAULT = 5.0;

/** The rule's security-severity, or undefined when it is not a security rule. */
export function securitySeverity(rule: Pick<RuleDefinition, "id" | "django">): number | undefined {
  const listed = SECURITY_RULES[rule.id];
  if (listed !== undefined) return listed;
  if (rule.django?.startsWith("security.")) return DJANGO_SECURITY_OVERRIDES[rule.id] ?? DJANGO_SECURITY_DEFAULT;
  return undefined;
}

/** Every rule id named in the security tables (a test checks they all exist). */
export const LISTED_SECURITY_RULE_IDS: readonly string[] = [...Object.keys(SECURITY_RULES), ...Object.keys(DJANGO_SECURITY_OVERRIDES)];

/** `deploy/socket-drift` → `DeploySocketDrift` (SARIF's friendly rule name is a Pascal-case identifier). */
function pascalName(id: string): string {
  const parts = id.split(/[^A-Za-z0-9]+/).filter((part) => part.length > 0);
  // A one-letter word joins the next one (`x-frame` → `Xframe`): the validator's Pascal check wants no two capitals in a row.
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    words.push(part.length === 1 && i + 1 < parts.length ? part + parts[++i]! : part);
  }
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase()).join("");
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function helpUri(rule: RuleDefinition): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleDocPath(rule)}`;
}

function ruleDescriptor(rule: RuleDefinition): object {
  const severity = securitySeverity(rule);
  const family = rule.id.split("/")[0] ?? rule.id;
  const tags = [family, ...(severity !== undefined ? ["security"] : []), ...(rule.django ? [`django:${rule.django}`] : [])];
  const text = [sentence(rule.summary), "", `Why: ${rule.why.trim()}`, "", `Fix: ${rule.fix.trim()}`].join("\n");
  return {
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: { text: sentence(rule.summary) },
    fullDescription: { text: sentence(rule.why) },
    help: { text, markdown: renderRuleMarkdown(rule) },
    helpUri: helpUri(rule),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags,
      ...(severity !== undefined ? { "security-severity": severity.toFixed(1) } : {}),
    },
  };
}

/** A descriptor for a rule id that has no metadata in the report (tests that pass only findings). */
function bareDescriptor(id: string, severity: Severity): object {
  return {
    id,
    name: pascalName(id),
    shortDescription: { text: `${TOOL_NAME} rule ${id}.` },
    fullDescription: { text: `${TOOL_NAME} rule ${id}.` },
    helpUri: `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`,
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags: [id.split("/")[0] ?? id] },
  };
}

/**
 * Where artifact URIs are relative to: the working directory (the checkout in CI, report.cwd)
 * when the lint root is inside it, so a project linted in a subfolder still gets repository-relative
 * paths; otherwise the lint root.
 */
function sourceRoot(report: LintReport): { base: string; prefix: string } {
  const root = resolve(report.root);
  if (report.cwd !== undefined) {
    const cwd = resolve(report.cwd);
    const rel = relative(cwd, root);
    if (rel === "") return { base: cwd, prefix: "" };
    if (!rel.startsWith("..") && !isAbsolute(rel)) return { base: cwd, prefix: `${rel.split(sep).join("/")}/` };
  }
  return { base: root, prefix: "" };
}

function uriOf(file: string, prefix: string): string {
  return `${prefix}${file}`
    .split("/")
    // Percent-encode what a path segment cannot hold (spaces, `%`, `?`, `#`, and `:` which would read as a scheme); keep `+`, `@`, `=`.
    .map((segment) => encodeURI(segment).replace(/[?#:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

function region(range: SourceRange): object {
  const validEnd = range.endLine > range.line || (range.endLine === range.line && range.endColumn >= range.column);
  return validEnd
    ? { startLine: range.line, startColumn: range.column, endLine: range.endLine, endColumn: range.endColumn }
    : { startLine: range.line, startColumn: range.column };
}

function physicalLocation(range: SourceRange, prefix: string): object {
  return { artifactLocation: { uri: uriOf(range.file, prefix), uriBaseId: SRCROOT }, region: region(range) };
}

export function formatSarif(report: LintReport): string {
  const { base, prefix } = sourceRoot(report);
  const descriptors: object[] = [];
  const ruleIndex = new Map<string, number>();
  for (const rule of report.rules ?? []) {
    if (ruleIndex.has(rule.id)) continue;
    ruleIndex.set(rule.id, descriptors.length);
    descriptors.push(ruleDescriptor(rule));
  }
  for (const finding of report.findings) {
    if (ruleIndex.has(finding.rule)) continue;
    ruleIndex.set(finding.rule, descriptors.length);
    descriptors.push(bareDescriptor(finding.rule, finding.severity));
  }
  // One recipe for every format (src/report/fingerprint.ts): rule id, file, message without line numbers, occurrence counter.
  const prints = fingerprintFindings(report.findings);
  const results = report.findings.map((finding, i) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule),
    level: LEVEL[finding.severity],
    message: { text: sentence(finding.message) },
    locations: [{ physicalLocation: physicalLocation(finding.range, prefix) }],
    ...(finding.related.length > 0
      ? {
          relatedLocations: finding.related.map((related, id) => ({
            id,
            physicalLocation: physicalLocation(related.range, prefix),
            message: { text: sentence(related.message) },
          })),
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
    ...(finding.stacks.length > 0 || finding.django
      ? { properties: { ...(finding.django ? { django: finding.django } : {}), ...(finding.stacks.length > 0 ? { stacks: finding.stacks } : {}) } }
      : {}),
  }));
  const baseUri = pathToFileURL(base).href;
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri.endsWith("/") ? baseUri : `${baseUri}/` } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
