import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "git/env-not-ignored";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "untracked .env, .gitignore does not name it", rows: [[RULE, ".env", 1, 1]] },
      { fixture: "bad-anchored-pattern", plants: "/.env ignores only the root .env, not deploy/.env", rows: [[RULE, "deploy/.env", 1, 1]] },
    ],
    good: ["good", "good-env-glob"],
  },
  () => {
    it("names the file and what to add to .gitignore", () => {
      const finding = findingOf(RULE, "bad");
      expect(finding.message).toBe(".env is not git-ignored and holds DJANGO_SECRET_KEY and POSTGRES_PASSWORD: 'git add .' would commit it; add it to .gitignore");
      expect(finding.message).toContain(".gitignore");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 13, 15]]);
      expect(finding.related[0]?.message).toBe("service 'web' reads it (env_file)");
    });

    it("relates every service that reads the file", () => {
      const finding = findingOf(RULE, "bad-anchored-pattern");
      expect(finding.message).toContain("deploy/.env");
      expect(relatedRows(finding)).toEqual([
        ["docker-compose.yml", 7, 15],
        ["docker-compose.yml", 13, 15],
      ]);
      expect(finding.related.map((r) => r.message)).toEqual(["service 'db' reads it (env_file)", "service 'web' reads it (env_file)"]);
    });

    it("good-env-glob: .env.* ignores .env.production, !.env.example keeps the template committed", () => {
      const { model } = lintRuleFixture(RULE, "good-env-glob").result;
      expect(model.git.ignore.check(".env.production").ignored).toBe(true);
      expect(model.git.ignore.check(".env.example").ignored).toBe(false);
      expect(model.git.index?.tracked.has(".env.production")).toBe(false);
      expect(model.git.index?.tracked.has(".env.example")).toBe(true);
      expect(model.envFiles.find((e) => e.file === ".env.production")?.usedBy.map((u) => u.service)).toEqual(["db", "web"]);
    });
  },
);
