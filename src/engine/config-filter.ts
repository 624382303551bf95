import picomatch from "picomatch";
import type { Finding, Severity } from "./finding.js";
import { isRuleSelected } from "./selection.js";

/** A configured severity; `off` rules are not run at all (see `rulesTurnedOff`). */
export type SeverityOverride = Severity | "off";

/** Findings whose primary file matches `glob` are dropped for these rules (`*` = every rule). */
export interface PerFileIgnore {
  glob: string;
  rules: string[];
}

/** What the configuration changes about findings after the rules ran. */
export interface FindingPolicy {
  /** Rule id or family → severity; the most specific key wins. */
  severity: Record<string, SeverityOverride>;
  perFileIgnores: PerFileIgnore[];
}

export const EMPTY_POLICY: FindingPolicy = { severity: {}, perFileIgnores: [] };

// One pattern, matched exactly as --select matches it.
const ruleMatches = (ruleId: string, pattern: string): boolean => isRuleSelected(ruleId, { select: [pattern], ignore: [] });

/** The override that applies to a rule: a rule id beats its family (the longer pattern is the more specific). */
export function severityOverride(ruleId: string, severity: FindingPolicy["severity"]): SeverityOverride | undefined {
  let best: { length: number; value: SeverityOverride } | undefined;
  for (const [pattern, value] of Object.entries(severity)) {
    const length = pattern.replace(/\/$/, "").length;
    if (ruleMatches(ruleId, pattern) && (!best || length > best.length)) best = { length, value };
  }
  return best?.value;
}

/** Rules whose effective severity is `off`: the CLI adds them to the ignore list so they never run. */
export function rulesTurnedOff(ruleIds: readonly string[], severity: FindingPolicy["severity"]): string[] {
  return ruleIds.filter((id) => severityOverride(id, severity) === "off");
}

/**
 * Matches a repository path (forward slashes, relative to the root) like .gitignore does: a glob matches the file
 * or one of its folders; without a slash it matches a file or folder name at any depth; `dir/` only folders.
 */
export function fileGlobMatcher(glob: string): (file: string) => boolean {
  let pattern = glob.replace(/^\.\//, "").replace(/^\//, "");
  const foldersOnly = pattern.endsWith("/");
  if (foldersOnly) pattern = pattern.replace(/\/+$/, "");
  const anchored = pattern.includes("/");
  const isMatch = picomatch(pattern, { dot: true });
  return (file) => {
    const parts = file.split("/");
    const last = foldersOnly ? parts.length - 1 : parts.length;
    for (let i = 0; i < last; i++) {
      if (isMatch(anchored ? parts.slice(0, i + 1).join("/") : parts[i]!)) return true;
    }
    return false;
  };
}

/** Applies per-file ignores and severity overrides; pure, keeps the findings' order. */
export function applyFindingPolicy(findings: readonly Finding[], policy: FindingPolicy): Finding[] {
  const ignores = policy.perFileIgnores.map((entry) => ({ matches: fileGlobMatcher(entry.glob), rules: entry.rules }));
  const out: Finding[] = [];
  for (const finding of findings) {
    const dropped = ignores.some(
      (entry) => entry.matches(finding.range.file) && entry.rules.some((p) => p === "*" || ruleMatches(finding.rule, p)),
    );
    if (dropped) continue;
    const override = severityOverride(finding.rule, policy.severity);
    out.push(override === undefined || override === "off" ? finding : { ...finding, severity: override });
  }
  return out;
}
