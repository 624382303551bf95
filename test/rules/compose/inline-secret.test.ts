import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture } from "../rule-table.js";

const RULE = "compose/inline-secret";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-password", plants: "db's POSTGRES_PASSWORD is written literally (map form)", rows: [[RULE, "docker-compose.yml", 7, 26]] },
      { fixture: "bad-url-list", plants: "web's DATABASE_URL carries a literal password (list form)", rows: [[RULE, "docker-compose.yml", 16, 22]] },
      { fixture: "bad-placeholder", plants: "web's DJANGO_SECRET_KEY is the placeholder `changeme`", rows: [[RULE, "docker-compose.yml", 16, 26]] },
    ],
    good: ["good", "good-interpolated"],
  },
  () => {
    it("names the service and variable, masks the value and says how to fix it", () => {
      const finding = findingOf(RULE, "bad-password");
      expect(finding.message).toContain("Service 'db' sets POSTGRES_PASSWORD to a literal secret (s3…(18 chars))");
      expect(finding.message).toContain("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}");
      expect(finding.message).toContain(".env");
      expect(finding.message).not.toContain("s3cret-db-passw0rd");
      expect(finding.related).toEqual([]);
      expect(finding.range).toMatchObject({ line: 7, column: 26, endLine: 7, endColumn: 44 });
    });

    it("bad-url-list: masks only the URL's password", () => {
      const finding = findingOf(RULE, "bad-url-list");
      expect(finding.message).toContain("DATABASE_URL to a URL with a password (postgres://bookshelf:s3…(18 chars)@db:5432/bookshelf)");
      expect(finding.message).not.toContain("s3cret-db-passw0rd");
      expect(finding.range).toMatchObject({ line: 16, column: 22, endColumn: 79 });
    });

    it("bad-placeholder: a placeholder is reported too (production would run with it)", () => {
      const finding = findingOf(RULE, "bad-placeholder");
      expect(finding.message).toContain("Service 'web' sets DJANGO_SECRET_KEY to a literal secret (…(8 chars))");
      expect(finding.message).not.toContain("changeme");
    });

    it("good-interpolated: values from variables are marked, the literal dev stack is not linted", () => {
      const { model } = lintRuleFixture(RULE, "good-interpolated").result;
      const prod = model.stacks.find((s) => s.id === "docker-compose.yml");
      const env = prod?.services.find((s) => s.name === "web")?.compose.environment;
      expect(env?.get("DATABASE_URL")?.fromVariables).toBe(true);
      expect(env?.get("DJANGO_SECRET_KEY")?.fromVariables).toBe(true);
      expect(env?.get("DJANGO_SETTINGS_MODULE")?.fromVariables).toBeUndefined();
      const dev = model.stacks.find((s) => s.id === "docker-compose.local.yml");
      expect(dev?.purpose.kind).toBe("development");
      expect(dev?.services.find((s) => s.name === "db")?.compose.environment.get("POSTGRES_PASSWORD")?.value).toBe("local-dev-password");
    });
  },
);
