import type { DeploymentModel } from "../model/deployment-model.js";
import type { ReportedProblem, Severity } from "./finding.js";

export type RuleFamily = "django" | "deploy" | "nginx" | "compose" | "docker" | "uwsgi" | "env" | "git" | "parse" | "lint";

export interface RuleExample {
  /** The file the snippet belongs to, e.g. `config/nginx/default.conf`. */
  file: string;
  bad: string;
  good: string;
}

/**
 * One rule, one file under rules/<family>/. The metadata is the single source of the
 * docs page, `--explain`, `--list-rules` and (later) SARIF rule descriptors.
 */
export interface RuleDefinition {
  /** `family/kebab-name`, stable forever. */
  id: string;
  /** The Django system check id this rule mirrors (e.g. `security.W004`), or null. */
  django: string | null;
  severity: Severity;
  summary: string;
  why: string;
  fix: string;
  examples: RuleExample[];
  check(model: DeploymentModel, report: (problem: ReportedProblem) => void): void;
}

export function defineRule(rule: RuleDefinition): RuleDefinition {
  return rule;
}
