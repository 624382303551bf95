import type { Severity } from "../engine/finding.js";
import { fingerprintFindings } from "../engine/fingerprint.js";
import type { LintReport } from "./report.js";

/** GitLab's Code Quality severities, lowest first. */
export type GitLabSeverity = "info" | "minor" | "major" | "critical" | "blocker";

/**
 * Ours → GitLab's (documented in docs/gitlab.md). `error` (the deployment breaks or is
 * insecure) is `critical`; `blocker` is left to the user's own policy; `warning` is `major`;
 * `info` stays `info`.
 */
export const GITLAB_SEVERITY: Record<Severity, GitLabSeverity> = { error: "critical", warning: "major", info: "info" };

/** One issue of a GitLab Code Quality report (the Code Climate subset GitLab reads). */
export interface GitLabIssue {
  type: "issue";
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitLabSeverity;
  /** Code Climate categories (GitLab ignores them): `Security` for findings that mirror a Django security check. */
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * GitLab Code Quality JSON (`artifacts: reports: codequality`): an array of issues whose
 * `location.path` is relative to the repository root. Findings' files are relative to the
 * lint root, which is the repository root when the job runs `django-prod-lint .`.
 */
export function formatGitlab(report: LintReport): string {
  const fingerprints = fingerprintFindings(report.findings);
  const issues: GitLabIssue[] = report.findings.map((f, i) => ({
    type: "issue",
    description: describe(f.rule, f.message, f.related.map((r) => `${r.range.file}:${r.range.line}: ${r.message}`)),
    check_name: f.rule,
    fingerprint: fingerprints[i] ?? "",
    severity: GITLAB_SEVERITY[f.severity],
    categories: [f.django?.startsWith("security.") === true ? "Security" : "Bug Risk"],
    location: { path: f.range.file, lines: { begin: f.range.line, end: Math.max(f.range.line, f.range.endLine) } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/** The merge request widget shows one line: the rule's message, then where the other end is. */
function describe(rule: string, message: string, related: string[]): string {
  const where = related.length > 0 ? ` (see ${related.join("; ")})` : "";
  return `${rule}: ${message}${where}`;
}
