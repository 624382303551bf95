import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/string-boolean";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-default-false", plants: 'EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "False"), nothing sets the variable', rows: [[RULE, SETTINGS, 48, 1]] },
      { fixture: "bad-env-zero", plants: 'USE_X_FORWARDED_HOST = os.getenv(…), .env sets it to "0"', rows: [[RULE, SETTINGS, 47, 1]] },
      {
        fixture: "bad-bool-call",
        plants: 'SESSION_EXPIRE_AT_BROWSER_CLOSE = bool(os.environ.get(…, 0)), .env sets it to "false"',
        rows: [[RULE, SETTINGS, 47, 1]],
      },
    ],
    good: ["good", "good-text-on", "good-bool-int"],
  },
  () => {
    it("gives the text production gets and where it is set", () => {
      const finding = findingOf(RULE, "bad-env-zero");
      expect(finding.message).toContain("USE_X_FORWARDED_HOST holds the env text '0' unparsed");
      expect(finding.message).toContain("DJANGO_USE_X_FORWARDED_HOST=0 in .env (line 3)");
      expect(relatedRows(finding)).toEqual([
        [".env", 3, 1],
        ["docker-compose.yml", 13, 15],
      ]);
    });

    it("the default's text when nothing sets the variable", () => {
      const finding = findingOf(RULE, "bad-default-false");
      expect(finding.message).toContain("EMAIL_USE_TLS holds the env text 'False' unparsed");
      expect(finding.message).toContain("the default 'False' applies");
    });

    it("bool() of the env text: names the text and the .env line", () => {
      const finding = findingOf(RULE, "bad-bool-call");
      expect(finding.message).toContain("SESSION_EXPIRE_AT_BROWSER_CLOSE is bool() of the env text 'false'");
      expect(relatedRows(finding)).toEqual([
        [".env", 3, 1],
        ["docker-compose.yml", 13, 15],
      ]);
    });

    it("the evaluator keeps the text only when the read is bool()'s own argument", () => {
      const reads = (fixture: string) =>
        lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "web")?.django?.settings?.envReads.filter((r) => r.name === "SESSION_EXPIRE_AT_BROWSER_CLOSE").map((r) => r.boolOf) ?? [];
      expect(reads("bad-bool-call")).toEqual(["false"]);
      expect(reads("good-bool-int")).toEqual([undefined]);
    });

    it("a text that reads as on is left alone (its effect is what it says)", () => {
      const value = lintRuleFixture(RULE, "good-text-on").result.model.stacks[0]?.services.find((s) => s.name === "web")?.django?.settings?.values.get("EMAIL_USE_TLS")?.value;
      expect(value).toEqual({ kind: "str", value: "True" });
    });
  },
);
