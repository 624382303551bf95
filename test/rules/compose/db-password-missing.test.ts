import { expect, it } from "vitest";
import { missingDatabasePassword } from "../../../src/model/database-init.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "compose/db-password-missing";
const COMPOSE = "docker-compose.yml";

/** The database service of a fixture: its image family and whether it lacks a password setting. */
function verdict(fixture: string): [string | undefined, boolean] {
  const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
  const db = stack?.services.find((s) => s.name === "db");
  if (!db) return [undefined, false];
  return [missingDatabasePassword(db)?.database.family, missingDatabasePassword(db) !== undefined];
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-postgres-no-password", plants: "postgres:16 with POSTGRES_DB / POSTGRES_USER but no POSTGRES_PASSWORD", rows: [[RULE, COMPOSE, 3, 12]] },
      { fixture: "bad-mariadb-no-root-password", plants: "mariadb:11.4 with MARIADB_USER / MARIADB_PASSWORD but no root password setting", rows: [[RULE, COMPOSE, 3, 12]] },
      { fixture: "bad-postgis-built", plants: "a db image built FROM postgis/postgis without POSTGRES_PASSWORD", rows: [[RULE, "deploy/db/Dockerfile", 1, 6]] },
    ],
    good: ["good", "good-password-file", "good-mariadb-random-root", "good-env-file-template"],
  },
  () => {
    it("postgres: names the service, the image, the variable to add, and where the Django service gets it", () => {
      const finding = findingOf(RULE, "bad-postgres-no-password");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("PostgreSQL service 'db' runs postgres:16, but its environment sets no POSTGRES_PASSWORD");
      expect(finding.message).toContain("POSTGRES_PASSWORD_FILE or POSTGRES_HOST_AUTH_METHOD=trust");
      expect(finding.message).toContain("add POSTGRES_PASSWORD: ${POSTGRES_PASSWORD} to service 'db'");
      expect(relatedRows(finding)).toEqual([
        [COMPOSE, 5, 7],
        [COMPOSE, 6, 7],
        [".env", 2, 1],
      ]);
      expect(finding.related[0]?.message).toBe("service 'db' sets POSTGRES_DB here, which does not set the superuser password");
      expect(finding.related[2]?.message).toBe("service 'web' gets POSTGRES_PASSWORD here; service 'db' does not");
      // The password is never printed.
      expect(JSON.stringify(finding)).not.toContain("s3cret-db-passw0rd");
    });

    it("mariadb: asks for MARIADB_ROOT_PASSWORD and lists the alternatives", () => {
      const finding = findingOf(RULE, "bad-mariadb-no-root-password");
      expect(finding.message).toContain("MariaDB service 'db' runs mariadb:11.4, but its environment sets no MARIADB_ROOT_PASSWORD");
      expect(finding.message).toContain("MARIADB_RANDOM_ROOT_PASSWORD");
      expect(finding.message).toContain("password option is not specified");
      expect(finding.related.map((r) => r.message)).toContain("service 'db' sets MARIADB_PASSWORD here, which does not set the root password");
    });

    it("an image built FROM postgis/postgis: points at the FROM and names the compose service", () => {
      const finding = findingOf(RULE, "bad-postgis-built");
      expect(finding.message).toContain("PostgreSQL service 'db' is built FROM postgis/postgis:16-3.4");
      expect(relatedRows(finding)[0]).toEqual([COMPOSE, 2, 3]);
    });

    // The good fixtures are silent because a setting is found, not because the image was not recognised.
    it("good fixtures: the database image is recognised and its password setting found", () => {
      expect(verdict("good")).toEqual([undefined, false]);
      for (const fixture of ["bad-postgres-no-password", "bad-postgis-built"]) expect(verdict(fixture)).toEqual(["postgres", true]);
      expect(verdict("bad-mariadb-no-root-password")).toEqual(["mariadb", true]);
      const db = (fixture: string) => lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "db");
      expect(db("good-password-file")?.environment.values.has("POSTGRES_PASSWORD_FILE")).toBe(true);
      expect(db("good-mariadb-random-root")?.environment.values.get("MARIADB_RANDOM_ROOT_PASSWORD")?.value).toBe("1");
      // deploy/db.env is absent (git-ignored): its template says POSTGRES_PASSWORD is set there, value unknown.
      const fromTemplate = db("good-env-file-template")?.environment.values.get("POSTGRES_PASSWORD");
      expect(fromTemplate?.value).toBeUndefined();
      expect(fromTemplate?.templateFor).toBe("deploy/db.env");
    });
  },
);
