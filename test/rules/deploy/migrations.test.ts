import { expect, it } from "vitest";
import type { CollectstaticRun } from "../../../src/model/deployment-model.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/migrations";

/** [when, file, line, column] of the web service's makemigrations and migrate runs in a fixture. */
function runs(fixture: string): { makemigrations: [string, string, number, number][]; migrate: [string, string, number, number][] } {
  const web = lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "web");
  if (!web) throw new Error(`${fixture}: no service 'web'`);
  const rows = (list: CollectstaticRun[]): [string, string, number, number][] => list.map((r) => [r.when, r.range.file, r.range.line, r.range.column]);
  return { makemigrations: rows(web.migrations.makemigrations), migrate: rows(web.migrations.migrate) };
}

describeRuleTable(
  RULE,
  {
    bad: [
      {
        fixture: "bad-compose-command",
        plants: "compose command runs makemigrations before migrate",
        rows: [[RULE, "docker-compose.yml", 16, 38]],
      },
      {
        fixture: "bad-entrypoint-script",
        plants: "the entrypoint script runs makemigrations at every start",
        rows: [[RULE, "deploy/entrypoint.sh", 4, 18]],
      },
      {
        fixture: "bad-build-migrate",
        plants: "a Dockerfile RUN runs migrate while the image is built",
        rows: [[RULE, "Dockerfile", 11, 1]],
      },
    ],
    good: ["good-no-migrate", "good-migrate-compose-command", "good-migrate-entrypoint-script", "good-makemigrations-check"],
  },
  () => {
    it("makemigrations at start: names the service, says why, says what to do, points at the compose service", () => {
      const finding = findingOf(RULE, "bad-entrypoint-script");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("service 'web' runs 'manage.py makemigrations' when its container starts");
      expect(finding.message).toContain("commit the migration files");
      expect(finding.message).toContain("'manage.py migrate' at start or as a release step");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 11, 3]]);
    });

    it("migrate at build: says the database is not reachable and to run it at start", () => {
      const finding = findingOf(RULE, "bad-build-migrate");
      expect(finding.message).toContain("the image of service 'web' runs 'manage.py migrate' while it is built");
      expect(finding.message).toContain("database is not reachable");
      expect(finding.message).toContain("when the container starts");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 11, 3]]);
    });

    it("the model finds migrate at start (command and script) and leaves out makemigrations --check --dry-run", () => {
      expect(runs("good-migrate-compose-command")).toEqual({ makemigrations: [], migrate: [["start", "docker-compose.yml", 16, 38]] });
      expect(runs("good-makemigrations-check")).toEqual({ makemigrations: [], migrate: [["start", "deploy/entrypoint.sh", 6, 18]] });
      expect(runs("good-no-migrate")).toEqual({ makemigrations: [], migrate: [] });
      expect(runs("bad-build-migrate").migrate).toEqual([["build", "Dockerfile", 11, 1]]);
      expect(runs("bad-compose-command").makemigrations).toEqual([["start", "docker-compose.yml", 16, 38]]);
    });
  },
);
