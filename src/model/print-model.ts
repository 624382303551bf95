import type { DeploymentModel } from "./deployment-model.js";

/** The model as plain JSON for `--print-model`: Maps become objects, secrets are masked. */
export function printableModel(model: DeploymentModel): unknown {
  return JSON.parse(
    JSON.stringify(model, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value)),
  );
}
