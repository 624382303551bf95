import { ALL_RULES } from "../rules/index.js";
import { runRules, type RunResult } from "./engine/runner.js";
import type { RuleSelection } from "./engine/selection.js";
import { buildDeploymentModel, type BuildOptions } from "./model/build-model.js";
import type { DeploymentModel } from "./model/deployment-model.js";

export interface LintOptions extends BuildOptions {
  selection?: RuleSelection;
}

export interface LintResult extends RunResult {
  model: DeploymentModel;
}

/** The library entry point: root → model → rules → findings. */
export function lintProject(rootAbs: string, options: LintOptions = {}): LintResult {
  const model = buildDeploymentModel(rootAbs, options);
  const result = runRules(model, ALL_RULES, options.selection ?? { select: [], ignore: [] });
  return { ...result, model };
}
