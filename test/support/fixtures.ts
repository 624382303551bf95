import { fileURLToPath } from "node:url";
import { lintProject, type LintOptions } from "../../src/lint.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url));
}

/** [rule, file, line, column] rows: the table every exact-finding test compares against. */
export type FindingRow = [string, string, number, number];

/** Lints a fixture project from a fresh temporary git checkout, as a user's clone looks. */
export function lintFixture(relative: string, options: LintOptions & { git?: boolean } = {}) {
  const dir = (materializeFixture as (d: string, o?: { git?: boolean }) => string)(fixturePath(relative), { git: options.git ?? true });
  const result = lintProject(dir, options);
  const rows: FindingRow[] = result.findings.map((f) => [f.rule, f.range.file, f.range.line, f.range.column]);
  return { dir, result, rows };
}
