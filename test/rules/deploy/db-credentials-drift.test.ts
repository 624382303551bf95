import { expect, it } from "vitest";
import { backingConnections, credentialDrifts, hostReach } from "../../../src/model/backing-services.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/db-credentials-drift";
const SETTINGS = "app/bookshelf/settings.py";

/** [NAME, USER, the database service, drifting fields] of the web service's database connection. */
function compared(fixture: string): [string, string, string, string[]] | undefined {
  const { model } = lintRuleFixture(RULE, fixture).result;
  const web = model.stacks[0]?.services.find((s) => s.name === "web");
  const conn = web ? backingConnections(web).find((c) => c.kind === "database") : undefined;
  if (!conn) return undefined;
  const reach = hostReach(model, conn);
  if (reach.kind !== "service") return undefined;
  return [conn.name?.text ?? "", conn.user?.text ?? "", reach.target.name, credentialDrifts(conn, reach.target).map((d) => d.field)];
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-password-env-files", plants: "DB_PASSWORD in .env differs from POSTGRES_PASSWORD in db.env", rows: [[RULE, ".env", 2, 1]] },
      { fixture: "bad-user-image-default", plants: "USER 'bookshelf', the db service sets no POSTGRES_USER ('postgres')", rows: [[RULE, SETTINGS, 37, 17]] },
      { fixture: "bad-database-url-name", plants: "DATABASE_URL names database 'books', POSTGRES_DB is 'bookshelf'", rows: [[RULE, ".env", 3, 1]] },
      { fixture: "bad-mariadb-user", plants: "USER 'bookshelf', MARIADB_USER is 'books'", rows: [[RULE, SETTINGS, 37, 17]] },
    ],
    good: ["good", "good-mariadb", "good-init-scripts", "good-unknown-password"],
  },
  () => {
    it("passwords are compared but never printed", () => {
      const finding = findingOf(RULE, "bad-password-env-files");
      expect(finding.message).toContain("DATABASES['default'] PASSWORD (DB_PASSWORD in .env line 2) is not the password service 'db' was initialised with (POSTGRES_PASSWORD)");
      expect(finding.message).toContain("the passwords differ (n3…(20 chars) vs s3…(18 chars))");
      expect(finding.message).not.toContain("rotated");
      expect(finding.message).not.toContain("s3cret");
      expect(finding.related.map((r) => r.message).join(" ")).not.toMatch(/rotated|s3cret/);
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 38, 21],
        ["docker-compose.yml", 10, 15],
        ["db.env", 3, 1],
      ]);
      expect(finding.related[2]?.message).toBe("service 'db' sets POSTGRES_PASSWORD here");
    });

    it("the image default user: says POSTGRES_USER is not set and which user the image creates", () => {
      const finding = findingOf(RULE, "bad-user-image-default");
      expect(finding.message).toContain("service 'db' sets no POSTGRES_USER, so the postgres:16 image creates 'postgres'");
      expect(finding.message).toContain("'bookshelf' vs 'postgres'");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 3, 12]]);
    });

    it("DATABASE_URL: the database name drifts, the env line is where to fix it", () => {
      const finding = findingOf(RULE, "bad-database-url-name");
      expect(finding.message).toContain("NAME (DATABASE_URL in .env line 3)");
      expect(finding.message).toContain("'books' vs 'bookshelf'");
      expect(finding.message).not.toContain("s3cret");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 35, 25],
        ["docker-compose.yml", 13, 15],
        ["docker-compose.yml", 5, 7],
      ]);
    });

    it("MariaDB: MARIADB_USER is compared", () => {
      const finding = findingOf(RULE, "bad-mariadb-user");
      expect(finding.message).toContain("(MARIADB_USER): 'bookshelf' vs 'books'");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 6, 7]]);
    });

    it("good fixtures: both sides were compared (or could not be) and agree", () => {
      expect(compared("good")).toEqual(["bookshelf", "bookshelf", "db", []]);
      expect(compared("good-mariadb")).toEqual(["bookshelf", "books", "db", []]);
      // Init scripts may create other databases: NAME is not compared.
      expect(compared("good-init-scripts")).toEqual(["bookshelf_prod", "bookshelf", "db", []]);
      expect(compared("good-unknown-password")).toEqual(["bookshelf", "bookshelf", "db", []]);
    });
  },
);
