/**
 * The rule table for django/* rules: like test/rules/rule-table.ts, but every fixture is
 * linted with the Django version its requirements.txt pins (passed as `djangoVersion`, so
 * the tables hold whatever the version detector does), and each bad case also states the
 * Django ids every django/* rule gives on it — the ids `check --deploy` prints.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/engine/finding.js";
import type { LintOptions } from "../../../src/lint.js";
import type { DjangoVersion } from "../../../src/model/django-version.js";
import { fixturePath, type FindingRow } from "../../support/fixtures.js";
import { lintRuleFixture, type LintedFixture } from "../rule-table.js";

export { relatedRows } from "../rule-table.js";

/** The `Django==X.Y.Z` pin of a fixture's requirements.txt; undefined when it pins none (version-assumed's fixture). */
export function pinnedVersion(rule: string, fixture: string): DjangoVersion | undefined {
  const text = readFileSync(fixturePath(`rules/${rule}/${fixture}/requirements.txt`), "utf8");
  const match = /^Django==(\d+)\.(\d+)(?:\.(\d+))?$/m.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] !== undefined ? { patch: Number(match[3]) } : {}) };
}

/** Lints a django/* fixture under its pinned version; `select` limits the rules (a rule id or a family). */
export function lintDjangoFixture(rule: string, fixture: string, select?: string, version?: DjangoVersion): LintedFixture {
  const djangoVersion = version ?? pinnedVersion(rule, fixture);
  const options: LintOptions = djangoVersion ? { djangoVersion } : {};
  if (select !== undefined) options.selection = { select: [select], ignore: [] };
  return lintRuleFixture(rule, fixture, options);
}

/** The finding of `rule` in one of its fixtures (the first, in report order). */
export function djangoFinding(rule: string, fixture: string, index = 0): Finding {
  const finding = lintDjangoFixture(rule, fixture, rule).result.findings[index];
  if (!finding) throw new Error(`fixtures/rules/${rule}/${fixture} has no finding #${index}`);
  return finding;
}

/** Sorted Django ids of every django/* finding. */
export function djangoIds(linted: LintedFixture): string[] {
  return linted.result.findings.flatMap((f) => (f.django ? [f.django] : [])).sort();
}

export interface DjangoBadCase {
  fixture: string;
  plants: string;
  /** Rows of the rule under test. */
  rows: FindingRow[];
  /** Every Django id the django/* rules give on the fixture (sorted): the planted one and nothing else, unless said. */
  ids: string[];
}

/** Every case folder of a rule's fixtures, to make sure the table lists them all. */
export function fixtureCases(rule: string): string[] {
  return readdirSync(fixturePath(`rules/${rule}`), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function describeDjangoRule(rule: string, table: { bad: DjangoBadCase[]; good: string[] }, extra?: () => void): void {
  describe(rule, () => {
    for (const { fixture, plants, rows, ids } of table.bad) {
      it(`${fixture}: ${plants}`, () => {
        const linted = lintDjangoFixture(rule, fixture, rule);
        expect(linted.result.internalErrors).toEqual([]);
        expect(linted.rows).toEqual(rows);
        expect(djangoIds(lintDjangoFixture(rule, fixture, "django"))).toEqual(ids);
      });
    }
    for (const fixture of table.good) {
      it(`${fixture}: no finding from any rule`, () => {
        const linted = lintDjangoFixture(rule, fixture);
        expect(linted.result.internalErrors).toEqual([]);
        expect(linted.rows).toEqual([]);
        expect(linted.result.model.problems).toEqual([]);
        // Silent because the settings were evaluated, not because nothing was found.
        const web = linted.result.model.stacks[0]?.services.find((s) => s.name === "web");
        expect(web?.django?.settings?.values.has("SECRET_KEY")).toBe(true);
      });
    }
    it("the table lists every fixture folder", () => {
      expect([...table.bad.map((c) => c.fixture), ...table.good].sort()).toEqual(fixtureCases(rule));
    });
    extra?.();
  });
}
