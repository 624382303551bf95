import type { DeploymentModel } from "../model/deployment-model.js";
import { compareFindings, type Finding, type ReportedProblem } from "./finding.js";
import type { RuleDefinition } from "./rule.js";
import { isRuleSelected, type RuleSelection } from "./selection.js";

export interface RunResult {
  findings: Finding[];
  /** Rules that threw: a bug in django-prod-lint, reported on stderr, exit 2. */
  internalErrors: { rule: string; error: string }[];
}

export function runRules(model: DeploymentModel, rules: readonly RuleDefinition[], selection: RuleSelection): RunResult {
  const findings: Finding[] = [];
  const internalErrors: RunResult["internalErrors"] = [];
  const seen = new Map<string, Finding>();
  for (const rule of rules) {
    if (!isRuleSelected(rule.id, selection)) continue;
    const report = (problem: ReportedProblem): void => {
      const finding: Finding = {
        rule: rule.id,
        django: problem.django ?? rule.django,
        severity: problem.severity ?? rule.severity,
        message: problem.message,
        range: problem.range,
        related: problem.related ?? [],
        stacks: problem.stack !== undefined ? [problem.stack] : [],
      };
      // A file shared by two stacks is reported once, naming both stacks.
      const key = `${finding.rule}\0${finding.range.file}\0${finding.range.line}\0${finding.range.column}\0${finding.message}`;
      const earlier = seen.get(key);
      if (earlier) {
        for (const stack of finding.stacks) if (!earlier.stacks.includes(stack)) earlier.stacks.push(stack);
        return;
      }
      seen.set(key, finding);
      findings.push(finding);
    };
    try {
      rule.check(model, report);
    } catch (error) {
      internalErrors.push({ rule: rule.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  findings.sort(compareFindings);
  return { findings, internalErrors };
}
