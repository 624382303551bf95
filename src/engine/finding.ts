import type { SourceRange } from "../core/location.js";

export type Severity = "error" | "warning" | "info";

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The other end of a cross-file problem (e.g. the STATIC_ROOT assignment for an nginx alias). */
export interface RelatedLocation {
  range: SourceRange;
  message: string;
}

/** What a rule reports: the engine adds the rule id, the Django id and the severity. */
export interface ReportedProblem {
  message: string;
  range: SourceRange;
  related?: RelatedLocation[];
  /** Overrides the rule's Django check id (rules that mirror several ids). */
  django?: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  /** The compose stack (Stack.id) the finding was found in; omit for repository-wide findings. */
  stack?: string;
}

/** One finding as every formatter sees it (the JSON report contract, before flattening). */
export interface Finding {
  rule: string;
  django: string | null;
  severity: Severity;
  message: string;
  range: SourceRange;
  related: RelatedLocation[];
  /** The stacks (Stack.id) the finding was found in: one file shared by two stacks is reported once. Empty for repository-wide findings. */
  stacks: string[];
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.file.localeCompare(b.range.file) ||
    a.range.line - b.range.line ||
    a.range.column - b.range.column ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}
