import { ALL_RULES } from "../rules/index.js";
import { compareFindings, type Finding } from "./engine/finding.js";
import { runRules, type RunResult } from "./engine/runner.js";
import { isRuleSelected, type RuleSelection } from "./engine/selection.js";
import { applySuppressions, UNUSED_SUPPRESSION_RULE } from "./engine/suppressions.js";
import { buildDeploymentModel, type BuildOptions } from "./model/build-model.js";
import type { DeploymentModel } from "./model/deployment-model.js";

export interface LintOptions extends BuildOptions {
  selection?: RuleSelection;
}

export interface LintResult extends RunResult {
  model: DeploymentModel;
  /** Findings an inline `django-prod-lint: disable…` directive suppressed (not in `findings`). */
  suppressed: Finding[];
}

/** The library entry point: root → model → rules → inline suppressions → findings. */
export function lintProject(rootAbs: string, options: LintOptions = {}): LintResult {
  const model = buildDeploymentModel(rootAbs, options);
  const selection = options.selection ?? { select: [], ignore: [] };
  const result = runRules(model, ALL_RULES, selection);
  const { findings, suppressed } = suppressInline(model, result, selection);
  return { ...result, findings, suppressed, model };
}

const TAG = "django-prod-lint:";

/** Applies the directives of the files the lint read (and of files findings point at) to the findings. */
function suppressInline(model: DeploymentModel, result: RunResult, selection: RuleSelection): { findings: Finding[]; suppressed: Finding[] } {
  const texts = model.sourceTexts();
  const scanned = new Set(texts.map((t) => t.file));
  for (const file of new Set(result.findings.map((f) => f.range.file))) {
    if (scanned.has(file)) continue;
    const text = model.sourceText(file);
    if (text !== undefined) texts.push({ file, text });
  }
  const withDirectives = texts.filter((t) => t.text.includes(TAG));
  if (withDirectives.length === 0) return { findings: result.findings, suppressed: [] };

  const failed = new Set(result.internalErrors.map((e) => e.rule));
  const outcome = applySuppressions(result.findings, withDirectives, {
    ruleIds: ALL_RULES.map((r) => r.id),
    // A rule deselected by --select / --ignore, or one that crashed, may well have used the directive.
    ran: (id) => id === UNUSED_SUPPRESSION_RULE || (isRuleSelected(id, selection) && !failed.has(id)),
  });
  const rule = ALL_RULES.find((r) => r.id === UNUSED_SUPPRESSION_RULE);
  const findings = [...outcome.kept];
  if (rule && isRuleSelected(rule.id, selection)) {
    for (const problem of outcome.problems) {
      findings.push({ rule: rule.id, django: rule.django, severity: rule.severity, message: problem.message, range: problem.range, related: [], stacks: [] });
    }
  }
  findings.sort(compareFindings);
  return { findings, suppressed: outcome.suppressed };
}
