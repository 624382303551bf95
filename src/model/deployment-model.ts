import type { ParseProblem } from "../core/problems.js";

/**
 * The one linked picture of a deployment that every rule reads. Loaders fill it,
 * the model builder links it; rules never read files.
 */
export interface DeploymentModel {
  /** Absolute path of the lint root. */
  root: string;
  /** Every file problem found while loading (unreadable, broken syntax, include loops...). */
  problems: ParseProblem[];
}
