/**
 * The table every rule test is written as: fixture → exact [rule, file, line, column] rows.
 * Bad fixtures are linted with only the rule under test selected (other rules, present and
 * future, must not make a rule's table fail); good fixtures are linted with every rule and
 * must give no finding at all.
 */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import type { LintOptions, LintResult } from "../../src/lint.js";
import { lintFixture, type FindingRow } from "../support/fixtures.js";

export interface BadCase {
  /** Folder under fixtures/rules/<rule>/, e.g. "bad-trailing-slash". */
  fixture: string;
  /** What the case plants, for the test name. */
  plants: string;
  rows: FindingRow[];
}

export interface LintedFixture {
  dir: string;
  result: LintResult;
  rows: FindingRow[];
}

const materialized: string[] = [];
afterAll(() => {
  for (const dir of materialized.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lints fixtures/rules/<rule>/<fixture> from a fresh git checkout (see scripts/materialize-fixture.mjs). */
export function lintRuleFixture(rule: string, fixture: string, options: LintOptions = {}): LintedFixture {
  const linted = lintFixture(`rules/${rule}/${fixture}`, options);
  materialized.push(linted.dir);
  return linted;
}

export function only(rule: string): LintOptions {
  return { selection: { select: [rule], ignore: [] } };
}

/** The finding of `rule` in a bad fixture (the first one, in report order). */
export function findingOf(rule: string, fixture: string, index = 0): Finding {
  const finding = lintRuleFixture(rule, fixture, only(rule)).result.findings[index];
  if (!finding) throw new Error(`fixtures/rules/${rule}/${fixture} has no finding #${index}`);
  return finding;
}

/** [file, line, column] of each related location, in order. */
export function relatedRows(finding: Finding): [string, number, number][] {
  return finding.related.map((r) => [r.range.file, r.range.line, r.range.column]);
}

/** One describe block per rule: every bad case gives exactly its rows, every good fixture none. */
export function describeRuleTable(rule: string, table: { bad: BadCase[]; good: string[] }, extra?: () => void): void {
  describe(rule, () => {
    for (const { fixture, plants, rows } of table.bad) {
      it(`${fixture}: ${plants}`, () => {
        const { result, rows: actual } = lintRuleFixture(rule, fixture, only(rule));
        expect(result.internalErrors).toEqual([]);
        expect(actual).toEqual(rows);
      });
    }
    for (const fixture of table.good) {
      it(`${fixture}: no finding from any rule`, () => {
        const { result, rows } = lintRuleFixture(rule, fixture);
        expect(result.internalErrors).toEqual([]);
        expect(rows).toEqual([]);
        expect(result.model.problems).toEqual([]);
      });
    }
    extra?.();
  });
}
