import { discoverFiles } from "../discover/discover.js";
import type { DeploymentModel } from "./deployment-model.js";

export interface BuildOptions {
  /** `--settings`: the production settings module, overriding what the files say. */
  settingsModule?: string;
  /** `--compose FILE` (repeatable): the compose files of the one stack to lint, as `docker compose -f`. */
  composeFiles?: string[];
}

export function buildDeploymentModel(rootAbs: string, _options: BuildOptions = {}): DeploymentModel {
  const discovered = discoverFiles(rootAbs);
  return { root: rootAbs, problems: [...discovered.problems] };
}
