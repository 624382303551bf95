/**
 * `--select` / `--ignore`: comma-separated rule ids or family prefixes
 * (`deploy`, `deploy/`, `deploy/static-alias`). Ignore wins over select.
 */
export interface RuleSelection {
  select: string[];
  ignore: string[];
}

function matches(ruleId: string, pattern: string): boolean {
  const p = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  return ruleId === p || ruleId.startsWith(`${p}/`);
}

export function isRuleSelected(ruleId: string, selection: RuleSelection): boolean {
  if (selection.ignore.some((p) => matches(ruleId, p))) return false;
  if (selection.select.length === 0) return true;
  return selection.select.some((p) => matches(ruleId, p));
}

/** Patterns that name no known rule or family: a usage error, so typos do not silently disable checks. */
export function unknownPatterns(patterns: string[], ruleIds: readonly string[]): string[] {
  return patterns.filter((p) => !ruleIds.some((id) => matches(id, p)));
}

export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
