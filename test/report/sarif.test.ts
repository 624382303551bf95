import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../../rules/index.js";
import type { Finding } from "../../src/engine/finding.js";
import { FINGERPRINT_KEY, formatSarif, LISTED_SECURITY_RULE_IDS, securitySeverity } from "../../src/report/sarif.js";
import type { LintReport } from "../../src/report/report.js";
import { VERSION } from "../../src/version.js";
import { runCli } from "../support/cli.js";
import { lintFixture } from "../support/fixtures.js";
import { toolAvailable } from "../support/tools.js";

interface SarifRegion { startLine: number; startColumn?: number; endLine?: number; endColumn?: number }
interface SarifLocation { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: SarifRegion } }
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { id: number; message: { text: string } })[];
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; "security-severity"?: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } }; originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] }[];
}

function sarifOf(report: LintReport): SarifLog {
  return JSON.parse(formatSarif(report)) as SarifLog;
}

function lintedReport(fixture: string, git = true): { report: LintReport; dir: string } {
  const { dir, result } = lintFixture(fixture, { git });
  return { dir, report: { root: dir, findings: result.findings, rules: ALL_RULES, cwd: dir } };
}

function finding(overrides: Partial<Finding> & { line: number }): Finding {
  const { line, ...rest } = overrides;
  return {
    rule: "deploy/socket-drift",
    django: null,
    severity: "error",
    message: `nginx proxies to web:8000 (deploy/nginx/bookshelf.conf:${line}:5) but gunicorn listens on 0.0.0.0:8001 (line ${line + 3}).`,
    range: { file: "deploy/nginx/bookshelf.conf", line, column: 5, endLine: line, endColumn: 20 },
    related: [{ range: { file: "docker-compose.yml", line: line + 10, column: 3, endLine: line + 10, endColumn: 9 }, message: "gunicorn binds here" }],
    stacks: [],
    ...rest,
  };
}

function fingerprintsOf(findings: Finding[]): string[] {
  return sarifOf({ root: "/srv/app", findings }).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
}

describe("SARIF report", () => {
  it("describes the tool, every rule and each finding with locations GitHub can place", () => {
    const { report } = lintedReport("projects/seed-broken");
    expect(report.findings.length).toBeGreaterThan(0);
    const sarif = sarifOf(report);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: "django-prod-lint", version: VERSION, semanticVersion: VERSION });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    expect(run.originalUriBaseIds["%SRCROOT%"]!.uri).toMatch(/^file:\/\/\/.*\/$/);

    const debug = driver.rules.find((r) => r.id === "django/debug-enabled")!;
    expect(debug.name).toBe("DjangoDebugEnabled");
    expect(debug.helpUri).toMatch(/\/docs\/rules\/django\/debug-enabled\.md$/);
    expect(debug.help.markdown).toContain("## How to fix it");
    expect(debug.help.text).toContain("Fix: ");
    expect(debug.defaultConfiguration.level).toBe("warning");
    expect(debug.properties.tags).toEqual(expect.arrayContaining(["django", "security"]));
    expect(debug.properties["security-severity"]).toBe("7.5");
    const socket = driver.rules.find((r) => r.id === "deploy/socket-drift")!;
    expect(socket.properties.tags).toEqual(["deploy"]);
    expect(socket.properties["security-severity"]).toBeUndefined();
    expect(driver.rules.find((r) => r.id === "django/version-assumed")!.defaultConfiguration.level).toBe("note");

    for (const [i, result] of run.results.entries()) {
      const f = report.findings[i]!;
      expect(driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.ruleId).toBe(f.rule);
      expect(result.level).toBe({ error: "error", warning: "warning", info: "note" }[f.severity]);
      expect(result.message.text.startsWith(f.message.trim())).toBe(true);
      const loc = result.locations[0]!.physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: f.range.file, uriBaseId: "%SRCROOT%" });
      expect(loc.region).toEqual({ startLine: f.range.line, startColumn: f.range.column, endLine: f.range.endLine, endColumn: f.range.endColumn });
      expect(result.relatedLocations?.length ?? 0).toBe(f.related.length);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
    const withRelated = run.results.find((r) => (r.relatedLocations?.length ?? 0) > 0)!;
    expect(withRelated.relatedLocations![0]).toMatchObject({ id: 0, physicalLocation: { artifactLocation: { uriBaseId: "%SRCROOT%" } } });
    expect(withRelated.relatedLocations![0]!.message.text.length).toBeGreaterThan(0);
    expect(new Set(run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).size).toBe(run.results.length);
  });

  it("makes paths relative to the working directory when the project is a subfolder of it", () => {
    const report: LintReport = { root: "/ws/repo/deploy area", cwd: "/ws/repo", findings: [finding({ line: 3 })] };
    const odd = sarifOf({ root: "/ws/a+b", cwd: "/ws", findings: [finding({ line: 3, range: { file: "c:d/50%#1?.conf", line: 3, column: 1, endLine: 3, endColumn: 2 } })] });
    expect(odd.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("a+b/c%3Ad/50%25%231%3F.conf");
    const run = sarifOf(report).runs[0]!;
    expect(run.originalUriBaseIds["%SRCROOT%"]!.uri).toBe("file:///ws/repo/");
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("deploy%20area/deploy/nginx/bookshelf.conf");
    expect(run.results[0]!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe("deploy%20area/docker-compose.yml");
    // A root outside the working directory: relative to the root itself.
    const outside = sarifOf({ ...report, cwd: "/elsewhere" }).runs[0]!;
    expect(outside.originalUriBaseIds["%SRCROOT%"]!.uri).toBe("file:///ws/repo/deploy%20area/");
    expect(outside.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("deploy/nginx/bookshelf.conf");
    // Findings of rules without metadata still get a descriptor that ruleIndex points at.
    expect(run.tool.driver.rules[run.results[0]!.ruleIndex]!.id).toBe("deploy/socket-drift");
  });

  it("keeps fingerprints when unrelated edits shift lines, and tells different findings apart", () => {
    const before = fingerprintsOf([finding({ line: 12 })]);
    const after = fingerprintsOf([finding({ line: 40 })]);
    expect(after).toEqual(before);
    // Another rule, file or message: another fingerprint.
    expect(fingerprintsOf([finding({ line: 12, rule: "deploy/static-alias" })])).not.toEqual(before);
    expect(fingerprintsOf([finding({ line: 12, message: "nginx proxies to web:9000 (deploy/nginx/bookshelf.conf:12:5)." })])).not.toEqual(before);
    expect(fingerprintsOf([finding({ line: 12, range: { file: "deploy/nginx/other.conf", line: 12, column: 5, endLine: 12, endColumn: 20 } })])).not.toEqual(before);
    // Two identical messages in one file: the occurrence counter separates them, and both survive a shift.
    const twice = fingerprintsOf([finding({ line: 12, message: "same" }), finding({ line: 30, message: "same" })]);
    expect(new Set(twice).size).toBe(2);
    expect(fingerprintsOf([finding({ line: 20, message: "same" }), finding({ line: 52, message: "same" })])).toEqual(twice);
  });

  it("names only existing rules as security rules, and every Django security.* mirror is one", () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const id of LISTED_SECURITY_RULE_IDS) expect(ids.has(id), id).toBe(true);
    for (const rule of ALL_RULES) {
      const severity = securitySeverity(rule);
      if (rule.django?.startsWith("security.")) expect(severity, rule.id).toBeDefined();
      if (severity !== undefined) expect(severity).toBeGreaterThan(0);
    }
    expect(securitySeverity({ id: "deploy/db-port", django: null })).toBeUndefined();
  });

  it("is what `--format sarif` prints, with paths relative to the working directory", () => {
    const { dir } = lintedReport("rules/deploy/socket-drift/bad-wrong-port");
    const run = runCli([basename(dir), "--format", "sarif"], dirname(dir));
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.stdout) as SarifLog;
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri.startsWith(`${basename(dir)}/`)).toBe(true);
  });
});

/** The platform binary itself: the npm wrapper runs it through a shell, which would split "Sarif;Gh". */
const BINARY = ((): string => {
  try {
    return createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
  } catch {
    return "sarif-multitool";
  }
})();
// The validator is a self-contained .NET program: invariant globalization spares it libicu on a bare CI image.
process.env.DOTNET_SYSTEM_GLOBALIZATION_INVARIANT = "1";
const multitool = toolAvailable("sarif-multitool", [BINARY, "--version"]);

/** Notes the validator may give (never errors or warnings), each a deliberate choice documented in docs/sarif.md. */
const ACCEPTED_NOTES = new Set([
  "SARIF2002", // message strings with arguments: our messages are plain sentences
  "SARIF2003", // versionControlProvenance: the formatter does not run git
  "SARIF2006", // helpUri reachable over HTTP: checked with the network, not here
  "SARIF2009", // hierarchical rule ids (`deploy/socket-drift`): our ids are stable and documented
  "SARIF2010", // code snippets: never embedded, source lines may hold secrets
  "SARIF2011", // context regions: same
]);

interface ValidatorResult { file: string; ruleId: string; level: string; text: string }

/**
 * Microsoft's validator with its SARIF rules and its GitHub ingestion rules (GH1xxx), notes
 * included, over several logs at once (one .NET start); every result, by file name.
 */
function validate(logs: Record<string, string>): ValidatorResult[] {
  const dir = mkdtempSync(join(tmpdir(), "dpl-sarif-"));
  const inputs = Object.entries(logs).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  const output = join(dir, "validation.sarif.out");
  const run = spawnSync(BINARY, ["validate", ...inputs, "--output", output, "--log", "ForceOverwrite", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note"], { cwd: dir, encoding: "utf8" });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toContain(`${inputs.length} files scanned`);
  const log = JSON.parse(readFileSync(output, "utf8")) as {
    runs: { results?: { ruleId: string; level?: string; message: { id?: string; text?: string; arguments?: string[] }; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
  };
  return (log.runs[0]?.results ?? []).map((r) => ({
    file: basename(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ""),
    ruleId: r.ruleId,
    level: r.level ?? "warning",
    text: r.message.text ?? `${r.message.id} ${JSON.stringify(r.message.arguments)}`,
  }));
}

const VALIDATED_FIXTURES = [
  "projects/seed-broken",
  "projects/seed-skeleton",
  "rules/deploy/socket-drift/bad-socket-moved",
  "rules/compose/inline-secret/bad-password",
  "rules/nginx/alias-traversal/bad-nested",
  "rules/deploy/db-credentials-drift/bad-password-env-files",
  "rules/django/x-frame-options-not-deny/good",
];

describe.skipIf(!multitool)("SARIF report in Microsoft's validator (sarif-multitool validate)", () => {
  let results: ValidatorResult[] | undefined;
  const names = VALIDATED_FIXTURES.map((fixture) => `${fixture.replaceAll("/", "_")}.sarif`);
  function validated(): ValidatorResult[] {
    if (results) return results;
    const logs: Record<string, string> = {
      // A log that breaks GitHub's and the SARIF rules: shows the run can fail.
      "broken.sarif": JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [] }] }),
    };
    VALIDATED_FIXTURES.forEach((fixture, i) => {
      logs[names[i]!] = formatSarif(lintedReport(fixture).report);
    });
    results = validate(logs);
    return results;
  }

  it("reports problems in a broken log (the validator can fail)", () => {
    const broken = validated().filter((r) => r.file === "broken.sarif");
    expect(broken.map((p) => [p.ruleId, p.level])).toEqual(expect.arrayContaining([["GH1018", "error"], ["SARIF2005", "warning"]]));
  });

  it("gives zero errors and zero warnings (and only accepted notes) on seed-broken, seed-skeleton and rule fixtures", () => {
    const ours = validated().filter((r) => r.file !== "broken.sarif");
    expect(ours.filter((r) => r.level !== "note")).toEqual([]);
    expect(ours.filter((r) => !ACCEPTED_NOTES.has(r.ruleId))).toEqual([]);
    // Every log was read: the seed's findings draw per-result notes (SARIF2010) from the validator.
    expect(new Set(ours.filter((r) => r.ruleId === "SARIF2010").map((r) => r.file))).toContain(names[0]);
  });
});
