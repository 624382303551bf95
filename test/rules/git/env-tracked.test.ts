import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "git/env-tracked";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: ".env committed, .gitignore does not name it", rows: [[RULE, ".env", 1, 1]] },
      {
        fixture: "bad-ignored-after-commit",
        plants: ".env in .gitignore but committed before it was (git add -f)",
        rows: [[RULE, ".env", 1, 1]],
      },
      {
        fixture: "bad-envs-folder",
        plants: "cookiecutter-style .envs/.production/ files committed",
        rows: [
          [RULE, ".envs/.production/.django", 1, 1],
          [RULE, ".envs/.production/.postgres", 1, 1],
        ],
      },
    ],
    good: ["good", "good-no-secrets"],
  },
  () => {
    it("names the file, the git command and the service that reads it", () => {
      const finding = findingOf(RULE, "bad");
      expect(finding.message).toContain(".env is tracked by git");
      expect(finding.message).toContain("git rm --cached .env");
      expect(finding.message).not.toContain("in .gitignore");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 13, 15]]);
      expect(finding.related[0]?.message).toBe("service 'web' reads it (env_file)");
    });

    it("says that .gitignore does not untrack a committed file", () => {
      const finding = findingOf(RULE, "bad-ignored-after-commit");
      expect(finding.message).toContain("it is in .gitignore, but that does not untrack a committed file");
    });

    it("relates every service that reads a committed env file", () => {
      const postgres = findingOf(RULE, "bad-envs-folder", 1);
      expect(postgres.message).toContain("git rm --cached .envs/.production/.postgres");
      expect(relatedRows(postgres)).toEqual([
        ["docker-compose.yml", 4, 15],
        ["docker-compose.yml", 12, 9],
      ]);
      expect(postgres.related.map((r) => r.message)).toEqual(["service 'db' reads it (env_file)", "service 'web' reads it (env_file)"]);
    });

    it("good-no-secrets: a committed env file of plain build settings is tracked, and that is fine", () => {
      const { model } = lintRuleFixture(RULE, "good-no-secrets").result;
      expect(model.git.index?.tracked.has("versions.env")).toBe(true);
      expect(model.envFiles.find((e) => e.file === "versions.env")?.entries.map((e) => e.name)).toEqual(["COMPOSE_PROJECT_NAME", "APP_VERSION"]);
    });

    it("good: .env exists, is git-ignored and untracked; the committed .env.example is a template", () => {
      const { model } = lintRuleFixture(RULE, "good").result;
      expect(model.envFiles.map((e) => [e.file, e.exists, e.isTemplate])).toEqual([
        [".env", true, false],
        [".env.example", true, true],
      ]);
      expect(model.git.index?.tracked.has(".env")).toBe(false);
      expect(model.git.index?.tracked.has(".env.example")).toBe(true);
    });
  },
);
