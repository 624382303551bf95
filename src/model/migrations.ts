/**
 * Where a service runs `manage.py makemigrations` and `manage.py migrate`: in its image build (a
 * Dockerfile RUN) or when its container starts (command, entrypoint, the scripts they run). The
 * search is the one collectstatic.ts does (findManageCommandRuns).
 */
import type { LocatedString } from "../core/location.js";
import { findManageCommandRuns, type CollectstaticInput } from "./collectstatic.js";
import type { ServiceMigrations } from "./deployment-model.js";

export function findMigrations(input: Pick<CollectstaticInput, "image" | "invocations">): ServiceMigrations {
  return {
    makemigrations: findManageCommandRuns(input, "makemigrations", writesMigrations),
    migrate: findManageCommandRuns(input, "migrate"),
  };
}

/**
 * `makemigrations --check` / `--dry-run` only compare the models with the migration files (a CI
 * guard); `--help` prints usage. Everything else writes new migration files.
 */
function writesMigrations(argv: readonly LocatedString[]): boolean {
  return !argv.some((w) => /^(--check|--dry-run|--help|-h)$/.test(w.value));
}
